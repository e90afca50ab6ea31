package frl.experiment;

import frl.experiment.metrics.Audit;
import frl.experiment.metrics.AuditResult;
import frl.experiment.metrics.DrainOutcome;
import frl.experiment.report.Table;
import frl.experiment.run.Drain;
import frl.experiment.stack.AdminClient;
import frl.experiment.stack.AuditLoader;
import frl.experiment.stack.AuditRows;
import frl.experiment.stack.HttpTransport;
import frl.experiment.stack.StackInfo;
import frl.resilience.NanoClock;
import frl.resilience.Sleeper;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code make audit}: the correctness audit the harness computes after every run, for the running
 * stack's databases, so a user who poked the stack by hand (curl, the chaos scripts, {@code make
 * load}) can see what it left behind: duplicate charges per order and per client key, confirmed
 * orders without a charge, orphan charges, leaked reservations, notifications missing or
 * duplicated, orders still PENDING (not judged), the outbox's backlog. One row per configuration,
 * and a row for all of them together, which is the only row where stock drift means something
 * (stock is shared by every configuration).
 *
 * <pre>
 * java frl.experiment.AuditMain --stack .run/stack.json [--configs A,F] [--since 2026-11-26T20:00:00Z] [--drain]
 * </pre>
 * With {@code --drain} it first waits, as a run's drain does, until nothing is PENDING or queued
 * (triggering the recovery sweep through the admin plane), at most {@code --drain-bound}. Read-only
 * otherwise. Exit status 0 when it printed a table, 2 when the stack or its databases cannot be read.
 */
public final class AuditMain {
    static final String USAGE = """
            usage: java frl.experiment.AuditMain [options]
              --stack .run/stack.json   the running stack (its databases are audited)
              --configs A,B,C,D,E,F     which configurations' rows (default all)
              --since ISO-8601          only rows written since then (default: every row; stock drift
                                        assumes no reset since, as it compares with the initial stock)
              --drain                   first wait until no order is PENDING and no payment queued
              --drain-bound 180s        the longest that wait may take
            """;
    private static final List<String> KNOWN = List.of("stack", "configs", "since", "drain!", "drain-bound", "help!");

    private AuditMain() {
    }

    public static void main(String[] argv) throws Exception {
        if (List.of(argv).contains("--help")) {
            System.out.print(USAGE);
            return;
        }
        Args a;
        List<String> configs;
        AuditLoader.Marks since;
        try {
            a = new Args(argv, KNOWN);
            configs = List.of(a.string("configs", String.join(",", ExperimentOptions.ALL_CONFIGS)).split(","));
            for (String c : configs) {
                if (!ExperimentOptions.ALL_CONFIGS.contains(c)) {
                    throw new IllegalArgumentException("--configs takes letters A..F, was \"" + c + "\"");
                }
            }
            since = a.has("since") ? AuditLoader.Marks.at(parseSince(a.string("since", ""))) : AuditLoader.Marks.everything();
        } catch (IllegalArgumentException e) {
            System.err.println("audit: " + e.getMessage() + "\n\n" + USAGE);
            System.exit(2);
            return;
        }
        StackInfo stack;
        try {
            stack = StackInfo.read(Path.of(a.string("stack", ".run/stack.json")));
        } catch (IOException e) {
            System.err.println("audit: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (!stack.hasDatabases()) {
            System.err.println("audit: " + a.string("stack", ".run/stack.json") + " names no databases");
            System.exit(2);
            return;
        }
        AuditLoader loader = new AuditLoader(stack.databases());
        if (a.has("drain")) {
            AdminClient admin = new AdminClient(HttpTransport.newClient(AdminClient.DEFAULT_TIMEOUT), stack, stack.adminToken());
            DrainOutcome d = new Drain(NanoClock.system(), Sleeper.system(), Duration.ZERO,
                    a.duration("drain-bound", Drain.DEFAULT_BOUND)).run(probe(loader, since, configs, admin));
            System.out.println("drain: " + d.detail());
        }
        try {
            System.out.print(table(loader, since, configs).text());
        } catch (SQLException e) {
            System.err.println("audit: reading the databases failed: " + e.getMessage());
            System.exit(2);
        }
        System.out.println("PENDING orders are not settled and are left out of every other column; 201s the client got are"
                + " unknown here, so \"201 but not CONFIRMED\" is not shown. Stock drift only in the \"all\" row.");
    }

    static OffsetDateTime parseSince(String text) {
        try {
            return OffsetDateTime.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--since must be an ISO-8601 time with offset, e.g. 2026-11-26T20:00:00Z, was \"" + text + "\"");
        }
    }

    /** The audit of each configuration's rows, then of all of them together. */
    static Table table(AuditLoader loader, AuditLoader.Marks since, List<String> configs) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        List<AuditRows> all = new ArrayList<>();
        for (String c : configs) {
            AuditRows r = loader.load(since, c);
            all.add(r);
            rows.add(row(c, Audit.reconcile(r, Set.of()), false));
        }
        rows.add(row("all", Audit.reconcile(merge(all), Set.of()), true));
        return new Table(List.of("Config", "orders", "confirmed", "PENDING (not judged)", "dup. charges per order",
                "dup. charges per key", "orders without key", "confirmed, no charge", "orphan charges", "leaked reservations",
                "notifications missing", "notifications duplicated", "confirmations of unconfirmed", "outbox unsent",
                "stock drift (units)"), rows);
    }

    private static List<String> row(String config, AuditResult r, boolean all) {
        return List.of(config, n(r.orders()), n(r.confirmedOrders()), n(r.pendingOrders()), n(r.duplicateChargesPerOrder()),
                n(r.duplicateChargesPerKey()), n(r.ordersWithoutKey()), n(r.confirmedWithoutCharge()), n(r.orphanCharges()),
                n(r.leakedReservations()), n(r.notificationsMissing()), n(r.notificationsDuplicated()), n(r.notificationsSpurious()),
                n(r.outboxUnsent()), all ? n(r.stockDriftUnits()) : "-");
    }

    private static String n(long v) {
        return Long.toString(v);
    }

    /** Every configuration's rows as one set (products and the outbox are shared: taken once). */
    static AuditRows merge(List<AuditRows> parts) {
        List<AuditRows.Order> orders = new ArrayList<>();
        List<AuditRows.Charge> charges = new ArrayList<>();
        List<AuditRows.Reservation> reservations = new ArrayList<>();
        List<AuditRows.Delivery> deliveries = new ArrayList<>();
        for (AuditRows p : parts) {
            orders.addAll(p.orders());
            charges.addAll(p.charges());
            reservations.addAll(p.reservations());
            deliveries.addAll(p.deliveries());
        }
        return new AuditRows(orders, charges, parts.isEmpty() ? List.of() : parts.get(0).products(), reservations, deliveries,
                parts.isEmpty() ? 0 : parts.get(0).outboxUnsent());
    }

    /** What the drain asks, for {@code configs}' orders since {@code since}: the fault suite drains the same way. */
    public static Drain.Probe probe(AuditLoader loader, AuditLoader.Marks since, List<String> configs, AdminClient admin) {
        return new Drain.Probe() {
            @Override
            public long pendingOrders() throws IOException {
                long n = 0;
                try {
                    for (String c : configs) {
                        n += loader.pendingOrders(since, c);
                    }
                } catch (SQLException e) {
                    throw new IOException(e.getMessage(), e);
                }
                return n;
            }

            @Override
            public long paymentsQueued() throws IOException, InterruptedException {
                return admin.backlog().paymentsQueued();
            }

            @Override
            public boolean sweep() throws IOException, InterruptedException {
                return admin.sweep();
            }
        };
    }
}
