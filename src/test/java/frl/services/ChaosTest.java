package frl.services;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import static frl.services.LabStack.json;
import static frl.services.LabStack.orderBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each chaos switch has its effect, and turning it off restores normal service. */
class ChaosTest extends StackTest {

    private void chaos(String service, String body) throws Exception {
        HttpResponse<String> r = stack.admin(service, "POST", "/admin/chaos", body);
        assertEquals(200, r.statusCode(), r.body());
    }

    private long counter(String service, String pointer) throws Exception {
        return json(stack.admin(service, "GET", "/admin/counters", null)).at(pointer).asLong();
    }

    @Test
    void paymentErrorsFailTheOrderWithoutAChargeAndDisableRestores() throws Exception {
        chaos("payments", "{\"error_rate\": 1.0}");
        HttpResponse<String> failed = stack.order('A', null, orderBody("prod-010", 1, "5.00"));
        assertEquals(503, failed.statusCode(), failed.body());
        assertEquals("FAILED", json(failed).get("status").asText());
        assertEquals(0, stack.count(stack.paymentsDb, "SELECT count(*) FROM charges WHERE order_id = ?",
                UUID.fromString(json(failed).get("order_id").asText())));

        chaos("payments", "{\"error_rate\": 0}");
        assertEquals(201, stack.order('A', null, orderBody("prod-010", 1, "5.00")).statusCode());
    }

    @Test
    void naiveRetriesAtTwoHopsMultiply3x3IntoNinePaymentAttempts() throws Exception {
        // Given every payment attempt fails, config B (3 attempts at every hop, no breaker)
        chaos("payments", "{\"error_rate\": 1.0}");

        // When one client request is made
        HttpResponse<String> r = stack.order('B', null, orderBody("prod-011", 1, "5.00"));

        // Then the gateway tried orders 3 times, and each orders attempt tried payments 3 times
        assertEquals(503, r.statusCode(), r.body());
        assertEquals(3, counter("gateway", "/outgoing/orders/attempts"));
        assertEquals(3, counter("orders", "/received"));
        assertEquals(9, counter("orders", "/outgoing/payments/attempts"));
        assertEquals(6, counter("orders", "/outgoing/payments/retries"));
        assertEquals(9, counter("payments", "/received"));
    }

    @Test
    void inConfigDTheBreakerOpensAndStopsTheAttemptsReachingPayments() throws Exception {
        chaos("payments", "{\"error_rate\": 1.0}");
        // Default breaker: 50% failures over at least 20 calls in 10 s; each order makes up to 9 attempts
        for (int i = 0; i < 4; i++) {
            stack.order('D', null, orderBody("prod-012", 1, "5.00"));
        }
        JsonNode breakers = json(stack.send("gateway", "GET", "/status/breakers", null));
        assertEquals("OPEN", breakers.at("/orders/D~1payments/state").asText(), breakers.toString());
        assertTrue(breakers.at("/orders/D~1payments/millis_until_half_open").asLong() > 0);

        long before = counter("payments", "/received");
        HttpResponse<String> r = stack.order('D', null, orderBody("prod-012", 1, "5.00"));
        assertEquals(503, r.statusCode());
        assertTrue(json(r).get("detail").asText().contains("CircuitOpenException"), r.body());
        assertEquals(before, counter("payments", "/received"), "an open breaker sends nothing to payments");
    }

    @Test
    void paymentLatencyDelaysEveryOrderByAtLeastTheInjectedTime() throws Exception {
        chaos("payments", "{\"latency_ms\": 300}");
        long start = System.nanoTime();
        assertEquals(201, stack.order('A', null, orderBody("prod-013", 1, "5.00")).statusCode());
        assertTrue((System.nanoTime() - start) / 1_000_000 >= 300, "latency applied");
        assertEquals(300, json(stack.admin("payments", "GET", "/admin/chaos", null)).at("/active/latency_ms").asLong());

        chaos("payments", "{\"latency_ms\": 0}");
        assertTrue(json(stack.admin("payments", "GET", "/admin/chaos", null)).get("active").isEmpty());
    }

    @Test
    void outageRefusesEveryPayment() throws Exception {
        chaos("payments", "{\"outage\": true}");
        HttpResponse<String> r = stack.order('A', null, orderBody("prod-014", 1, "5.00"));
        assertEquals(503, r.statusCode());
        assertTrue(json(r).get("detail").asText().contains("outage"), r.body());
        chaos("payments", "{\"outage\": false}");
        assertEquals(201, stack.order('A', null, orderBody("prod-014", 1, "5.00")).statusCode());
    }

    @Test
    void capacityDropWithADeadlineDropsQueuedPaymentsWithoutDoingTheWork() throws Exception {
        // Given no payment slots at all, and a client that gives the whole request 400 ms
        chaos("payments", "{\"slots\": 0}");
        long chargesBefore = stack.count(stack.paymentsDb, "SELECT count(*) FROM charges");
        HttpResponse<String> r = stack.send("gateway", "POST", "/orders", orderBody("prod-015", 1, "5.00"),
                "X-Client-Config", "C", "X-Deadline-Remaining-Ms", "400");

        // Then the request fails on its deadline, and payments did no work for a caller that had left
        assertEquals(504, r.statusCode(), r.body());
        assertEquals(0, counter("payments", "/completed_after_deadline"));
        assertEquals(chargesBefore, stack.count(stack.paymentsDb, "SELECT count(*) FROM charges"));

        chaos("payments", "{\"slots\": null}");
        assertEquals(201, stack.order('C', null, orderBody("prod-015", 1, "5.00")).statusCode());
    }

    @Test
    void inventoryLockContentionHoldsHotRowsUntilDisabled() throws Exception {
        chaos("inventory", "{\"lock_ms\": 5000}");
        // Wait until the background transaction really holds the row locks
        Poll.until(() -> stack.count(stack.inventoryDb, "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                + "WHERE c.relname = 'products' AND l.mode = 'RowShareLock' AND l.granted"), n -> n > 0, 5_000);

        // A reservation of a hot product with a 500 ms deadline gives up on the lock, and the order fails
        HttpResponse<String> r = stack.send("gateway", "POST", "/orders", orderBody("prod-001", 1, "5.00"),
                "X-Client-Config", "C", "X-Deadline-Remaining-Ms", "500");
        assertEquals(504, r.statusCode(), r.body());

        chaos("inventory", "{\"lock_ms\": 0}");
        assertEquals(201, stack.order('C', null, orderBody("prod-001", 1, "5.00")).statusCode());
    }

    @Test
    void notificationsDownLosesDirectCallsButTheOutboxDeliversAfterwards() throws Exception {
        chaos("notifications", "{\"down\": true}");
        HttpResponse<String> a = stack.order('A', null, orderBody("prod-016", 1, "5.00"));
        HttpResponse<String> f = stack.order('F', "key-" + UUID.randomUUID(), orderBody("prod-016", 1, "5.00"));
        assertEquals(201, a.statusCode());
        assertEquals(201, f.statusCode());
        assertEquals(1, counter("orders", "/notifications_lost"));
        UUID aId = UUID.fromString(json(a).get("order_id").asText());
        UUID fId = UUID.fromString(json(f).get("order_id").asText());

        chaos("notifications", "{\"down\": false}");
        assertEquals(1, Poll.until(() -> stack.count(stack.notificationsDb,
                "SELECT count(*) FROM deliveries WHERE order_id = ?", fId), n -> n >= 1, 15_000));
        assertEquals(0, stack.count(stack.notificationsDb, "SELECT count(*) FROM deliveries WHERE order_id = ?", aId));
    }

    @Test
    void inConfigEAFullBulkheadRejectsAtOnceAndIsCounted() throws Exception {
        // Given payments answers 1.5 s late, and 30 orders arrive together at orders in E (bulkheads
        // of 20 in front of payments and of inventory). Which one fills first depends on the
        // machine: here inventory's 8-connection test pool queues reservations long enough to fill
        // its bulkhead before payments' does. Sent to orders directly: through the gateway, E's
        // retries would turn some refusals into later successes and hide them from the bodies.
        chaos("payments", "{\"latency_ms\": 1500}");
        List<java.util.concurrent.Future<HttpResponse<String>>> inFlight = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 30; i++) {
                String product = "prod-%03d".formatted(i % 20 + 1);
                inFlight.add(pool.submit(() -> stack.send("orders", "POST", "/orders", orderBody(product, 1, "5.00"),
                        "X-Client-Config", "E")));
            }
        }
        long rejectedBodies = 0;
        for (var f : inFlight) {
            if (f.get().body().contains("BulkheadFullException")) {
                rejectedBodies++;
            }
        }
        // Then calls beyond a bulkhead's 20 were refused without waiting, and orders counted every refusal
        assertTrue(rejectedBodies > 0, "some orders failed on the full bulkhead");
        assertTrue(counter("orders", "/bulkhead_rejections") >= rejectedBodies);
        String metrics = stack.sendManagement("orders", "GET", "/metrics", null).body();
        assertTrue(metrics.contains("lab_bulkhead_rejections_total{config=\"E\",downstream="),
                () -> metrics.lines().filter(l -> l.contains("bulkhead")).toList().toString());
    }
}
