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
 * and the reservation rows are inserted in the same transaction, so the audit invariant
 * {@code stock + reserved = initial_stock} holds at every commit. Products are locked in id order,
 * so two orders for the same products cannot deadlock.
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
                if (enforce) {
                    long ms = Math.max(1, deadline.remaining().toMillis());
                    try (var st = c.createStatement()) {
                        st.execute("SET LOCAL lock_timeout = " + ms); // a number we computed: no injection
                    }
                }
                if (idempotent && alreadyReserved(c, orderId)) {
                    c.rollback();
                    return Response.created(reservationJson(orderId, wanted).put("replayed", true));
                }
                for (var item : wanted.entrySet()) {
                    take(c, item.getKey(), item.getValue());
                }
                try (PreparedStatement ins = c.prepareStatement(
                        "INSERT INTO reservations (order_id, product_id, quantity, config, status) VALUES (?, ?, ?, ?, 'RESERVED')")) {
                    for (var item : wanted.entrySet()) {
                        ins.setObject(1, orderId);
                        ins.setString(2, item.getKey());
                        ins.setInt(3, item.getValue());
                        ins.setString(4, config);
                        ins.addBatch();
                    }
                    ins.executeBatch();
                }
                c.commit();
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

    private static void take(Connection c, String product, int quantity) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE products SET stock = stock - ? WHERE id = ? AND stock >= ?")) {
            ps.setInt(1, quantity);
            ps.setString(2, product);
            ps.setInt(3, quantity);
            if (ps.executeUpdate() == 1) {
                return;
            }
        }
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

    private static boolean alreadyReserved(Connection c, UUID orderId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM reservations WHERE order_id = ? AND config = 'F' LIMIT 1")) {
            ps.setObject(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
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
