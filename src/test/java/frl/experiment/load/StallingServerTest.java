package frl.experiment.load;

import com.sun.net.httpserver.HttpServer;
import frl.experiment.metrics.WindowStats;
import frl.experiment.run.RunExecutor;
import frl.experiment.stack.HttpTransport;
import frl.resilience.NanoClock;
import frl.resilience.Sleeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real driver and HTTP transport against a local server that stalls: the requests intended
 * during the stall must report latencies that include it (coordinated omission not hidden).
 * The server and the driver share one JVM, so they share {@code System.nanoTime()}: the server
 * writes down when its stall ended, and no answer to a request it held can have arrived earlier.
 */
class StallingServerTest {
    private static final long STALL_AT_NANOS = 400_000_000L;   // the first request after 0.4 s stalls...
    private static final long STALL_FOR_MILLIS = 600;          // ...the server's only worker for 0.6 s

    private HttpServer server;
    private ExecutorService worker;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
            worker.shutdownNow();
        }
    }

    @Test
    void latenciesOfStalledRequestsIncludeTheStall() throws Exception {
        // Given a server with one worker thread that stalls once, and arrivals at 200/s for 1.2 s
        AtomicLong start = new AtomicLong(Long.MAX_VALUE);
        AtomicLong stallEnd = new AtomicLong(-1);
        Map<String, String> headers = new ConcurrentHashMap<>();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1000);
        worker = Executors.newSingleThreadExecutor();
        server.setExecutor(worker);
        server.createContext("/orders", exchange -> {
            exchange.getRequestBody().readAllBytes();
            if (stallEnd.get() < 0 && System.nanoTime() - start.get() >= STALL_AT_NANOS) {
                sleep(STALL_FOR_MILLIS);
                stallEnd.set(System.nanoTime());
            }
            exchange.getRequestHeaders().forEach((k, v) -> headers.putIfAbsent(k.toLowerCase(), v.get(0)));
            byte[] body = "{\"order_id\": \"11111111-2222-3333-4444-555555555555\", \"status\": \"CONFIRMED\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/orders");
        Schedule schedule = Schedule.poisson(200, Duration.ofMillis(1200), 11);
        Transport transport = new HttpTransport(HttpTransport.newClient(Duration.ofSeconds(5)), url, "D", RunExecutor.DEFAULT_BODY, true);
        ClientPolicy policy = new ClientPolicy(Duration.ofSeconds(5), 0, Duration.ofMillis(500), true);
        LoadDriver driver = new LoadDriver(schedule, transport, policy, NanoClock.system(), Sleeper.system(),
                LoadDriver.VIRTUAL_THREADS, "stall");
        List<RequestResult> results = new CopyOnWriteArrayList<>();

        // When
        long t0 = System.nanoTime() + 20_000_000L;
        start.set(t0);
        driver.run(results::add, t0);

        // Then every arrival is accounted for and the stall happened
        assertEquals(schedule.size(), results.size());
        assertTrue(stallEnd.get() > 0, "the server stalled");
        long stallStart = stallEnd.get() - STALL_FOR_MILLIS * 1_000_000L;
        int stalled = 0;
        for (RequestResult r : results) {
            assertEquals(Outcome.SUCCESS, r.outcome(), "a 5 s timeout outlasts the stall");
            long intended = t0 + r.intendedNanos();
            if (intended >= stallStart && intended < stallEnd.get()) {
                stalled++;
                // No answer could arrive before the stall ended: latency counted from the intended
                // send time must be at least the rest of the stall
                assertTrue(r.latencyNanos() >= stallEnd.get() - intended,
                        "arrival " + r.arrival() + ": latency " + r.latencyNanos() / 1e6 + " ms < rest of stall "
                                + (stallEnd.get() - intended) / 1e6 + " ms");
            }
        }
        assertTrue(stalled > 50, "about 120 arrivals fell in the stall, saw " + stalled);
        Timeline timeline = new Timeline(schedule);
        results.forEach(timeline::record);
        WindowStats all = WindowStats.of(timeline.snapshot(), 0, 2);
        assertTrue(all.p99Ms() >= 0.8 * STALL_FOR_MILLIS, "the stall shows in p99: " + all.p99Ms() + " ms");
        assertEquals("11111111-2222-3333-4444-555555555555", results.get(0).orderId());
        // and the wire contract's headers went out
        assertEquals("D", headers.get("x-client-config"));
        assertTrue(headers.get("idempotency-key").startsWith("stall-"));
        long budget = Long.parseLong(headers.get("x-deadline-remaining-ms"));
        assertTrue(budget > 4000 && budget <= 5000, "deadline = the attempt's remaining budget, was " + budget);
    }

    @Test
    void aSilentServerIsATimeoutAndAClosedPortAConnectionFailure() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        worker = Executors.newSingleThreadExecutor();
        server.setExecutor(worker);
        server.createContext("/orders", exchange -> sleep(1000));
        server.start();
        HttpTransport silent = new HttpTransport(HttpTransport.newClient(Duration.ofSeconds(2)),
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/orders"), "A", "{}", false);
        assertEquals(Outcome.TIMEOUT, silent.send(new Transport.Attempt(0, "k", 1, Duration.ofMillis(150))).outcome());

        int closedPort;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        HttpTransport refused = new HttpTransport(HttpTransport.newClient(Duration.ofSeconds(2)),
                URI.create("http://127.0.0.1:" + closedPort + "/orders"), "A", "{}", false);
        assertEquals(Outcome.CONNECTION, refused.send(new Transport.Attempt(0, "k", 1, Duration.ofSeconds(1))).outcome());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
