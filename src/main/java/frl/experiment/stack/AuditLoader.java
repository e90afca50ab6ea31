package frl.experiment.stack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one run's rows from the four databases for the audit ({@code metrics.Audit},
 * a pure reconciliation of these rows).
 *
 * <p>Which rows belong to a run: those of the run's config created at or after the database's own
 * clock reading taken at the run's reset ({@link #markAll()}), so the rows of earlier runs are left
 * out even if {@code /admin/reset} keeps them. Products are global (the reset restores their stock).
 * The outbox has no config column, so its unsent rows are counted by time alone: runs are
 * sequential and drained, so that is this run's lag.
 *
 * <p>Each database's own clock is read ({@code clock_timestamp()}), never this JVM's: the harness
 * and PostgreSQL may disagree about the time, a database never disagrees with itself.
 *
 * <p>One short-lived connection per query batch (DriverManager): the audit runs once per run, a
 * pool would only hold connections the services need.
 *
 * <p>Thread-safe: immutable.
 */
public final class AuditLoader {
    private final StackInfo.Databases urls;

    /** Database clocks at a run's reset, one per database. */
    public record Marks(OffsetDateTime orders, OffsetDateTime payments, OffsetDateTime inventory, OffsetDateTime notifications) {
        /** Every row, whenever written: what {@code make audit} reads after a user pokes the stack by hand. */
        public static Marks everything() {
            OffsetDateTime epoch = OffsetDateTime.parse("1970-01-01T00:00:00Z");
            return new Marks(epoch, epoch, epoch, epoch);
        }

        /** The same instant on every database (their clocks are the machine's when they run on it). */
        public static Marks at(OffsetDateTime t) {
            return new Marks(t, t, t, t);
        }
    }

    public AuditLoader(StackInfo.Databases urls) {
        this.urls = urls;
    }

    public Marks markAll() throws SQLException {
        return new Marks(now(urls.orders()), now(urls.payments()), now(urls.inventory()), now(urls.notifications()));
    }

    /** Orders of {@code config} created since the mark and still PENDING: what the drain waits for. */
    public long pendingOrders(Marks since, String config) throws SQLException {
        try (Connection c = DriverManager.getConnection(urls.orders());
             ResultSet rs = query(c, "SELECT count(*) FROM orders WHERE config = ? AND created_at >= ? AND status = 'PENDING'",
                     config, since.orders())) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public AuditRows load(Marks since, String config) throws SQLException {
        List<AuditRows.Order> orders = new ArrayList<>();
        long outboxUnsent;
        try (Connection c = DriverManager.getConnection(urls.orders())) {
            try (ResultSet rs = query(c, "SELECT id::text, idempotency_key, status FROM orders WHERE config = ? AND created_at >= ?", config, since.orders())) {
                while (rs.next()) {
                    orders.add(new AuditRows.Order(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
            try (ResultSet rs = query(c, "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND created_at >= ?", null, since.orders())) {
                rs.next();
                outboxUnsent = rs.getLong(1);
            }
        }
        List<AuditRows.Charge> charges = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(urls.payments());
             ResultSet rs = query(c, "SELECT id, order_id::text, amount_cents FROM charges WHERE config = ? AND created_at >= ?", config, since.payments())) {
            while (rs.next()) {
                charges.add(new AuditRows.Charge(rs.getLong(1), rs.getString(2), rs.getLong(3)));
            }
        }
        List<AuditRows.Product> products = new ArrayList<>();
        List<AuditRows.Reservation> reservations = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(urls.inventory())) {
            try (ResultSet rs = query(c, "SELECT id, stock, initial_stock FROM products", null, null)) {
                while (rs.next()) {
                    products.add(new AuditRows.Product(rs.getString(1), rs.getInt(2), rs.getInt(3)));
                }
            }
            try (ResultSet rs = query(c, "SELECT order_id::text, product_id, quantity, status FROM reservations WHERE config = ? AND created_at >= ?", config, since.inventory())) {
                while (rs.next()) {
                    reservations.add(new AuditRows.Reservation(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4)));
                }
            }
        }
        List<AuditRows.Delivery> deliveries = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(urls.notifications());
             ResultSet rs = query(c, "SELECT event_id::text, order_id::text, kind FROM deliveries WHERE config = ? AND received_at >= ?", config, since.notifications())) {
            while (rs.next()) {
                deliveries.add(new AuditRows.Delivery(rs.getString(1), rs.getString(2), rs.getString(3)));
            }
        }
        return new AuditRows(orders, charges, products, reservations, deliveries, outboxUnsent);
    }

    private static OffsetDateTime now(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
             ResultSet rs = c.createStatement().executeQuery("SELECT clock_timestamp()")) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class);
        }
    }

    /**
     * Binds the optional config (first) and time (second) parameters in the order they appear.
     * The statement is closed with its connection; callers close the result set.
     */
    @SuppressWarnings("resource")
    private static ResultSet query(Connection c, String sql, String config, OffsetDateTime since) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        int i = 1;
        if (config != null) {
            ps.setString(i++, config);
        }
        if (since != null) {
            ps.setObject(i, since);
        }
        return ps.executeQuery();
    }
}
