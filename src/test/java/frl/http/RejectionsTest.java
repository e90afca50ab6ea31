package frl.http;

import frl.config.ConfigTable;
import frl.resilience.BulkheadFullException;
import frl.resilience.DeadlineExceededException;
import frl.resilience.LoadShedder;
import frl.resilience.NanoClock;
import frl.resilience.Sleeper;
import frl.resilience.breaker.CircuitOpenException;
import frl.resilience.idempotency.IdempotencyUnavailableException;
import frl.services.ServiceContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The refusal table, row by row, as the table and as a client of a real server sees it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RejectionsTest {

    static Stream<Arguments> table() {
        LoadShedder shedder = new LoadShedder("gateway-E", new LoadShedder.Config(3, Duration.ofMillis(2500)));
        return Stream.of(
                // refusal                                                          status  error                     Retry-After
                row("open breaker, 30 s to go", () -> new CircuitOpenException("orders->payments", Duration.ofSeconds(30)),
                        503, "circuit_open", "30"),
                row("open breaker, 29.001 s to go", () -> new CircuitOpenException("orders->payments", Duration.ofMillis(29_001)),
                        503, "circuit_open", "30"),
                row("open breaker, probing", () -> new CircuitOpenException("orders->payments", Duration.ZERO),
                        503, "circuit_open", "1"),
                row("full bulkhead", () -> new BulkheadFullException("orders->inventory", 20), 503, "bulkhead_full", "1"),
                row("spent deadline", () -> new DeadlineExceededException("no time left"), 504, "deadline_exceeded", null),
                row("Redis down", () -> new IdempotencyUnavailableException("orders", new IOException("refused")),
                        503, "idempotency_unavailable", "1"),
                row("shed", () -> Rejections.shed(shedder).toException(), 503, "overloaded", "3"),
                row("key in flight", () -> Rejections.idempotencyInFlight().toException(), 409, "idempotency_in_flight", "1"),
                row("key reused", () -> Rejections.idempotencyKeyReused().toException(), 422, "idempotency_key_reused", null));
    }

    private static Arguments row(String name, Supplier<RuntimeException> refusal, int status, String code, String retryAfter) {
        return Arguments.of(name, refusal, status, code, retryAfter);
    }

    private final ConfigTable configs = ConfigTable.defaults();
    private final ServiceServer server = new ServiceContext(configs, configs.get('F'), NanoClock.system(), Sleeper.system(),
            "rejections-test-token", 1, null).server("test");
    private final HttpClient http = HttpClient.newHttpClient();
    private int port;

    @BeforeAll
    void start() throws IOException {
        table().forEach(a -> {
            @SuppressWarnings("unchecked")
            Supplier<RuntimeException> refusal = (Supplier<RuntimeException>) a.get()[1];
            server.route("GET", "/" + a.get()[0].toString().replace(' ', '-').replace(',', '-'), r -> {
                throw refusal.get();
            });
        });
        port = server.start("127.0.0.1", 0);
    }

    @AfterAll
    void stop() {
        server.stop(Duration.ZERO);
    }

    @ParameterizedTest(name = "{0} -> {2} {3}, Retry-After {4}")
    @MethodSource("table")
    void everyRefusalHasOneStatusOneCodeAndOneRetryAfter(String name, Supplier<RuntimeException> refusal, int status,
                                                         String code, String retryAfter) throws Exception {
        // Given the refusal, When the table is asked, Then its row
        RuntimeException e = refusal.get();
        Rejections.Rejection row = e instanceof ApiException a
                ? new Rejections.Rejection(a.status(), a.code(), a.getMessage(), null) : Rejections.of(e);
        assertEquals(status, row.status());
        assertEquals(code, row.code());
        // When a handler throws it, Then the server answers with exactly that row, as JSON
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/" + name.replace(' ', '-').replace(',', '-'))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(code, Json.read(r.body()).get("error").asText());
        assertEquals(row.detail(), Json.read(r.body()).get("detail").asText());
        assertEquals(retryAfter, r.headers().firstValue("Retry-After").orElse(null));
    }

    @ParameterizedTest(name = "{0} -> Retry-After: {1}")
    @CsvSource({"PT1S, 1", "PT1.5S, 2", "PT0S, 1", "PT0.001S, 1", "PT0.000000001S, 1", "PT30S, 30", "PT29.001S, 30",
            "PT1.000000001S, 2"})
    void retryAfterIsWholeSecondsRoundedUpAndNeverZero(Duration d, String header) {
        assertEquals(header, Rejections.retryAfterSeconds(d));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notRefusals")
    void aFailureThatIsNoPatternsRefusalIsNotInTheTable(Exception e) {
        assertNull(Rejections.of(e));
    }

    static Stream<Exception> notRefusals() {
        return Stream.of(new IOException("connection reset"), new IllegalStateException("a bug"),
                new java.net.http.HttpTimeoutException("slow downstream"));
    }
}
