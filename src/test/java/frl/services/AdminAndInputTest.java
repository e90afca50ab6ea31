package frl.services;

import frl.http.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static frl.services.LabStack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Admin needs the token; bad input gets the documented 4xx JSON, never a 5xx; metrics parse. */
class AdminAndInputTest extends StackTest {

    @Test
    void adminWithoutOrWithAWrongTokenIs401AndChangesNothing() throws Exception {
        for (String[] auth : new String[][]{{}, {"Authorization", "Bearer wrong-token"}, {"Authorization", LabStack.TOKEN}}) {
            HttpResponse<String> r = stack.sendManagement("payments", "POST", "/admin/chaos", "{\"outage\": true}", auth);
            assertEquals(401, r.statusCode(), r.body());
            assertEquals("unauthorized", json(r).get("error").asText());
            assertEquals(401, stack.sendManagement("inventory", "POST", "/admin/reset", null, auth).statusCode());
        }
        assertTrue(json(stack.admin("payments", "GET", "/admin/chaos", null)).get("active").isEmpty(), "nothing changed");
    }

    @Test
    void badChaosValuesAre400AndChangeNothing() throws Exception {
        for (String body : new String[]{"{\"error_rate\": 1.5}", "{\"error_rate\": -0.1}", "{\"latency_ms\": -1}",
                "{\"latency_ms\": \"slow\"}", "{\"outage\": 1}", "{\"error_rate\": 0.2, \"nonsense\": 1}", "[]"}) {
            HttpResponse<String> r = stack.admin("payments", "POST", "/admin/chaos", body);
            assertEquals(400, r.statusCode(), body + " -> " + r.body());
        }
        assertTrue(json(stack.admin("payments", "GET", "/admin/chaos", null)).get("active").isEmpty());
        assertEquals(400, stack.admin("inventory", "POST", "/admin/chaos", "{\"lock_ms\": -5}").statusCode());
    }

    static Stream<Arguments> badRequests() {
        String ok = "{\"product_id\": \"prod-001\", \"quantity\": 1, \"unit_price\": 1.00}";
        String many = String.join(",", java.util.Collections.nCopies(51, ok));
        String big = "{\"customer_id\": \"" + "x".repeat(70_000) + "\", \"items\": []}";
        return Stream.of(
                // gateway POST /orders (validated by orders)
                Arguments.of("gateway", "POST", "/orders", "", 400),
                Arguments.of("gateway", "POST", "/orders", "not json", 400),
                Arguments.of("gateway", "POST", "/orders", "[]", 400),
                Arguments.of("gateway", "POST", "/orders", "{\"customer_id\": \"c\"", 400),
                Arguments.of("gateway", "POST", "/orders", "{\"items\": [" + ok + "]}", 400),
                Arguments.of("gateway", "POST", "/orders", "{\"customer_id\": 7, \"items\": [" + ok + "]}", 400),
                Arguments.of("gateway", "POST", "/orders", "{\"customer_id\": \"\", \"items\": [" + ok + "]}", 422),
                Arguments.of("gateway", "POST", "/orders", "{\"customer_id\": \"" + "c".repeat(65) + "\", \"items\": [" + ok + "]}", 422),
                Arguments.of("gateway", "POST", "/orders", "{\"customer_id\": \"c\", \"items\": []}", 422),
                Arguments.of("gateway", "POST", "/orders", "{\"customer_id\": \"c\", \"items\": {}}", 400),
                Arguments.of("gateway", "POST", "/orders", "{\"customer_id\": \"c\", \"items\": [" + many + "]}", 422),
                Arguments.of("gateway", "POST", "/orders", item("\"prod-999\"", "1", "1.00"), 422),
                Arguments.of("gateway", "POST", "/orders", item("\"prod-001\"", "0", "1.00"), 422),
                Arguments.of("gateway", "POST", "/orders", item("\"prod-001\"", "1001", "1.00"), 422),
                Arguments.of("gateway", "POST", "/orders", item("\"prod-001\"", "1.5", "1.00"), 400),
                Arguments.of("gateway", "POST", "/orders", item("\"prod-001\"", "\"2\"", "1.00"), 400),
                Arguments.of("gateway", "POST", "/orders", item("\"prod-001\"", "1", "0"), 422),
                Arguments.of("gateway", "POST", "/orders", item("\"prod-001\"", "1", "-3.00"), 422),
                Arguments.of("gateway", "POST", "/orders", item("\"prod-001\"", "1", "1.234"), 422),
                Arguments.of("gateway", "POST", "/orders", item("\"prod-001\"", "1", "\"cheap\""), 400),
                Arguments.of("gateway", "POST", "/orders", item("7", "1", "1.00"), 400),
                Arguments.of("gateway", "POST", "/orders", big, 413),
                Arguments.of("gateway", "GET", "/orders/not-a-uuid", null, 400),
                Arguments.of("gateway", "GET", "/orders/" + UUID.randomUUID(), null, 404),
                Arguments.of("gateway", "GET", "/nowhere", null, 404),
                Arguments.of("gateway", "DELETE", "/orders", null, 405),
                // payments
                Arguments.of("payments", "POST", "/payments", "{}", 400),
                Arguments.of("payments", "POST", "/payments", "{\"order_id\": \"x\", \"amount_cents\": 5}", 400),
                Arguments.of("payments", "POST", "/payments", "{\"order_id\": \"" + UUID.randomUUID() + "\", \"amount_cents\": 0}", 422),
                Arguments.of("payments", "POST", "/payments", "{\"order_id\": \"" + UUID.randomUUID() + "\", \"amount_cents\": 1.5}", 400),
                Arguments.of("payments", "GET", "/payments/xyz", null, 400),
                // inventory
                Arguments.of("inventory", "POST", "/reservations", "{\"order_id\": \"" + UUID.randomUUID() + "\"}", 400),
                Arguments.of("inventory", "POST", "/reservations", "{\"order_id\": \"" + UUID.randomUUID()
                        + "\", \"items\": [{\"product_id\": \"nope\", \"quantity\": 1}]}", 422),
                Arguments.of("inventory", "POST", "/reservations", "{\"order_id\": \"" + UUID.randomUUID()
                        + "\", \"items\": [{\"product_id\": \"prod-001\", \"quantity\": 0}]}", 422),
                Arguments.of("inventory", "DELETE", "/reservations/bad", null, 400),
                // notifications
                Arguments.of("notifications", "POST", "/notifications", "{}", 400),
                Arguments.of("notifications", "POST", "/notifications", "{\"order_id\": \"" + UUID.randomUUID()
                        + "\", \"kind\": \"X\", \"event_id\": \"nope\"}", 400));
    }

    private static String item(String product, String quantity, String price) {
        return "{\"customer_id\": \"c\", \"items\": [{\"product_id\": " + product + ", \"quantity\": " + quantity
                + ", \"unit_price\": " + price + "}]}";
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {4}")
    @MethodSource("badRequests")
    void badInputGetsTheDocumented4xxJsonNeverA5xx(String service, String method, String path, String body, int expected)
            throws Exception {
        HttpResponse<String> r = stack.send(service, method, path, body, "Idempotency-Key", "k-" + UUID.randomUUID(),
                "Content-Type", "application/json");
        assertEquals(expected, r.statusCode(), r.body());
        var json = json(r);
        assertFalse(json.path("error").asText().isEmpty(), r.body());
        assertFalse(json.path("detail").asText().isEmpty(), r.body());
    }

    /** Every path parameter of every service: where it lives, and what an unknown but well-formed id gets. */
    private static final String[][] PATH_PARAMETERS = {
            // service, method, path before the parameter, status for a well-formed unknown id
            {"gateway", "GET", "/orders/", "404"},
            {"orders", "GET", "/orders/", "404"},
            {"payments", "GET", "/payments/", "200"},         // no charges for that order
            {"inventory", "DELETE", "/reservations/", "200"}, // nothing to release: releasing is idempotent
    };

    /** Raw path segments, sent exactly as written: odd characters, encodings valid and not, lengths, Unicode. */
    private static final String[] ODD_SEGMENTS = {
            "not-a-uuid", "%20", "a%2Fb", "%25", "%00", "%0A", "%E2%82%AC", "%C3", "%2E%2E", "..", ".", "a;b", "a+b",
            "\u00e9t\u00e9", "%E6%97%A5%E6%9C%AC", "x".repeat(8_000), "x".repeat(64_000),
            UUID.randomUUID() + "%20", UUID.randomUUID().toString().substring(1)};

    static Stream<Arguments> oddPathParameters() {
        List<Arguments> all = new ArrayList<>();
        for (String[] p : PATH_PARAMETERS) {
            for (String segment : ODD_SEGMENTS) {
                all.add(Arguments.of(p[0], p[1], p[2], segment, 400));
            }
            all.add(Arguments.of(p[0], p[1], p[2], UUID.randomUUID().toString().toUpperCase(), Integer.parseInt(p[3])));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}{3} -> {4}")
    @MethodSource("oddPathParameters")
    void anyPathParameterGetsA4xxJsonNeverA5xx(String service, String method, String prefix, String segment, int expected)
            throws Exception {
        // When the segment is sent exactly as written (the JDK's HttpClient would re-encode or refuse it)
        RawResponse r = raw(service, method, prefix + segment);
        // Then the documented answer, as JSON naming the problem: the gateway forwards the id encoded,
        // so orders sees the same value the client sent and answers for it
        assertEquals(expected, r.status(), r.head() + "\n" + r.body());
        assertTrue(r.head().toLowerCase().contains("content-type: application/json"), r.head());
        var json = Json.read(r.body());
        if (expected >= 400) {
            assertFalse(json.path("error").asText().isEmpty(), r.body());
            assertFalse(json.path("detail").asText().isEmpty(), r.body());
        }
    }

    /**
     * A request line that is no URI at all ({@code %zz}, a raw quote or brace, raw UTF-8 whose bytes
     * read as control characters: the JDK reads the line as ISO-8859-1, so raw "日本" arrives with
     * U+0097 in it) never reaches our code: the JDK server refuses it itself with 400 and a short
     * HTML body. Never a 5xx, but not our JSON either; that is the limit of {@code com.sun.net.httpserver}.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"%zz", "%", "%4", "a\"b", "<x>", "a|b", "{id}", "a\\b", "a^b", "a`b", "\u65e5\u672c"})
    void aRequestLineThatIsNoUriIsRefusedWith400ByTheJdkServer(String segment) throws Exception {
        for (String[] p : PATH_PARAMETERS) {
            RawResponse r = raw(p[0], p[1], p[2] + segment);
            assertEquals(400, r.status(), p[0] + " " + r.head() + "\n" + r.body());
        }
    }

    private record RawResponse(int status, String head, String body) {
    }

    /** One request over a fresh socket, its request line written byte for byte (UTF-8). */
    private RawResponse raw(String service, String method, String target) throws Exception {
        URI base = stack.url(service);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + target + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = response.indexOf("\r\n\r\n");
            return new RawResponse(Integer.parseInt(response.substring(9, 12)), response.substring(0, end),
                    response.substring(end + 4));
        }
    }

    @Test
    void badHeadersAre400NamingTheHeader() throws Exception {
        String body = LabStack.orderBody("prod-001", 1, "1.00");
        HttpResponse<String> config = stack.send("gateway", "POST", "/orders", body, "X-Client-Config", "Z");
        assertEquals(400, config.statusCode());
        assertTrue(json(config).get("detail").asText().contains("X-Client-Config"));
        HttpResponse<String> deadline = stack.send("gateway", "POST", "/orders", body, "X-Deadline-Remaining-Ms", "soon");
        assertEquals(400, deadline.statusCode());
        assertTrue(json(deadline).get("detail").asText().contains("X-Deadline-Remaining-Ms"));
    }

    /** name{labels} value [timestamp], per the Prometheus text exposition format. */
    private static final Pattern SAMPLE = Pattern.compile(
            "^[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"(\\\\.|[^\"\\\\])*\",?)*})? "
                    + "(NaN|[+-]?Inf|[+-]?[0-9.eE+-]+)( [0-9]+)?$");

    @Test
    void metricsOfEveryServiceParseAsPrometheusText() throws Exception {
        stack.order('A', null, LabStack.orderBody("prod-017", 1, "1.00"));
        for (String s : new String[]{"gateway", "orders", "payments", "inventory", "notifications"}) {
            HttpResponse<String> r = stack.sendManagement(s, "GET", "/metrics", null);
            assertEquals(200, r.statusCode());
            int samples = 0;
            for (String line : r.body().split("\n")) {
                if (line.isEmpty() || line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                    continue;
                }
                assertTrue(SAMPLE.matcher(line).matches(), s + ": not a Prometheus sample: " + line);
                samples++;
            }
            assertTrue(samples > 20, s + " exposes JVM and lab metrics");
            assertTrue(r.body().contains("lab_http_requests_total{"), s);
            assertTrue(r.body().contains("jvm_memory_used_bytes"), s);
        }
        String orders = stack.sendManagement("orders", "GET", "/metrics", null).body();
        assertTrue(orders.contains("lab_outgoing_attempts_total{config=\"A\",downstream=\"payments\",outcome=\"201\"}"), orders);
        assertTrue(orders.contains("lab_outbox_pending "), orders);
    }
}
