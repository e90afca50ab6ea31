package frl.services.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import frl.chaos.Chaos;
import frl.http.AdminRoutes;
import frl.http.ApiException;
import frl.http.Json;
import frl.http.Request;
import frl.http.Response;
import frl.http.ServiceServer;
import frl.infra.Databases;
import frl.resilience.Deadline;
import frl.resilience.DeadlineExceededException;
import frl.services.Health;
import frl.services.ServiceContext;
import frl.services.Validation;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * inventory :8003 — reserves and releases stock in PostgreSQL "inventory".
 *
 * <pre>
 *   GET    /products                  the catalogue (orders validates product ids against it)
 *   POST   /reservations              {"order_id", "items": [{"product_id", "quantity"}]}
 *                                     -> 201 reserved | 409 insufficient stock | 422 unknown product
 *   DELETE /reservations/{orderId}    release what the order holds (compensation); idempotent
 * </pre>
 *
 * <p>Transaction boundary: one reservation is one transaction. Stock is taken with
 * {@code UPDATE products SET stock = stock - q WHERE id = ? AND stock >= q} (the row lock makes
 * concurrent reservations serialise per product; the WHERE clause makes overselling impossible)
 * and the reservation row is inserted by the same statement ({@link #TAKE}), so the audit
 * invariant {@code stock + reserved = initial_stock} holds at every commit. Products are locked in
 * id order, so two orders for the same products cannot deadlock.
 *
 * <p>Round trips, because each costs PostgreSQL more CPU than the work it carries: one statement
 * for the lock timeout and F's replay check together, one batch with every item, one commit.
 *
 * <p>Deadlines reach the database: with enforced deadlines (C..F) the transaction sets
 * {@code lock_timeout} to the remaining budget, so a reservation stuck behind a held row lock gives
 * up when its caller would, instead of finishing work nobody waits for.
 *
 * <p>Fault ({@code POST /admin/chaos}): {@code lock_ms} — a background transaction holds the row
 * locks of the hot products (the first {@link #HOT_PRODUCTS}) for that long, again and again.
 */
public final class InventoryService {
    public static final int HOT_PRODUCTS = 5;

    private final DataSource db;
    private final ServiceServer server;
    private final Chaos chaos = new Chaos(List.of(
            Chaos.millis("lock_ms", "a background transaction holds the hot products' row locks this long, repeatedly")));
    private final LockContention contention;

    public InventoryService(ServiceContext ctx, DataSource db) {
        this.db = db;
        this.contention = new LockContention(db, HOT_PRODUCTS, ctx.sleeper());
        this.server = ctx.server("inventory");
        server.route("GET", "/products", r -> products());
        server.route("POST", "/reservations", this::reserve);
        server.metrics().initialiseRoute("/reservations", server.configs());
        server.route("DELETE", "/reservations/{orderId}", this::release);
        AdminRoutes.install(server, chaos, Map.of("postgres", () -> Health.up(db)), this::restoreStock,
                () -> contention.set(chaos.number("lock_ms")));
    }

    public ServiceServer server() {
        return server;
    }

    public void close() {
        contention.set(0);
    }

    private void restoreStock() {
        try {
            Databases.restoreStock(db);
        } catch (SQLException e) {
            throw new IllegalStateException("could not restore stock", e);
        }
    }

    private Response products() throws SQLException {
        ArrayNode list = Json.MAPPER.createArrayNode();
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, name, stock FROM products ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                list.addObject().put("product_id", rs.getString(1)).put("name", rs.getString(2)).put("stock", rs.getInt(3));
            }
        }
        return Response.ok(Json.object().set("products", list));
    }

    private Response reserve(Request r) throws SQLException {
        server.counters().received();
        String config = String.valueOf(r.config().name());
        server.metrics().attemptsReceived.labelValues("/reservations", config).inc();
        JsonNode body = r.json();
        UUID orderId = Validation.uuid(body, "order_id");
        Map<String, Integer> wanted = items(body); // sorted by product id: the lock order
        boolean idempotent = r.config().idempotency();
        Deadline deadline = r.deadline();
        boolean enforce = r.config().timeouts().enabled() && deadline != null;

        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                // ---- transaction: [lock_timeout, replay check,] take stock + reservation rows ----
                if (begin(c, enforce ? Math.max(1, deadline.remaining().toMillis()) : 0, idempotent ? orderId : null)) {
                    c.rollback();
                    return Response.created(reservationJson(orderId, wanted).put("replayed", true));
                }
                try (PreparedStatement take = c.prepareStatement(TAKE)) {
                    for (var item : wanted.entrySet()) {
                        take.setInt(1, item.getValue());
                        take.setString(2, item.getKey());
                        take.setInt(3, item.getValue());
                        take.setObject(4, orderId);
                        take.setInt(5, item.getValue());
                        take.setString(6, config);
                        take.addBatch();
                    }
                    int[] taken = take.executeBatch(); // every item in one round trip
                    int i = 0;
                    for (var item : wanted.entrySet()) {
                        if (taken[i++] != 1) {
                            refuse(c, item.getKey(), item.getValue());
                        }
                    }
                }
                c.commit();
                // ---- end transaction ----
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                if (e instanceof SQLException sql && "55P03".equals(sql.getSQLState())) { // lock_not_available
                    throw new DeadlineExceededException(
                            "gave up waiting for a stock row lock: the caller's deadline would pass first");
                }
                if (e instanceof SQLException sql && "23505".equals(sql.getSQLState()) && idempotent) {
                    // A concurrent attempt of the same order committed first: its reservation stands.
                    return Response.created(reservationJson(orderId, wanted).put("replayed", true));
                }
                throw e;
            }
        }
        if (deadline != null && deadline.isExpired()) {
            server.counters().completedAfterDeadline();
            server.metrics().wastedWork.labelValues("/reservations", config).inc();
        }
        return Response.created(reservationJson(orderId, wanted));
    }

    private static Map<String, Integer> items(JsonNode body) {
        JsonNode items = Validation.field(body, "items");
        if (!items.isArray() || items.isEmpty() || items.size() > 50) {
            throw ApiException.unprocessable("'items' must be an array of 1 to 50 items");
        }
        Map<String, Integer> wanted = new TreeMap<>();
        for (JsonNode item : items) {
            if (!item.isObject()) {
                throw ApiException.badRequest("each item must be an object with product_id and quantity");
            }
            String product = Validation.text(item, "product_id", 1, 64);
            int quantity = Validation.intInRange(item, "quantity", 1, 1000);
            wanted.merge(product, quantity, Integer::sum);
        }
        return wanted;
    }

    /**
     * Takes {@code quantity} of a product and records the reservation, in one statement: the UPDATE
     * takes the row lock and refuses to oversell ({@code stock >= q}); the INSERT writes a row only
     * when the UPDATE did. 1 row: reserved; 0 rows: see {@link #refuse}.
     */
    static final String TAKE = """
            WITH taken AS (UPDATE products SET stock = stock - ? WHERE id = ? AND stock >= ? RETURNING id)
            INSERT INTO reservations (order_id, product_id, quantity, config, status)
            SELECT ?, id, ?, ?, 'RESERVED' FROM taken""";

    /** The first statement of a reservation: the lock timeout (ms, 0 = none) and, for F, whether the order is already reserved. */
    private static boolean begin(Connection c, long lockTimeoutMs, UUID replayOf) throws SQLException {
        if (lockTimeoutMs == 0 && replayOf == null) {
            return false;
        }
        // set_config(..., true) is SET LOCAL as a function, so it shares a round trip with the check.
        String sql = "SELECT " + (lockTimeoutMs > 0 ? "set_config('lock_timeout', ?, true)" : "NULL") + ", "
                + (replayOf != null ? "EXISTS (SELECT 1 FROM reservations WHERE order_id = ? AND config IN ('F', 'G'))" : "false");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int n = 1;
            if (lockTimeoutMs > 0) {
                ps.setString(n++, Long.toString(lockTimeoutMs));
            }
            if (replayOf != null) {
                ps.setObject(n, replayOf);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(2);
            }
        }
    }

    /** Why {@link #TAKE} took nothing: an unknown product (422) or too little stock (409). Always throws. */
    private static void refuse(Connection c, String product, int quantity) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT stock FROM products WHERE id = ?")) {
            ps.setString(1, product);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new ApiException(422, "unknown_product", "no product '" + product + "' in the catalogue");
                }
                throw new ApiException(409, "insufficient_stock", "product '" + product + "' has " + rs.getInt(1)
                        + " in stock, " + quantity + " requested");
            }
        }
    }

    private static ObjectNode reservationJson(UUID orderId, Map<String, Integer> wanted) {
        ObjectNode o = Json.object().put("order_id", orderId.toString()).put("status", "RESERVED");
        ArrayNode items = o.putArray("items");
        wanted.forEach((p, q) -> items.addObject().put("product_id", p).put("quantity", q));
        return o;
    }

    /** Compensation: puts back every RESERVED quantity of the order, in one transaction. */
    private Response release(Request r) throws SQLException {
        UUID orderId = Validation.uuid(r.pathParam("orderId"), "orderId");
        int released = 0;
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement rel = c.prepareStatement(
                    "UPDATE reservations SET status = 'RELEASED', released_at = now() "
                    + "WHERE order_id = ? AND status = 'RESERVED' RETURNING product_id, quantity");
                 PreparedStatement back = c.prepareStatement("UPDATE products SET stock = stock + ? WHERE id = ?")) {
                rel.setObject(1, orderId);
                try (ResultSet rs = rel.executeQuery()) {
                    while (rs.next()) {
                        back.setInt(1, rs.getInt(2));
                        back.setString(2, rs.getString(1));
                        back.addBatch();
                        released++;
                    }
                }
                back.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return Response.ok(Json.object().put("order_id", orderId.toString()).put("released_items", released));
    }
}
