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
}
