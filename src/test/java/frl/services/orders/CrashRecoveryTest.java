package frl.services.orders;

import frl.resilience.Sleeper;
import frl.resilience.idempotency.IdempotencyStore;
import frl.services.LabStack;
import frl.services.Poll;
import frl.services.ServiceContext;
import frl.testing.TestInfra;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An orders process killed with SIGKILL in the middle of an order leaves it PENDING; the recovery
 * sweep of the next orders instance finishes it. Orders runs as a real child JVM here so the kill
 * is a real kill: no finally block, no shutdown hook, nothing runs.
 */
class CrashRecoveryTest extends frl.services.StackTest {

    /** Starts OrdersMain in a child JVM on a free port, against the test stack's databases and services. */
    private Process startOrdersProcess(String[] portOut) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), OrdersMain.class.getName());
        Map<String, String> env = pb.environment();
        env.put("LAB_ADMIN_TOKEN", LabStack.TOKEN);
        env.put("LAB_ORDERS_PORT", "0");
        env.put("LAB_ORDERS_DB_URL", stack.ordersDb.getJdbcUrl());
        env.put("LAB_REDIS_URL", TestInfra.redisUrl());
        for (String s : List.of("inventory", "payments", "notifications")) {
            env.put("LAB_" + s.toUpperCase() + "_URL", stack.url(s).toString());
        }
        pb.redirectErrorStream(true);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
        Pattern listening = Pattern.compile("orders listening on http://[^:]+:(\\d+)");
        for (String line; (line = out.readLine()) != null; ) {
            Matcher m = listening.matcher(line);
            if (m.find()) {
                portOut[0] = m.group(1);
                Thread.ofVirtual().start(() -> out.lines().forEach(l -> { })); // keep draining its output
                return p;
            }
        }
        throw new AssertionError("orders child process exited with " + p.waitFor());
    }

    private UUID pendingOrderAfterKill(String productId) throws Exception {
        String[] port = new String[1];
        Process orders = startOrdersProcess(port);
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port[0] + "/orders"))
                    .header("X-Client-Config", "A")
                    .POST(HttpRequest.BodyPublishers.ofString(LabStack.orderBody(productId, 3, "2.00"))).build();
            long received = received();
            CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(req, HttpResponse.BodyHandlers.ofString());
            // Wait until the stock is reserved and payments has the request: mid-order
            Poll.until(this::received, n -> n == received + 1, 20_000);
            orders.destroyForcibly().waitFor(); // SIGKILL
            inFlight.handle((r, e) -> null).join();
        } finally {
            orders.destroyForcibly();
        }
        String id = Poll.until(() -> {
            try (var c = stack.ordersDb.getConnection(); var ps = c.prepareStatement(
                    "SELECT id::text FROM orders WHERE status = 'PENDING' AND items @> ?::jsonb")) {
                ps.setString(1, "[{\"product_id\": \"" + productId + "\"}]");
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        }, v -> v != null, 5_000);
        return UUID.fromString(id);
    }

    @Test
    void orderKilledWhileQueuedForPaymentIsFailedAndItsStockReleased() throws Exception {
        // Given payments has no slot free, so the order waits in the processor's queue, then orders is killed
        stack.admin("payments", "POST", "/admin/chaos", "{\"slots\": 0}");
        long before = stack.stock("prod-018");
        UUID id = pendingOrderAfterKill("prod-018");
        assertEquals(before - 3, stack.stock("prod-018"), "the dead order still holds its stock");

        // When the next orders instance sweeps (threshold 0: every PENDING order is stuck)
        OrdersService next = stack.newOrders(Duration.ZERO);
        next.sweep().sweepOnce();

        // Then no charge existed, so the order is FAILED and the stock is back
        assertEquals("FAILED", status(id));
        assertEquals(before, stack.stock("prod-018"));
        assertEquals(0, stack.count(stack.ordersDb, "SELECT count(*) FROM orders WHERE status = 'PENDING'"));

        // And the lesson of "abandoned work still costs capacity": once payments has slots again it
        // serves the dead caller's queued request (config A carries no enforced deadline), and the
        // charge is an orphan: a charge for a FAILED order, which the experiment's audit counts.
        // (Slots given back by the chaos switch: POST /admin/reset would flush the queue instead.)
        stack.admin("payments", "POST", "/admin/chaos", "{\"slots\": 4}");
        assertEquals(1, Poll.until(() -> stack.count(stack.paymentsDb, "SELECT count(*) FROM charges WHERE order_id = ?", id),
                n -> n == 1, 5_000));
        stack.admin("payments", "POST", "/admin/reset", null);
    }

    @Test
    void orderKilledAfterTheChargeIsConfirmedBySweep() throws Exception {
        // Given payments charges at once but answers 3 s later, and orders is killed while it waits
        stack.admin("payments", "POST", "/admin/chaos", "{\"latency_ms\": 3000}");
        UUID id = pendingOrderAfterKill("prod-019");
        Poll.until(() -> stack.count(stack.paymentsDb, "SELECT count(*) FROM charges WHERE order_id = ?", id), n -> n == 1, 5_000);
        stack.admin("payments", "POST", "/admin/reset", null);

        OrdersService next = stack.newOrders(Duration.ZERO);
        next.sweep().sweepOnce();

        // Then the customer paid, so the order is CONFIRMED, charged exactly once
        assertEquals("CONFIRMED", status(id));
        assertEquals(1, stack.count(stack.paymentsDb, "SELECT count(*) FROM charges WHERE order_id = ?", id));
        assertEquals(0, stack.count(stack.ordersDb, "SELECT count(*) FROM orders WHERE status = 'PENDING'"));
    }

    private long received() throws Exception {
        return frl.http.Json.read(stack.admin("payments", "GET", "/admin/counters", null).body()).get("received").asLong();
    }

    private String status(UUID id) throws Exception {
        try (var c = stack.ordersDb.getConnection(); var ps = c.prepareStatement("SELECT status FROM orders WHERE id = ?")) {
            ps.setObject(1, id);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
    @Test
    void closingTheSweepEndsItsLoopWithTheInterruptStillSet() throws Exception {
        // Given an orders service whose sweep loop is asleep between two rounds
        CountDownLatch asleep = new CountDownLatch(1);
        Sleeper reporting = d -> {
            asleep.countDown();
            Sleeper.system().sleep(d);
        };
        ServiceContext ctx = new ServiceContext(stack.ctx.configs(), stack.ctx.defaultConfig(), stack.ctx.clock(), reporting,
                LabStack.TOKEN, 7, null);
        OrdersService orders = new OrdersService(ctx, stack.ordersDb,
                new IdempotencyStore(TestInfra.redis(), IdempotencyStore.Config.defaults(TestInfra.uniqueName("idem"))),
                () -> true, Map.of("inventory", stack.url("inventory"), "payments", stack.url("payments"),
                "notifications", stack.url("notifications")), Duration.ofSeconds(120));
        Thread loop = orders.sweep().start();
        assertTrue(asleep.await(10, TimeUnit.SECONDS), "the sweep never went to sleep");
        // When it is closed, Then the loop ends, and the interrupt that ended it is not swallowed
        orders.sweep().close();
        assertTrue(loop.join(Duration.ofSeconds(10)), "the sweep loop did not end");
        assertFalse(loop.isAlive());
        assertTrue(loop.isInterrupted(), "the loop swallowed the interrupt");
    }
}
