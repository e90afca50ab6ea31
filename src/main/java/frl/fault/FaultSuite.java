package frl.fault;

import frl.experiment.AuditMain;
import frl.experiment.load.BinStats;
import frl.experiment.load.ClientPolicy;
import frl.experiment.load.LoadDriver;
import frl.experiment.load.Outcome;
import frl.experiment.load.ResultSink;
import frl.experiment.load.Schedule;
import frl.experiment.load.Timeline;
import frl.experiment.metrics.Audit;
import frl.experiment.metrics.DrainOutcome;
import frl.experiment.run.Drain;
import frl.experiment.run.RunExecutor;
import frl.experiment.stack.AdminClient;
import frl.experiment.stack.AuditLoader;
import frl.experiment.stack.AuditRows;
import frl.experiment.stack.HttpTransport;
import frl.resilience.NanoClock;
import frl.resilience.Sleeper;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One fault case played against the running stack, Jepsen-style: configuration F under open-model
 * load, the fault injected in the middle, then the drain and an audit of every row the case wrote.
 *
 * <pre>
 *   wait until every service answers, drain earlier work
 *   baseline gate: reset (stock, breakers, counters), a probe load of a few seconds; again until it
 *                  succeeds >= 95% or the gate's minute is up (then the case is run but marked invalid)
 *   drain the probe's orders, reset, mark the databases' clocks
 *   load (Poisson, config F) ........ fault on ..... fault off ........ load ends
 *                                     |               |-- poll the service's /health until it answers
 *   drain (nothing PENDING, payments idle), payments' reconciliation, audit of the rows since the mark
 * </pre>
 * The client sends every order with its own Idempotency-Key and re-sends a timed-out one once
 * under the same key, as a careful client does; a re-send that became a second charge shows as a
 * duplicate charge per client key.
 *
 * <p>Not thread-safe: one case at a time (the cases share the stack).
 */
final class FaultSuite {
    /** The knobs of a suite run, each printed with the results. */
    record Settings(double rate, Duration minLoad, Duration around, Duration after, Duration clientTimeout, int resends, long seed,
                    Duration drainMinimum, Duration drainBound, Duration probe) {
        Settings {
            if (!(rate > 0)) {
                throw new IllegalArgumentException("rate must be > 0 per second, was " + rate);
            }
            if (around.toSeconds() < Recovery.WINDOW_SECONDS + Recovery.SKIP_SECONDS) {
                throw new IllegalArgumentException("--around must leave room for the baseline and one recovery window ("
                        + (Recovery.WINDOW_SECONDS + Recovery.SKIP_SECONDS) + " s), was " + around.toSeconds() + " s");
            }
            if (after.compareTo(around) < 0) {
                throw new IllegalArgumentException("--after must be at least --around (" + around.toSeconds() + " s), was "
                        + after.toSeconds() + " s");
            }
        }
    }

    private static final Duration SETTLE_BOUND = Duration.ofSeconds(120);
    /** Each probe load of the baseline gate (the suite's default); long enough that a few slow orders do not decide it. */
    static final Duration PROBE = Duration.ofSeconds(5);
    /** How long the gate keeps resetting and probing a stack the previous case left broken. */
    static final Duration GATE_BOUND = Duration.ofSeconds(60);

    private final StackFaults faults;
    private final Settings settings;
    private final NanoClock clock;
    private final Sleeper sleeper;
    private final PrintStream out;
    private final HttpClient http;
    private final AdminClient admin;
    private final AuditLoader loader;

    FaultSuite(StackFaults faults, HttpClient http, Settings settings, NanoClock clock, Sleeper sleeper, PrintStream out) {
        this.faults = faults;
        this.settings = settings;
        this.clock = clock;
        this.sleeper = sleeper;
        this.out = out;
        this.http = http;
        this.admin = new AdminClient(http, faults.stack(), faults.token(), clock);
        this.loader = new AuditLoader(faults.stack().databases());
    }

    /** A load of {@code d} with no fault and no audit: JIT-compiles the stack before the first case. */
    void warm(Duration d) throws IOException, InterruptedException {
        settle();
        Schedule schedule = Schedule.poisson(settings.rate(), d, settings.seed() - 1);
        Timeline t = new Timeline(schedule);
        driver(schedule, "warm").run(t);
        out.printf(Locale.ROOT, "warm-up: %d s at %.1f/s, success %s (not counted)%n", d.toSeconds(), settings.rate(),
                CaseResult.percent(Recovery.success(t.snapshot(), 0, (int) d.toSeconds() + 1)));
    }

    CaseResult run(FaultCase c, int index) throws IOException, InterruptedException, SQLException {
        settle();
        double probe = baselineGate(index);
        // The probe's own orders settle before the mark, or a late notification of one would count against the case.
        new Drain(clock, sleeper, settings.drainMinimum(), settings.drainBound())
                .run(AuditMain.probe(loader, AuditLoader.Marks.everything(), List.of("F"), admin));
        settle();
        admin.resetAll(); // fresh breakers, bulkheads, counters and stock: each case starts from the same state
        AuditLoader.Marks marks = loader.markAll();
        int loadSeconds = c.loadSeconds(settings.minLoad(), settings.around(), settings.after());
        int faultStart = c.faultStartSecond(settings.minLoad(), settings.around(), settings.after());
        Schedule schedule = Schedule.poisson(settings.rate(), Duration.ofSeconds(loadSeconds), settings.seed() + index);
        Timeline timeline = new Timeline(schedule);
        Set<String> acked = ConcurrentHashMap.newKeySet();
        LoadDriver driver = driver(schedule, "fault-" + index);
        ResultSink sink = ResultSink.all(timeline, r -> {
            if (r.outcome() == Outcome.SUCCESS && r.orderId() != null) {
                acked.add(r.orderId());
            }
        });

        long start = clock.nanoTime() + Duration.ofMillis(200).toNanos();
        Thread load = Thread.ofVirtual().name("fault-suite-load").start(() -> {
            try {
                driver.run(sink, start);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread ticker = Thread.ofVirtual().start(() -> tick(timeline, start, loadSeconds));
        long faultEnd;
        try {
            sleepUntil(start + Duration.ofSeconds(faultStart).toNanos());
            faults.inject(c);
            out.printf(Locale.ROOT, "      %5.1f s  fault on: %s%n", (clock.nanoTime() - start) / 1e9, c.name());
            if (!c.outage().isZero()) {
                sleepUntil(start + Duration.ofSeconds(faultStart).plus(c.outage()).toNanos());
                faults.heal(c);
            }
            faultEnd = clock.nanoTime();
            out.printf(Locale.ROOT, "      %5.1f s  fault off%n", (faultEnd - start) / 1e9);
        } catch (IOException | RuntimeException e) {
            driver.stop();
            load.join();
            ticker.interrupt();
            throw e;
        }
        double answeredAfter = awaitAnswer(c.answer(), faultEnd);
        out.printf(Locale.ROOT, "      %5.1f s  %s%n", (clock.nanoTime() - start) / 1e9, answeredAfter < 0
                ? c.answer() + " did not answer /health within " + FaultCase.ANSWER_BOUND.toSeconds() + " s"
                : c.answer() + " answers /health again, " + String.format(Locale.ROOT, "%.1f", answeredAfter) + " s after the fault's end");
        load.join();
        ticker.interrupt();

        List<BinStats> bins = timeline.snapshot();
        int faultEndSecond = (int) Math.ceil((faultEnd - start) / 1e9);
        int windowEnd = Math.max(faultEndSecond, faultStart + (int) FaultCase.MIN_FAULT_WINDOW.toSeconds());
        double during = Recovery.success(bins, faultStart, windowEnd);
        OptionalInt recovered = Recovery.seconds(bins, faultStart, faultEndSecond);

        settle(); // a killed service must be back before the drain can ask it anything
        DrainOutcome drain = new Drain(clock, sleeper, settings.drainMinimum(), settings.drainBound())
                .run(AuditMain.probe(loader, marks, List.of("F"), admin));
        faults.reconcile();
        AuditRows rows = loader.load(marks, "F");
        Set<Long> refunds = refundedCharges();
        List<AuditRows.Charge> kept = rows.charges().stream().filter(ch -> !refunds.contains(ch.id())).toList();
        AuditRows net = new AuditRows(rows.orders(), kept, rows.products(), rows.reservations(), rows.deliveries(), rows.outboxUnsent());
        return new CaseResult(c, schedule.size(), probe, during, Recovery.baseline(bins, faultStart), recovered, answeredAfter,
                Audit.reconcile(net, acked), rows.charges().size() - kept.size(), drain.detail());
    }

    /**
     * Resets the services (as {@code make load} does) and plays a probe load ({@link #PROBE} unless set) at the case's
     * rate, again until the probe succeeds at least {@link CaseResult#BASELINE_GATE} or
     * {@link #GATE_BOUND} has passed; returns the last probe's success. A stack still broken by the
     * previous case (a breaker cycling, a pool of dead connections) would otherwise hand the next
     * case a baseline of nothing to recover to.
     */
    private double baselineGate(int index) throws IOException, InterruptedException {
        long until = clock.nanoTime() + GATE_BOUND.toNanos();
        double success;
        int attempt = 0;
        do {
            attempt++;
            admin.resetAll();
            Schedule schedule = Schedule.poisson(settings.rate(), settings.probe(), settings.seed() - 1000L * index - attempt);
            Timeline t = new Timeline(schedule);
            driver(schedule, "probe-" + index).run(t);
            success = Recovery.success(t.snapshot(), 0, (int) settings.probe().toSeconds() + 1);
            out.printf(Locale.ROOT, "      baseline gate: probe %d, %d s at %.1f/s, success %s%n", attempt, settings.probe().toSeconds(),
                    settings.rate(), CaseResult.percent(success));
        } while (!(success >= CaseResult.BASELINE_GATE) && clock.nanoTime() < until);
        if (!(success >= CaseResult.BASELINE_GATE)) {
            out.printf(Locale.ROOT, "      baseline gate: not reached within %d s; the case runs but is marked invalid%n",
                    GATE_BOUND.toSeconds());
        }
        return success;
    }

    private LoadDriver driver(Schedule schedule, String name) {
        ClientPolicy policy = new ClientPolicy(settings.clientTimeout(), settings.resends(), ClientPolicy.DEFAULT_SEND_SLACK, true);
        HttpTransport transport = new HttpTransport(http, URI.create(faults.stack().url("gateway") + "/orders"), "F",
                RunExecutor.DEFAULT_BODY, true);
        return new LoadDriver(schedule, transport, policy, clock, sleeper, LoadDriver.VIRTUAL_THREADS,
                name + "-" + Long.toString(System.currentTimeMillis(), 36));
    }

    /** Until every service answers /health (a killed one restarted) and payments is idle; then reset. */
    private void settle() throws IOException, InterruptedException {
        long until = clock.nanoTime() + SETTLE_BOUND.toNanos();
        for (String s : List.of("gateway", "orders", "payments", "inventory", "notifications")) {
            while (!faults.healthy(s)) {
                if (clock.nanoTime() > until) {
                    throw new IOException(s + " still not healthy " + SETTLE_BOUND.toSeconds() + " s after the case; see .run/logs/");
                }
                sleeper.sleep(Duration.ofMillis(250));
            }
        }
        admin.awaitQuiet(clock, sleeper);
    }

    /** Seconds from {@code faultEnd} until {@code service}'s /health answers 200; -1 if not within the bound. */
    private double awaitAnswer(String service, long faultEnd) throws InterruptedException {
        long bound = faultEnd + FaultCase.ANSWER_BOUND.toNanos();
        while (clock.nanoTime() <= bound) {
            if (faults.healthy(service)) {
                double after = (clock.nanoTime() - faultEnd) / 1e9;
                return after <= FaultCase.ANSWER_BOUND.toSeconds() ? after : -1;
            }
            sleeper.sleep(Duration.ofMillis(200));
        }
        return -1;
    }

    private Set<Long> refundedCharges() throws SQLException {
        Set<Long> ids = new HashSet<>();
        try (Connection c = DriverManager.getConnection(faults.stack().databases().payments());
             ResultSet rs = c.createStatement().executeQuery("SELECT charge_id FROM refunds")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    private void sleepUntil(long nanos) throws InterruptedException {
        long left = nanos - clock.nanoTime();
        if (left > 0) {
            sleeper.sleep(Duration.ofNanos(left));
        }
    }

    private void tick(Timeline timeline, long start, int loadSeconds) {
        try {
            while (true) {
                sleeper.sleep(Duration.ofSeconds(10));
                out.printf(Locale.ROOT, "      %5.1f s of %d  success so far %s%n", (clock.nanoTime() - start) / 1e9, loadSeconds,
                        CaseResult.percent(timeline.liveSuccessRate()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the case is over
        }
    }
}
