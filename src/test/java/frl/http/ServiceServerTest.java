package frl.http;

import frl.config.ConfigTable;
import frl.resilience.NanoClock;
import frl.resilience.Sleeper;
import frl.services.ServiceContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the kit guarantees every handler: JSON errors with a request id, and a graceful stop. */
class ServiceServerTest {
    private final ConfigTable table = ConfigTable.defaults();
    private final ServiceServer server = new ServiceContext(table, table.get('F'), NanoClock.system(), Sleeper.system(),
            "server-test-token", 1, null).server("test");
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        server.stop(Duration.ZERO);
    }

    private HttpResponse<String> get(int port, String path, String requestId) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("X-Request-Id", requestId).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aHandlerBugIsA500JsonNamingTheRequestNeverADroppedConnection() throws Exception {
        server.route("GET", "/boom", r -> {
            throw new IllegalStateException("a bug");
        });
        int port = server.start("127.0.0.1", 0);

        HttpResponse<String> r = get(port, "/boom", "req-123");

        assertEquals(500, r.statusCode());
        assertEquals("internal_error", Json.read(r.body()).get("error").asText());
        assertTrue(Json.read(r.body()).get("detail").asText().contains("req-123"), r.body());
        assertEquals("req-123", r.headers().firstValue("X-Request-Id").orElseThrow());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void stopLetsARequestInFlightFinishAndThenRefusesNewOnes() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        server.route("GET", "/slow", r -> {
            inHandler.countDown();
            release.await();
            return Response.ok(Json.object().put("finished", true));
        });
        int port = server.start("127.0.0.1", 0);
        CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(inHandler.await(10, TimeUnit.SECONDS));

        // When shutdown begins while the request is in its handler, and the handler then finishes
        Thread stopper = Thread.ofVirtual().start(() -> server.stop(Duration.ofSeconds(10)));
        release.countDown();
        stopper.join();

        // Then the request got its answer, and the port no longer accepts requests
        HttpResponse<String> r = inFlight.get(10, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(Json.read(r.body()).get("finished").asBoolean());
        try {
            get(port, "/slow", "after-stop");
            throw new AssertionError("a stopped server answered");
        } catch (java.io.IOException expected) {
            // refused: nothing listens any more
        }
    }

    @Test
    void managementRequestsRunOnTheManagementListenersOwnPlatformThreadsDataRequestsOnVirtualOnes() throws Exception {
        var seen = new java.util.concurrent.ConcurrentHashMap<String, Thread>();
        server.route("GET", "/where", r -> {
            seen.put("data", Thread.currentThread());
            return Response.ok(Json.object());
        });
        server.admin("GET", "/admin/where", r -> {
            seen.put("management", Thread.currentThread());
            return Response.ok(Json.object());
        });
        int port = server.start("127.0.0.1", 0);

        assertEquals(200, get(port, "/where", "d").statusCode());
        assertEquals(200, admin("/admin/where").statusCode());

        assertTrue(seen.get("data").isVirtual());
        assertFalse(seen.get("management").isVirtual());
        assertTrue(seen.get("management").getName().startsWith("test-management-"), seen.get("management").getName());
    }

    /**
     * The storm, reduced to its mechanism: every carrier thread of the virtual-thread scheduler is
     * held by a data-plane handler that does not yield (a CPU-bound request never unmounts), so no
     * further data-plane request can run. A counters snapshot still answers, and a data-plane
     * request sent before it is still waiting when it does: the management listener does not
     * share the carriers. Latches and flags only; nothing here depends on how long anything takes.
     */
    @Test
    void countersAnswerWhileEveryCarrierIsHeldByADataPlaneHandler() throws Exception {
        int carriers = Integer.getInteger("jdk.virtualThreadScheduler.parallelism", Runtime.getRuntime().availableProcessors());
        CountDownLatch holding = new CountDownLatch(carriers);
        var release = new java.util.concurrent.atomic.AtomicBoolean();
        server.route("GET", "/hold", r -> {
            holding.countDown();
            while (!release.get()) {
                Thread.onSpinWait(); // keeps the carrier: a virtual thread unmounts only when it blocks
            }
            return Response.ok(Json.object());
        });
        server.route("GET", "/data", r -> Response.ok(Json.object().put("data", true)));
        AdminRoutes.install(server, new frl.chaos.Chaos(java.util.List.of()), java.util.Map.of(), () -> { }, () -> { });
        server.counters().received();
        int port = server.start("127.0.0.1", 0);
        var held = new java.util.ArrayList<CompletableFuture<HttpResponse<String>>>();
        try {
            for (int i = 0; i < carriers; i++) {
                held.add(async(port, "/hold"));
            }
            assertTrue(holding.await(30, TimeUnit.SECONDS), "every carrier holds a data-plane handler");
            CompletableFuture<HttpResponse<String>> queued = async(port, "/data");

            HttpResponse<String> counters = admin("/admin/counters");

            assertEquals(200, counters.statusCode(), counters.body());
            assertEquals(1, Json.read(counters.body()).get("received").asLong());
            assertFalse(queued.isDone(), "a data-plane request cannot run while every carrier is held");
            release.set(true);
            assertEquals(200, queued.get(30, TimeUnit.SECONDS).statusCode());
        } finally {
            release.set(true);
        }
        for (var h : held) {
            assertEquals(200, h.get(30, TimeUnit.SECONDS).statusCode());
        }
    }

    private CompletableFuture<HttpResponse<String>> async(int port, String path) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> admin(String path) throws Exception {
        // The timeout only bounds a failure (a management listener stuck behind the carriers would
        // otherwise hang the build); no assertion depends on how fast the answer comes.
        return http.send(HttpRequest.newBuilder(URI.create(server.managementUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer server-test-token").build(), HttpResponse.BodyHandlers.ofString());
    }
}
