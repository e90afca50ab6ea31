package frl.services;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static frl.services.LabStack.json;
import static frl.services.LabStack.orderBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spec's Quick Start, idempotency in F, and compensation, against the real stack. */
class QuickStartTest extends StackTest {

    @Test
    void everyServiceIsHealthyAndSaysWhichDependenciesItChecked() throws Exception {
        for (String s : List.of("gateway", "orders", "payments", "inventory", "notifications")) {
            HttpResponse<String> r = stack.send(s, "GET", "/health", null);
            assertEquals(200, r.statusCode(), s);
            assertEquals("up", json(r).get("status").asText(), s);
        }
        assertEquals("up", json(stack.send("orders", "GET", "/health", null)).at("/dependencies/redis").asText());
    }

    @Test
    void specQuickStartOrderIsConfirmedChargedOnceAndNotifiedThroughTheOutbox() throws Exception {
        // Given the spec's request, in configuration F with a key
        HttpResponse<String> r = stack.order('F', "test-001-" + UUID.randomUUID(), orderBody("prod-001", 2, "29.99"));

        // Then it is confirmed with the total computed by orders
        assertEquals(201, r.statusCode(), r.body());
        JsonNode body = json(r);
        assertEquals("CONFIRMED", body.get("status").asText());
        assertEquals("59.98", body.get("total").asText());
        UUID id = UUID.fromString(body.get("order_id").asText());
        assertEquals("CONFIRMED", json(stack.send("gateway", "GET", "/orders/" + id, null)).get("status").asText());
        assertEquals(1, stack.count(stack.paymentsDb, "SELECT count(*) FROM charges WHERE order_id = ?", id));
        assertEquals(LabStack.STOCK - 2, stack.stock("prod-001") + stack.count(stack.inventoryDb,
                "SELECT coalesce(sum(quantity), 0) FROM reservations WHERE product_id = 'prod-001' AND status = 'RESERVED' AND order_id <> ?", id));
        // And the outbox relay delivers exactly one notification (polled: the relay runs every 200 ms)
        assertEquals(1, Poll.until(() -> stack.count(stack.notificationsDb,
                "SELECT count(*) FROM deliveries WHERE order_id = ?", id), n -> n == 1, 10_000));

        // And /status/breakers lists the gateway's breaker and those orders reports
        JsonNode breakers = json(stack.send("gateway", "GET", "/status/breakers", null));
        assertEquals("CLOSED", breakers.at("/gateway/F~1orders/state").asText());
        assertEquals("CLOSED", breakers.at("/orders/F~1payments/state").asText());
    }

    @Test
    void sameKeyTwiceInFReturnsTheSameOrderAndChargesOnce() throws Exception {
        String key = "key-" + UUID.randomUUID();
        HttpResponse<String> first = stack.order('F', key, orderBody("prod-002", 1, "10.00"));
        HttpResponse<String> second = stack.order('F', key, orderBody("prod-002", 1, "10.00"));

        assertEquals(201, first.statusCode(), first.body());
        assertEquals(201, second.statusCode(), second.body());
        assertEquals(first.body(), second.body());
        assertEquals("true", second.headers().firstValue("Idempotent-Replayed").orElse(null));
        UUID id = UUID.fromString(json(first).get("order_id").asText());
        assertEquals(1, stack.count(stack.paymentsDb, "SELECT count(*) FROM charges WHERE order_id = ?", id));
        assertEquals(1, stack.count(stack.ordersDb, "SELECT count(*) FROM orders WHERE idempotency_key = ?", key));
    }

    @Test
    void sameKeyWithAnotherBodyIs422AndMissingKeyInFIs400() throws Exception {
        String key = "key-" + UUID.randomUUID();
        assertEquals(201, stack.order('F', key, orderBody("prod-003", 1, "10.00")).statusCode());

        HttpResponse<String> reused = stack.order('F', key, orderBody("prod-003", 2, "10.00"));
        assertEquals(422, reused.statusCode());
        assertEquals("idempotency_key_reused", json(reused).get("error").asText());

        HttpResponse<String> missing = stack.order('F', null, orderBody("prod-003", 1, "10.00"));
        assertEquals(400, missing.statusCode());
        assertEquals("idempotency_key_required", json(missing).get("error").asText());

        // In A..E the key is accepted and ignored: a second request is a second order
        String k = "key-" + UUID.randomUUID();
        assertEquals(201, stack.order('A', k, orderBody("prod-003", 1, "10.00")).statusCode());
        assertEquals(201, stack.order('A', k, orderBody("prod-003", 1, "10.00")).statusCode());
    }

    @Test
    void declinedPaymentFailsTheOrderAndRestoresStock() throws Exception {
        long before = stack.stock("prod-004");
        // 1000 x 29.99 = 29,990.00, above the card limit of 10,000.00
        HttpResponse<String> r = stack.order('A', null, orderBody("prod-004", 1000, "29.99"));

        assertEquals(402, r.statusCode(), r.body());
        assertEquals("FAILED", json(r).get("status").asText());
        UUID id = UUID.fromString(json(r).get("order_id").asText());
        JsonNode stored = json(stack.send("gateway", "GET", "/orders/" + id, null));
        assertEquals("FAILED", stored.get("status").asText());
        assertTrue(stored.get("failure_reason").asText().startsWith("payment_declined"), stored.toString());
        assertEquals(before, stack.stock("prod-004"));
        assertEquals(0, stack.count(stack.paymentsDb, "SELECT count(*) FROM charges WHERE order_id = ?", id));
    }

    @Test
    void insufficientStockIs409AndTakesNothing() throws Exception {
        long before = stack.stock("prod-005");
        String body = "{\"customer_id\": \"c\", \"items\": [{\"product_id\": \"prod-005\", \"quantity\": 1000, \"unit_price\": 0.01},"
                + " {\"product_id\": \"prod-005\", \"quantity\": 1000, \"unit_price\": 0.01}]}";
        HttpResponse<String> r = stack.order('A', null, body);
        assertEquals(409, r.statusCode(), r.body());
        assertEquals("insufficient_stock", json(r).get("error").asText());
        assertEquals(before, stack.stock("prod-005"));
    }
    @Test
    void statusBreakersWritesEveryFailureRateTheSameWayAndAStoredPriceAsSent() throws Exception {
        // Given healthy breakers (F) and failing ones (D, with payments refusing every charge), in gateway and orders
        HttpResponse<String> ok = stack.order('F', "k-" + UUID.randomUUID(), orderBody("prod-006", 1, "100.00"));
        assertEquals(201, ok.statusCode(), ok.body());
        assertEquals(200, stack.admin("payments", "POST", "/admin/chaos", "{\"error_rate\": 1.0}").statusCode());
        assertEquals(503, stack.order('D', null, orderBody("prod-006", 1, "1.00")).statusCode());
        // When the gateway reports its own breakers and passes on those of orders
        String body = stack.send("gateway", "GET", "/status/breakers", null).body();
        // Then every failure_rate_percent reads the same way, whichever service wrote it (orders' came as 0 and 1E+2)
        Matcher m = Pattern.compile("\"failure_rate_percent\":([^,}]*)").matcher(body);
        List<String> rates = new ArrayList<>();
        while (m.find()) {
            rates.add(m.group(1));
        }
        assertTrue(rates.size() >= 5, body);
        rates.forEach(rate -> assertTrue(rate.matches("\\d+\\.\\d"), rate + " in " + body));
        assertEquals(100.0, json(stack.send("gateway", "GET", "/status/breakers", null)).at("/orders/D~1payments/failure_rate_percent")
                .asDouble());
        assertTrue(body.contains("\"failure_rate_percent\":100.0") && body.contains("\"failure_rate_percent\":0.0"), body);
        // And a stored order shows its price as it was sent, not as 1E+2
        String stored = stack.send("gateway", "GET", "/orders/" + json(ok).get("order_id").asText(), null).body();
        assertTrue(stored.contains("\"unit_price\":100.00"), stored);
    }
}
