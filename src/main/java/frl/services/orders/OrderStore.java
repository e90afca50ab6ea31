package frl.services.orders;

import com.fasterxml.jackson.databind.node.ObjectNode;
import frl.http.Json;
import frl.resilience.outbox.Outbox;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The orders table, and the one place where an order's status changes.
 *
 * <p>Status moves only forward, and each move is a single guarded UPDATE:
 * <pre>
 *   (none)  -> PENDING    insert, before any downstream call
 *   PENDING -> CONFIRMED  after the charge succeeded    (+ outbox row in F, same transaction)
 *   PENDING -> FAILED     after compensation, or by the recovery sweep
 * </pre>
 * {@code WHERE status = 'PENDING'} on every transition makes the request thread and the recovery
 * sweep race safely: whoever commits first decides, the other sees 0 rows and backs off.
 * Thread-safe: all state is in PostgreSQL.
 */
final class OrderStore {
    /** A stored order. */
    record Order(UUID id, String customerId, char config, String idempotencyKey, String status,
                 String failureReason, long totalCents, String itemsJson) {
        ObjectNode toJson() {
            ObjectNode o = Json.object().put("order_id", id.toString()).put("customer_id", customerId)
                    .put("status", status).put("total", OrderRequest.money(totalCents)).put("config", String.valueOf(config));
            if (failureReason != null) {
                o.put("failure_reason", failureReason);
            }
            o.set("items", Json.read(itemsJson));
            return o;
        }
    }

    private final DataSource db;

    OrderStore(DataSource db) {
        this.db = db;
    }

    /**
     * Inserts a PENDING order with the client's idempotency key, in every configuration (the audit
     * counts charges per key: a customer who pressed once and paid twice). Only in F is the key a
     * unique key: when another F order already holds it, that order is returned instead (the
     * database is the last duplicate detector, behind Redis).
     */
    Order insertPending(UUID id, OrderRequest o, char config, String idempotencyKey) throws SQLException {
        String sql = "INSERT INTO orders (id, customer_id, config, idempotency_key, status, total_cents, items) "
                + "VALUES (?, ?, ?, ?, 'PENDING', ?, ?::jsonb) ON CONFLICT DO NOTHING";
        String items = Json.write(o.itemsJson());
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            ps.setString(2, o.customerId());
            ps.setString(3, String.valueOf(config));
            ps.setString(4, idempotencyKey);
            ps.setLong(5, o.totalCents());
            ps.setString(6, items);
            if (ps.executeUpdate() == 1) {
                return new Order(id, o.customerId(), config, idempotencyKey, "PENDING", null, o.totalCents(), items);
            }
        }
        return byIdempotencyKey(idempotencyKey).orElseThrow(() -> new SQLException("order insert conflicted but no order holds key " + idempotencyKey));
    }

    /**
     * PENDING -> CONFIRMED. With {@code outboxEvent} (config F) the notification event is written in
     * the same transaction: the status change and the promise to notify commit together or not at all.
     *
     * <p>In F both writes are one statement, so one round trip instead of three (UPDATE, INSERT,
     * COMMIT): a data-modifying CTE changes the status and, only if it did, inserts the outbox row
     * that {@link Outbox#insert} would, and one statement is one transaction. The UPDATE locks the
     * order's row before the event's id is drawn from the sequence, which is what keeps the relay's
     * order per aggregate (see {@link Outbox}).
     *
     * @return false if the order was no longer PENDING (the sweep got there first)
     */
    boolean confirm(UUID id, ObjectNode outboxEvent) throws SQLException {
        if (outboxEvent == null) {
            return transitionAlone(id, "CONFIRMED", null); // one UPDATE is its own transaction: no BEGIN/COMMIT round trip
        }
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(CONFIRM_WITH_EVENT)) {
            ps.setObject(1, id);
            ps.setObject(2, UUID.fromString(outboxEvent.get("event_id").asText()));
            ps.setString(3, outboxEvent.get("kind").asText());
            ps.setString(4, Json.write(outboxEvent));
            return ps.executeUpdate() == 1; // rows inserted into the outbox: 1 exactly when the order changed
        }
    }

    /** The order's status change and its outbox row, in one statement (the columns {@link Outbox#insert} writes). */
    private static final String CONFIRM_WITH_EVENT = """
            WITH confirmed AS (
                UPDATE orders SET status = 'CONFIRMED', failure_reason = NULL, updated_at = now()
                 WHERE id = ? AND status = 'PENDING'
             RETURNING id)
            INSERT INTO outbox (aggregate_id, event_id, event_type, payload)
            SELECT id::text, ?, ?, ?::jsonb FROM confirmed""";

    /** PENDING -> FAILED with a reason. Returns false if the order was no longer PENDING. */
    boolean fail(UUID id, String reason) throws SQLException {
        return transitionAlone(id, "FAILED", reason);
    }

    private boolean transitionAlone(UUID id, String to, String reason) throws SQLException {
        try (Connection c = db.getConnection()) {
            return transition(c, id, to, reason);
        }
    }

    /** Records why an order is still PENDING (compensation failed), for the sweep and for readers. */
    void note(UUID id, String reason) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE orders SET failure_reason = ? WHERE id = ? AND status = 'PENDING'")) {
            ps.setString(1, reason);
            ps.setObject(2, id);
            ps.executeUpdate();
        }
    }

    private static boolean transition(Connection c, UUID id, String to, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE orders SET status = ?, failure_reason = ?, updated_at = now() WHERE id = ? AND status = 'PENDING'")) {
            ps.setString(1, to);
            ps.setString(2, reason);
            ps.setObject(3, id);
            return ps.executeUpdate() == 1;
        }
    }

    Optional<Order> find(UUID id) throws SQLException {
        return one("SELECT * FROM orders WHERE id = ?", id);
    }

    /** The status of each of {@code ids} that is an order, in one query; ids with no order are absent. */
    java.util.Map<UUID, String> statuses(java.util.Collection<UUID> ids) throws SQLException {
        java.util.Map<UUID, String> out = new java.util.HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, status FROM orders WHERE id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getObject(1, UUID.class), rs.getString(2));
                }
            }
        }
        return out;
    }

    Optional<Order> byIdempotencyKey(String key) throws SQLException {
        return key == null ? Optional.empty()
                : one("SELECT * FROM orders WHERE idempotency_key = ? AND config IN ('F', 'G')", key);
    }

    /**
     * Orders left PENDING for longer than {@code age} (a crash, or a compensation that failed),
     * oldest first, leaving out {@code skip} (orders whose request is still running).
     */
    List<Order> stuck(Duration age, int limit, java.util.Collection<UUID> skip) throws SQLException {
        List<Order> list = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT * FROM orders WHERE status = 'PENDING' AND updated_at < now() - make_interval(secs => ?) "
                + "AND NOT (id = ANY (?)) ORDER BY updated_at LIMIT ?")) {
            ps.setDouble(1, age.toMillis() / 1000.0);
            ps.setArray(2, c.createArrayOf("uuid", skip.toArray()));
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(map(rs));
                }
            }
        }
        return list;
    }

    /** How many orders are PENDING right now (the partial index orders_pending keeps this cheap). */
    long countPending() throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM orders WHERE status = 'PENDING'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Optional<Order> one(String sql, Object param) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    private static Order map(ResultSet rs) throws SQLException {
        return new Order(rs.getObject("id", UUID.class), rs.getString("customer_id"), rs.getString("config").charAt(0),
                rs.getString("idempotency_key"), rs.getString("status"), rs.getString("failure_reason"),
                rs.getLong("total_cents"), rs.getString("items"));
    }
}
