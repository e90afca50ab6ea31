package frl.http;

import com.sun.net.httpserver.HttpServer;
import frl.config.ConfigTable;
import frl.config.LabConfig;
import frl.resilience.breaker.CircuitBreaker;
import frl.resilience.breaker.CircuitOpenException;
import frl.services.ServiceContext;
import frl.testing.FakeClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * G's compensation path: a release goes through its own retries and deadline, so the forward
 * path's open breaker never refuses it; in F the same release is refused with the forward calls.
 * The retries' waits run on a fake clock; the downstream is a real HTTP server on 127.0.0.1:0
 * that refuses the first releases with 503.
 */
class CompensationPathTest {
    private static final String RELEASE = "/reservations/order-1";

    private final FakeClock clock = new FakeClock();
    private final ConfigTable configs = ConfigTable.defaults();
    private final ServiceContext ctx = new ServiceContext(configs, configs.get('G'), clock, clock, "compensation-test-token", 7, null);
    private final ServiceServer orders = ctx.server("orders");
    private final PatternRegistry patterns = ctx.patterns(orders);
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger refusalsLeft = new AtomicInteger(2);
    private HttpServer inventory;
    private Downstream downstream;

    @BeforeEach
    void startInventory() throws Exception {
        // An inventory that answers the first two releases 503 (its pool is busy), then 200
        inventory = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        inventory.createContext("/", ex -> {
            received.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
            boolean refuse = refusalsLeft.getAndDecrement() > 0;
            byte[] body = (refuse ? "{\"error\":\"busy\",\"detail\":\"try again\"}" : "{\"released_items\":1}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(refuse ? 503 : 200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        inventory.start();
        downstream = new Downstream("inventory", URI.create("http://127.0.0.1:" + inventory.getAddress().getPort()),
                Downstream.newClient(), patterns, orders);
    }

    @AfterEach
    void stopInventory() {
        inventory.stop(0);
    }

    /** Trips the forward breaker of {@code config} to inventory: 20 failures, the default minimum. */
    private CircuitBreaker openForwardBreaker(LabConfig config) {
        CircuitBreaker breaker = patterns.forCall(config, "inventory").breaker();
        for (int i = 0; i < 20; i++) {
            breaker.onFailure(breaker.acquirePermission());
        }
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
        return breaker;
    }

    private static CallContext call(LabConfig config) {
        return new CallContext(config, null, "request-1", null);
    }

    @Test
    void inGTheReleaseRetriesThroughItsOwnPathWhileTheForwardBreakerIsOpen() throws Exception {
        // Given G's forward breaker to inventory is open: a reservation is refused without a call
        LabConfig g = configs.get('G');
        openForwardBreaker(g);
        assertThrows(CircuitOpenException.class, () -> downstream.call(call(g), "POST", "/reservations", "{}"));
        assertEquals(List.of(), received);

        // When orders compensates, and inventory refuses the first two releases
        HttpResult released = downstream.compensate(call(g), "DELETE", RELEASE, null);

        // Then the release reached inventory three times and succeeded; the waits between were the
        // compensation policy's (full jitter: each under 200 ms and 400 ms), taken on the fake clock
        assertEquals(200, released.status());
        assertEquals(List.of("DELETE " + RELEASE, "DELETE " + RELEASE, "DELETE " + RELEASE), received);
        List<Duration> sleeps = clock.sleeps();
        assertEquals(2, sleeps.size(), sleeps::toString);
        assertTrue(sleeps.get(0).compareTo(Duration.ofMillis(200)) <= 0 && sleeps.get(1).compareTo(Duration.ofMillis(400)) <= 0,
                sleeps::toString);
        // And the forward breaker is still open: the compensation neither asked it nor fed it
        assertEquals(CircuitBreaker.State.OPEN, patterns.forCall(g, "inventory").breaker().state());
        assertEquals(2, orders.counters().toJson().at("/outgoing/inventory/retries").asLong());
    }

    @Test
    void inGTheCompensationGivesUpAfterItsOwnAttemptsAndLeavesTheRestToTheSweep() throws Exception {
        // Given inventory refuses every release
        refusalsLeft.set(Integer.MAX_VALUE);
        LabConfig g = configs.get('G');
        // When orders compensates
        HttpResult released = downstream.compensate(call(g), "DELETE", RELEASE, null);
        // Then it made the policy's 6 attempts, no more, and answers with the last 503
        assertEquals(503, released.status());
        assertEquals(LabConfig.Compensation.DEFAULT_MAX_ATTEMPTS, received.size());
        assertEquals(LabConfig.Compensation.DEFAULT_MAX_ATTEMPTS - 1, clock.sleeps().size());
    }

    @Test
    void inFTheSameReleaseIsRefusedByTheOpenForwardBreaker() {
        // Given F's forward breaker to inventory is open
        LabConfig f = configs.get('F');
        openForwardBreaker(f);
        // When orders compensates, Then the release is refused with the forward calls and never sent
        assertThrows(CircuitOpenException.class, () -> downstream.compensate(call(f), "DELETE", RELEASE, null));
        assertEquals(List.of(), received);
    }
}
