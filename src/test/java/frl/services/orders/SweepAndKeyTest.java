package frl.services.orders;

import com.fasterxml.jackson.databind.JsonNode;
import frl.services.LabStack;
import frl.services.StackTest;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.util.List;
import java.util.UUID;

import static frl.services.LabStack.json;
import static frl.services.LabStack.orderBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Orders' side of issue 7: the client's key is on the order in every configuration, and
 * {@code POST /admin/sweep} settles PENDING orders now, so a drain need not wait for the sweep loop.
 */
class SweepAndKeyTest extends StackTest {

    @Test
    void theClientKeyIsRecordedInEveryConfigurationAndAReSendInAIsASecondCharge() throws Exception {
        for (char config : "ABCDEF".toCharArray()) {
            String key = "press-once-" + config;
            // When a client sends the same purchase twice under one key
            HttpResponse<String> first = stack.order(config, key, orderBody("prod-013", 1, "5.00"));
            HttpResponse<String> again = stack.order(config, key, orderBody("prod-013", 1, "5.00"));
            assertEquals(201, first.statusCode(), first.body());

            // Then the key is on the order(s): in A..E the re-send is a second order and a second charge
            // for one purchase; in F it is the first order's answer again
            long orders = stack.count(stack.ordersDb, "SELECT count(*) FROM orders WHERE idempotency_key = ?", key);
            long charges = 0;
            for (String id : ids(key)) {
                charges += stack.count(stack.paymentsDb, "SELECT count(*) FROM charges WHERE order_id = ?::uuid", id);
            }
            assertEquals(config == 'F' ? 1 : 2, orders, "orders under one key in " + config);
            assertEquals(config == 'F' ? 1 : 2, charges, "charges under one key in " + config);
            assertEquals(json(first).path("order_id").asText(), config == 'F' ? json(again).path("order_id").asText()
                    : json(first).path("order_id").asText());
        }
    }

    @Test
    void aMalformedKeyIs400InEveryConfiguration() throws Exception {
        for (char config : "AF".toCharArray()) {
            HttpResponse<String> r = stack.order(config, "x".repeat(300), orderBody("prod-013", 1, "5.00"));
            assertEquals(400, r.statusCode(), r.body());
            assertEquals("bad_idempotency_key", json(r).path("error").asText());
        }
    }

    private List<String> ids(String key) throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        try (Connection c = stack.ordersDb.getConnection();
             var ps = c.prepareStatement("SELECT id FROM orders WHERE idempotency_key = ?")) {
            ps.setString(1, key);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    /** A PENDING order as a crash leaves it: its row, no request working on it, {@code ageSeconds} old. */
    private UUID crashedOrder(int ageSeconds) throws Exception {
        UUID id = UUID.randomUUID();
        try (Connection c = stack.ordersDb.getConnection(); var ps = c.prepareStatement(
                "INSERT INTO orders (id, customer_id, config, status, total_cents, items, created_at, updated_at) "
                + "VALUES (?, 'customer-1', 'A', 'PENDING', 100, '[]'::jsonb, now() - make_interval(secs => ?), "
                + "now() - make_interval(secs => ?))")) {
            ps.setObject(1, id);
            ps.setInt(2, ageSeconds);
            ps.setInt(3, ageSeconds);
            ps.executeUpdate();
        }
        return id;
    }

    private JsonNode sweep(String body) throws Exception {
        HttpResponse<String> r = stack.admin("orders", "POST", "/admin/sweep", body);
        assertEquals(200, r.statusCode(), r.body());
        return json(r);
    }

    @Test
    void theSweepSettlesOrdersOlderThanItsHorizonAndCountsTheRest() throws Exception {
        // Given one order a crash left PENDING 90 s ago and one left a second ago
        UUID old = crashedOrder(90); // older than the default horizon (65 s), younger than the loop's 120 s
        UUID young = crashedOrder(1);
        assertEquals(2, json(stack.admin("orders", "GET", "/admin/counters", null)).path("pending_orders").asLong());

        // When the sweep runs with its default horizon (the longest a call can stay in flight)
        JsonNode byDefault = sweep(null);

        // Then only the old order is settled (no charge found: FAILED), the young one still PENDING
        assertEquals(RecoverySweep.longestCall(stack.ctx.configs()).toMillis(), byDefault.path("older_than_ms").asLong());
        assertEquals(1, byDefault.path("settled").asInt(), byDefault.toString());
        assertEquals(1, byDefault.path("still_pending").asLong());
        assertEquals("FAILED", status(old));
        assertEquals("PENDING", status(young));

        // And with horizon 0 (the caller saw the stack idle) the young one is settled too
        JsonNode now = sweep("{\"older_than_ms\": 0}");
        assertEquals(1, now.path("settled").asInt());
        assertEquals(0, now.path("still_pending").asLong());
        assertEquals("FAILED", status(young));
        assertEquals(0, json(stack.admin("orders", "GET", "/admin/counters", null)).path("pending_orders").asLong());
    }

    @Test
    void badSweepBodiesAre400WithJsonNamingTheProblem() throws Exception {
        for (String body : List.of("{\"older_than_ms\": -1}", "{\"older_than_ms\": \"soon\"}", "{\"horizon\": 5}",
                "[0]", "not json", "{\"older_than_ms\": 1e12}")) {
            HttpResponse<String> r = stack.admin("orders", "POST", "/admin/sweep", body);
            assertTrue(r.statusCode() == 400 || r.statusCode() == 422, body + " -> " + r.statusCode() + " " + r.body());
            assertTrue(json(r).path("detail").asText().length() > 0, r.body());
        }
        assertEquals(401, stack.sendManagement("orders", "POST", "/admin/sweep", "{}").statusCode());
    }

    private String status(UUID id) throws Exception {
        try (Connection c = stack.ordersDb.getConnection(); var ps = c.prepareStatement("SELECT status FROM orders WHERE id = ?")) {
            ps.setObject(1, id);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
