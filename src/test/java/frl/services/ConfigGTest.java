package frl.services;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static frl.services.LabStack.json;
import static frl.services.LabStack.orderBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Configuration G on the whole stack, beside E: where E's fixed bulkheads refuse a slow-but-working
 * payments, G's adaptive limits serve it; a failed G order releases its stock and ends FAILED.
 */
class ConfigGTest extends StackTest {

    private void chaos(String service, String body) throws Exception {
        HttpResponse<String> r = stack.admin(service, "POST", "/admin/chaos", body);
        assertEquals(200, r.statusCode(), r.body());
    }

    private long counter(String service, String pointer) throws Exception {
        return json(stack.admin(service, "GET", "/admin/counters", null)).at(pointer).asLong();
    }

    private HttpResponse<String> order(char config, String product) throws Exception {
        // G keeps F's idempotency keys: every order carries one
        return stack.order(config, config == 'G' ? "g-" + UUID.randomUUID() : null, orderBody(product, 1, "5.00"));
    }

    /** {@code n} orders sent together through the gateway; returns the statuses. */
    private List<Integer> together(char config, int n) throws Exception {
        List<Future<HttpResponse<String>>> inFlight = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                String product = "prod-%03d".formatted(i % 20 + 1);
                inFlight.add(pool.submit(() -> order(config, product)));
            }
        }
        List<Integer> statuses = new ArrayList<>();
        for (var f : inFlight) {
            statuses.add(f.get().statusCode());
        }
        return statuses;
    }

    private static long confirmed(List<Integer> statuses) {
        return statuses.stream().filter(s -> s == 201).count();
    }

    @Test
    void gServesASlowPaymentsThatEsBulkheadsRefuse() throws Exception {
        // Given G's limits have seen 30 healthy orders (each adds one to the limit: 20 -> 50), as an
        // experiment's warm-up does, and E has seen the same
        for (int i = 0; i < 30; i++) {
            assertEquals(201, order('G', "prod-001").statusCode());
            assertEquals(201, order('E', "prod-002").statusCode());
        }
        // When payments answers 3 s late (working, only slow) and 30 orders arrive together in G
        chaos("payments", "{\"latency_ms\": 3000}");
        List<Integer> g = together('G', 30);
        // Then every one is confirmed: nothing was refused, and no retry was needed
        assertEquals(30, confirmed(g), g::toString);
        assertEquals(0, counter("orders", "/bulkhead_rejections"));
        assertEquals(0, counter("gateway", "/shed"));
        assertEquals(0, counter("orders", "/retry_budget_refusals"));
        JsonNode limits = json(stack.send("gateway", "GET", "/status/limits", null));
        assertTrue(limits.at("/orders/adaptive_limits/G~1payments/limit").asInt() >= 30, limits::toString);
        assertTrue(limits.at("/gateway/adaptive_limits/G~1front_door/limit").asInt() >= 30, limits::toString);
        assertEquals("orders->payments", limits.at("/orders/retry_budgets/G~1payments/name").asText(), limits::toString);

        // When the same 30 arrive together in E: its payments bulkhead holds 20
        List<Integer> e = together('E', 30);
        // Then E refuses some of them (503), and orders counted the refusals
        assertTrue(confirmed(e) < 30 && e.contains(503), e::toString);
        assertTrue(counter("orders", "/bulkhead_rejections") > 0);
        String metrics = stack.sendManagement("orders", "GET", "/metrics", null).body();
        assertTrue(metrics.contains("lab_adaptive_limit{config=\"G\",limiter=\"orders->payments\"}"),
                () -> metrics.lines().filter(l -> l.contains("adaptive")).toList().toString());
    }

    @Test
    void aFailedGOrderReleasesItsStockAndEndsFailed() throws Exception {
        // Given payments declines every attempt (503)
        long before = stack.stock("prod-005");
        chaos("payments", "{\"error_rate\": 1.0}");
        // When a G order is placed
        HttpResponse<String> failed = order('G', "prod-005");
        // Then it failed, holds no stock, and no charge exists; the budget allowed the floor's retries only
        assertEquals(503, failed.statusCode(), failed.body());
        assertEquals("FAILED", json(failed).get("status").asText(), failed.body());
        assertEquals(before, stack.stock("prod-005"));
        assertEquals(0, stack.count(stack.paymentsDb, "SELECT count(*) FROM charges WHERE order_id = ?",
                UUID.fromString(json(failed).get("order_id").asText())));
    }

    @Test
    void aGOrdersChargeReservationAndNotificationAreRecordedAsGAndAreIdempotent() throws Exception {
        // Regression: the idempotent writes were F's alone ('F' written into the row, indexes on
        // config = 'F'), so G's charges and outbox deliveries were booked as F's, and the audit
        // counted every G order as "confirmed, no charge" and its notification as missing.
        String key = "g-" + UUID.randomUUID();
        HttpResponse<String> placed = stack.order('G', key, orderBody("prod-007", 1, "5.00"));
        assertEquals(201, placed.statusCode(), placed.body());
        UUID id = UUID.fromString(json(placed).get("order_id").asText());
        // The replay is the same order, and the ledger holds one charge, booked as G's
        HttpResponse<String> replay = stack.order('G', key, orderBody("prod-007", 1, "5.00"));
        assertEquals(id.toString(), json(replay).get("order_id").asText(), replay.body());
        assertEquals(1, stack.count(stack.paymentsDb, "SELECT count(*) FROM charges WHERE order_id = ? AND config = 'G'", id));
        assertEquals(1, stack.count(stack.inventoryDb, "SELECT count(*) FROM reservations WHERE order_id = ? AND config = 'G'", id));
        // And the outbox relay delivers the notification as G's
        long delivered = Poll.until(() -> stack.count(stack.notificationsDb,
                "SELECT count(*) FROM deliveries WHERE order_id = ? AND config = 'G'", id), n -> n > 0, 10_000);
        assertEquals(1, delivered);
    }

    @Test
    void adminConfigShowsGAndTheDefaultCanBeSetToIt() throws Exception {
        JsonNode config = json(stack.admin("orders", "GET", "/admin/config", null));
        assertTrue(config.at("/configs/G/adaptive/enabled").asBoolean(), config::toString);
        assertTrue(config.at("/configs/G/retryBudget/enabled").asBoolean(), config::toString);
        HttpResponse<String> set = stack.admin("gateway", "POST", "/admin/config", "{\"default_config\": \"G\"}");
        assertEquals("G", json(set).get("default_config").asText(), set.body());
        stack.admin("gateway", "POST", "/admin/config", "{\"default_config\": \"F\"}");
        HttpResponse<String> bad = stack.send("gateway", "POST", "/orders", orderBody("prod-001", 1, "5.00"), "X-Client-Config", "H");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("use one of A, B, C, D, E, F, G"), bad.body());
    }
}
