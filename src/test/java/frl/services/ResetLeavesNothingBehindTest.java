package frl.services;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static frl.services.LabStack.json;
import static frl.services.LabStack.orderBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /admin/reset} ends a run clean (issue 7): what a storm left queued in payments'
 * processor ends now, uncharged, and the chaos transaction holding inventory's hot rows is gone
 * by the time the reset answers, so the next run starts within seconds.
 */
class ResetLeavesNothingBehindTest extends StackTest {

    private long counter(String service, String field) throws Exception {
        return json(stack.admin(service, "GET", "/admin/counters", null)).path(field).asLong(-1);
    }

    @Test
    void aPaymentQueuedAtResetEndsWithADefinedFailureAndNoCharge() throws Exception {
        // Given payments has no slot, and an order of config A (no deadline, so it would queue for 60 s) waits for one
        stack.admin("payments", "POST", "/admin/chaos", "{\"slots\": 0}");
        CompletableFuture<HttpResponse<String>> order = CompletableFuture.supplyAsync(() -> {
            try {
                return stack.order('A', "reset-queued-1", orderBody("prod-011", 1, "10.00"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Poll.until(() -> counter("payments", "queue_length"), n -> n == 1, 10_000);

        // When payments is reset
        assertEquals(200, stack.admin("payments", "POST", "/admin/reset", null).statusCode());

        // Then the order gets its answer now: a failure naming the reset, the order FAILED, its stock released
        HttpResponse<String> r = order.get(10, TimeUnit.SECONDS);
        assertEquals(503, r.statusCode(), r.body());
        assertEquals("payment_failed", json(r).path("error").asText());
        assertTrue(json(r).path("detail").asText().contains("payments answered 409: the payment processor was reset"), r.body());
        assertEquals("FAILED", json(r).path("status").asText());
        String id = json(r).path("order_id").asText();
        // And nothing was charged, then or later, and the processor is empty with every slot back
        assertEquals(0, stack.count(stack.paymentsDb, "SELECT count(*) FROM charges WHERE order_id = ?::uuid", id));
        assertEquals(0, counter("payments", "queue_length"));
        assertEquals(0, counter("payments", "busy_slots"));
        assertEquals(LabStack.STOCK, stack.stock("prod-011"));
        assertEquals(201, stack.order('A', null, orderBody("prod-011", 1, "10.00")).statusCode(), "the next order is served");
    }

    @Test
    void aRequestOfAnEndedRunRetriesNothingIntoTheNextOne() throws Exception {
        // Given config B (retries, no deadlines): an order waits in payments' queue, and the gateway
        // would retry the 503 its failure becomes, placing the order again on the restored processor
        stack.admin("payments", "POST", "/admin/chaos", "{\"slots\": 0}");
        CompletableFuture<HttpResponse<String>> order = CompletableFuture.supplyAsync(() -> {
            try {
                return stack.order('B', "ended-run-1", orderBody("prod-014", 1, "10.00"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Poll.until(() -> counter("payments", "queue_length"), n -> n == 1, 10_000);

        // When the stack is reset in the harness's order
        for (String s : java.util.List.of("gateway", "orders", "payments", "inventory", "notifications")) {
            assertEquals(200, stack.admin(s, "POST", "/admin/reset", null).statusCode(), s);
        }

        // Then the client is told its run ended, and nothing of it reached the next run: one order
        // under the key (FAILED), no charge, no attempt counted since the reset
        HttpResponse<String> r = order.get(10, TimeUnit.SECONDS);
        assertEquals(504, r.statusCode(), r.body());
        assertTrue(json(r).path("detail").asText().contains("POST /admin/reset ended"), r.body());
        assertEquals(1, stack.count(stack.ordersDb, "SELECT count(*) FROM orders WHERE idempotency_key = 'ended-run-1'"));
        assertEquals(0, stack.count(stack.ordersDb,
                "SELECT count(*) FROM orders WHERE idempotency_key = 'ended-run-1' AND status <> 'FAILED'"));
        assertEquals(0, stack.count(stack.paymentsDb, "SELECT count(*) FROM charges WHERE order_id = ?::uuid",
                orderIdOf("ended-run-1")));
        assertEquals(0, counter("gateway", "received"));
        assertEquals(0, counter("orders", "received"));
        assertEquals(0, counter("payments", "received"));
    }

    private String orderIdOf(String key) throws Exception {
        try (Connection c = stack.ordersDb.getConnection();
             var ps = c.prepareStatement("SELECT id::text FROM orders WHERE idempotency_key = ?")) {
            ps.setString(1, key);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** True if a transaction can lock inventory's first hot product at once (NOWAIT), i.e. no one holds it. */
    private boolean hotRowFree() throws SQLException {
        try (Connection c = stack.inventoryDb.getConnection()) {
            c.setAutoCommit(false);
            try (var st = c.createStatement()) {
                st.execute("SELECT id FROM products WHERE id = 'prod-001' FOR UPDATE NOWAIT");
                return true;
            } catch (SQLException e) {
                if ("55P03".equals(e.getSQLState())) { // lock_not_available
                    return false;
                }
                throw e;
            } finally {
                c.rollback();
            }
        }
    }

    @Test
    void aHeldLockIsReleasedByTheTimeTheResetAnswers() throws Exception {
        // Given the lock fault holds the hot rows for a minute at a time, and holds them now
        stack.admin("inventory", "POST", "/admin/chaos", "{\"lock_ms\": 60000}");
        Poll.until(this::hotRowFree, free -> !free, 10_000);

        // When inventory is reset
        assertEquals(200, stack.admin("inventory", "POST", "/admin/reset", null).statusCode());

        // Then the rows are free the moment the reset has answered, not a minute later
        assertTrue(hotRowFree(), "the lock holder still holds prod-001 after the reset answered");
        assertTrue(json(stack.admin("inventory", "GET", "/admin/chaos", null)).path("active").isEmpty());
        assertEquals(201, stack.order('C', null, orderBody("prod-001", 1, "1.00")).statusCode());
    }
}
