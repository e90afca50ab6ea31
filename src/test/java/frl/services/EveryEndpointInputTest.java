package frl.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import frl.http.Json;
import frl.http.ServiceServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input on every endpoint of every service, data and management listeners: each case gets a
 * 4xx with a JSON body naming the problem, never a 5xx, never a hang (every socket read is bounded).
 *
 * <p>The endpoints come from the routers themselves ({@link ServiceServer#routes()}), and
 * {@link #everyRouteHasAnEntryInTheTable} fails when one has no entry in {@link #ENDPOINTS}: a new
 * endpoint cannot ship without its bad-input cases. The cases are generic (they apply to every
 * endpoint: headers, sizes, methods, paths, queries) plus, for endpoints that read a JSON body,
 * every field of a valid body swapped for wrong types, absurd numbers, a NUL character and nothing,
 * and bodies that are no JSON object, not UTF-8 or not declared as JSON.
 */
class EveryEndpointInputTest extends StackTest {
    private static final String ID = "{id}";
    private static final String ORDER = "{\"customer_id\": \"customer-1\", \"items\": [{\"product_id\": \"prod-001\", "
            + "\"quantity\": 1, \"unit_price\": 1.00}]}";

    /** An endpoint: where it is, and a valid body for it (null when it reads none). */
    record Endpoint(String service, boolean management, String method, String template, String validBody) {
        String key() {
            return service + (management ? " management " : " data ") + method + " " + template;
        }

        /** The template with a well-formed value in each capture. */
        String path() {
            return template.replaceAll("\\{[a-zA-Z]+}", UUID.randomUUID().toString());
        }
    }

    private static final List<Endpoint> ENDPOINTS = new ArrayList<>();

    static {
        for (String s : List.of("gateway", "orders", "payments", "inventory", "notifications")) {
            data(s, "GET", "/health", null);
            management(s, "GET", "/health", null);
            management(s, "GET", "/admin/counters", null);
            management(s, "GET", "/admin/jvm", null);
            management(s, "POST", "/admin/reset", null);
            management(s, "GET", "/admin/chaos", null);
            management(s, "POST", "/admin/chaos", "{\"reset\": true}");
            management(s, "GET", "/admin/config", null);
            management(s, "POST", "/admin/config", "{\"default_config\": \"F\"}");
        }
        data("gateway", "POST", "/orders", ORDER);
        data("gateway", "GET", "/orders/" + ID, null);
        data("gateway", "GET", "/status/breakers", null);
        data("gateway", "GET", "/status/limits", null);
        data("orders", "POST", "/orders", ORDER);
        data("orders", "GET", "/orders/" + ID, null);
        data("orders", "POST", "/orders/statuses", "{\"ids\": [\"" + UUID.randomUUID() + "\"]}");
        data("orders", "GET", "/status/breakers", null);
        data("orders", "GET", "/status/limits", null);
        management("orders", "POST", "/admin/sweep", null);
        data("payments", "POST", "/payments", "{\"order_id\": \"" + UUID.randomUUID() + "\", \"amount_cents\": 100}");
        data("payments", "GET", "/payments/{orderId}", null);
        // POST /admin/reconcile is added by PaymentsMain with the reconciliation loop, which LabStack does
        // not run; ReconciliationTest covers it.
        data("inventory", "GET", "/products", null);
        data("inventory", "POST", "/reservations", "{\"order_id\": \"" + UUID.randomUUID()
                + "\", \"items\": [{\"product_id\": \"prod-001\", \"quantity\": 1}]}");
        data("inventory", "DELETE", "/reservations/{orderId}", null);
        data("notifications", "POST", "/notifications", "{\"order_id\": \"" + UUID.randomUUID()
                + "\", \"kind\": \"CONFIRMED\", \"event_id\": \"" + UUID.randomUUID() + "\"}");
    }

    private static void data(String service, String method, String template, String body) {
        ENDPOINTS.add(new Endpoint(service, false, method, template, body));
    }

    private static void management(String service, String method, String template, String body) {
        ENDPOINTS.add(new Endpoint(service, true, method, template, body));
    }

    @Test
    void everyRouteHasAnEntryInTheTable() {
        var routed = new TreeSet<String>();
        Map<String, ServiceServer> servers = Map.of("gateway", stack.gateway.server(), "orders", stack.orders.server(),
                "payments", stack.payments.server(), "inventory", stack.inventory.server(),
                "notifications", stack.notifications.server());
        servers.forEach((name, server) -> {
            server.routes().forEach(r -> routed.add(name + " data " + r));
            server.managementRoutes().forEach(r -> routed.add(name + " management " + r));
        });
        var listed = new TreeSet<String>();
        ENDPOINTS.forEach(e -> listed.add(e.key()));
        assertEquals(routed, listed, "a route without bad-input cases, or a case for a route that is gone");
    }

    /**
     * One request and what it must get.
     *
     * @param expected the exact status, {@link #ANY_4XX}, or 0 for "anything but a 5xx" (a value that happens to be valid)
     * @param json     whether the answer must be our JSON (false where the JDK server refuses first)
     */
    private static final int ANY_4XX = -4;

    record Case(Endpoint endpoint, String name, String method, String target, Map<String, String> headers, byte[] body,
                int expected, boolean json) {
        @Override
        public String toString() {
            return endpoint.key() + ": " + name;
        }
    }

    static Stream<Arguments> cases() {
        List<Case> all = new ArrayList<>();
        for (Endpoint e : ENDPOINTS) {
            byte[] valid = e.validBody() == null ? null : e.validBody().getBytes(StandardCharsets.UTF_8);
            String path = e.path();
            // Methods and paths
            all.add(new Case(e, "unknown method", "BREW", path, Map.of(), null, 405, true));
            all.add(new Case(e, "one segment too many", e.method(), path + "/extra", Map.of(), valid, ANY_4XX, true)); // 404 or 405
            all.add(new Case(e, "odd query", e.method(), path + "?x=1&x=%00&y&%E2%82%AC=%C3", Map.of(), valid, 0, true));
            all.add(new Case(e, "query that is no URI", e.method(), path + "?x=%zz", Map.of(), valid, 400, false));
            // Headers every hop reads
            for (String config : List.of("Z", "AB", "\u00e9", "a".repeat(5_000))) {
                all.add(new Case(e, "X-Client-Config '" + abbreviate(config) + "'", e.method(), path,
                        Map.of("X-Client-Config", config), valid, 400, true));
            }
            for (String deadline : List.of("soon", "-5", "1e3", "1.5", "", "99999999999999999999", "0x10")) {
                all.add(new Case(e, "X-Deadline-Remaining-Ms '" + deadline + "'", e.method(), path,
                        Map.of("X-Deadline-Remaining-Ms", deadline), valid, 400, true));
            }
            for (String key : List.of("", " ", "k".repeat(300), "caf\u00e9", "a\u0001b", "x".repeat(8_000))) {
                int expected = e.method().equals("POST") && e.template().equals("/orders") ? 400 : 0;
                all.add(new Case(e, "Idempotency-Key '" + abbreviate(key) + "'", e.method(), path,
                        Map.of("Idempotency-Key", key), valid, expected, true));
            }
            for (String id : List.of("", "\u00e9\u00e8", "r".repeat(5_000))) {
                all.add(new Case(e, "X-Request-Id '" + abbreviate(id) + "'", e.method(), path,
                        Map.of("X-Request-Id", id), valid, 0, true));
            }
            // Sizes: the limit is checked before a byte of the body is read, declared or chunked
            byte[] big = ("{\"x\": \"" + "x".repeat(ServiceServer.MAX_BODY_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8);
            all.add(new Case(e, "body over the limit", e.method(), path, Map.of(), big, 413, true));
            all.add(new Case(e, "body over the limit, chunked", e.method(), path, Map.of("Transfer-Encoding", "chunked"),
                    big, 413, true));
            all.add(new Case(e, "a declared 100 MB body, never sent", e.method(), path,
                    Map.of("Content-Length", "100000000"), new byte[0], 413, true));
            if (valid != null) {
                bodyCases(e, path, all);
            }
        }
        return all.stream().map(Arguments::of);
    }

    /** Bodies an endpoint that reads JSON must refuse, and every field of its valid body made wrong. */
    private static void bodyCases(Endpoint e, String path, List<Case> all) {
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("empty body", "");
        for (String notAnObject : List.of("null", "[]", "1", "\"text\"", "true", "not json", "{\"a\": 1", "{} {}",
                "{\"a\": 1}x", "\ufeff")) {
            bodies.put("body " + abbreviate(notAnObject), notAnObject);
        }
        bodies.put("nesting 5000 deep", "{\"a\": " + "[".repeat(5_000) + "]".repeat(5_000) + "}");
        bodies.put("raw NUL byte in a string", "{\"a\": \"x\u0000y\"}");
        bodies.forEach((name, body) -> all.add(new Case(e, name, e.method(), path, Map.of(),
                body.getBytes(StandardCharsets.UTF_8), 400, true)));
        byte[] notUtf8 = e.validBody().replaceFirst("\"[a-z_]+\"", "\"\u0001\"").getBytes(StandardCharsets.UTF_8);
        notUtf8[e.validBody().indexOf('"') + 1] = (byte) 0xC3; // a lead byte with no continuation
        all.add(new Case(e, "invalid UTF-8", e.method(), path, Map.of(), notUtf8, 400, true));
        all.add(new Case(e, "Latin-1 body", e.method(), path, Map.of(),
                e.validBody().replace("\"", "\"\u00e9").getBytes(StandardCharsets.ISO_8859_1), 400, true));
        byte[] valid = e.validBody().getBytes(StandardCharsets.UTF_8);
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/xml")) {
            all.add(new Case(e, "Content-Type " + type, e.method(), path, Map.of("Content-Type", type), valid, 415, true));
        }
        // Every field, at every depth, swapped for each wrong value in turn
        ObjectNode body = (ObjectNode) Json.read(e.validBody());
        for (String pointer : leaves(body, "")) {
            for (String value : List.of("null", "\"\"", "\"x\\u0000y\"", "[]", "{}", "true", "-1", "1.5", "1e400",
                    "99999999999999999999", "\"" + "z".repeat(10_000) + "\"")) {
                ObjectNode mutated = body.deepCopy();
                replace(mutated, pointer, Json.read(value));
                int expected = value.contains("\\u0000") ? 400 : 0;
                all.add(new Case(e, pointer + " = " + abbreviate(value), e.method(), path, Map.of(),
                        Json.write(mutated).getBytes(StandardCharsets.UTF_8), expected, true));
            }
            ObjectNode without = body.deepCopy();
            remove(without, pointer);
            all.add(new Case(e, pointer + " missing", e.method(), path, Map.of(),
                    Json.write(without).getBytes(StandardCharsets.UTF_8), 0, true));
        }
    }

    /** JSON pointers of every scalar in the tree. */
    private static List<String> leaves(JsonNode node, String at) {
        List<String> out = new ArrayList<>();
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(f -> out.addAll(leaves(node.get(f), at + "/" + f)));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                out.addAll(leaves(node.get(i), at + "/" + i));
            }
        } else {
            out.add(at);
        }
        return out;
    }

    private static void replace(JsonNode root, String pointer, JsonNode value) {
        JsonNode parent = root.at(pointer.substring(0, pointer.lastIndexOf('/')));
        String last = pointer.substring(pointer.lastIndexOf('/') + 1);
        if (parent instanceof ObjectNode o) {
            o.set(last, value);
        } else {
            ((ArrayNode) parent).set(Integer.parseInt(last), value);
        }
    }

    private static void remove(JsonNode root, String pointer) {
        JsonNode parent = root.at(pointer.substring(0, pointer.lastIndexOf('/')));
        String last = pointer.substring(pointer.lastIndexOf('/') + 1);
        if (parent instanceof ObjectNode o) {
            o.remove(last);
        } else {
            ((ArrayNode) parent).remove(Integer.parseInt(last));
        }
    }

    private static String abbreviate(String s) {
        String printable = s.replace("\u0000", "\\0").replace("\t", "\\t");
        return printable.length() <= 24 ? printable : printable.substring(0, 20) + "...(" + s.length() + ")";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputGetsA4xxJsonNamingTheProblemNeverA5xxNeverAHang(Case c) throws Exception {
        Raw r = send(c);
        String shown = c + " -> " + r.status() + " " + r.body();
        assertTrue(r.status() < 500, shown);
        if (c.expected() == ANY_4XX) {
            assertTrue(r.status() >= 400, shown);
        } else if (c.expected() != 0) {
            assertEquals(c.expected(), r.status(), shown);
        }
        if (r.status() >= 400 && c.json()) {
            assertTrue(r.head().toLowerCase().contains("content-type: application/json"), shown);
            JsonNode json = Json.read(r.body());
            assertFalse(json.path("error").asText().isEmpty(), shown);
            assertFalse(json.path("detail").asText().isEmpty(), shown);
        }
    }

    record Raw(int status, String head, String body) {
    }

    /**
     * Writes the request byte for byte over a fresh socket (so nothing re-encodes or refuses it on
     * the way) and reads the answer. Every read is bounded: a hang fails the case instead of the build.
     */
    private Raw send(Case c) throws Exception {
        Endpoint e = c.endpoint();
        URI base = e.management() ? stack.adminUrl(e.service()) : stack.url(e.service());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", base.getHost());
        headers.put("Connection", "close");
        if (e.management()) {
            headers.put("Authorization", "Bearer " + LabStack.TOKEN);
        }
        if (e.template().equals("/orders") && !c.headers().containsKey("Idempotency-Key")) {
            headers.put("Idempotency-Key", "k-" + UUID.randomUUID());
        }
        if (c.body() != null) {
            headers.put("Content-Type", "application/json");
            if (!c.headers().containsKey("Transfer-Encoding")) {
                headers.put("Content-Length", Integer.toString(c.body().length));
            }
        }
        headers.putAll(c.headers());
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write((c.method() + " " + c.target() + " HTTP/1.1\r\n").getBytes(StandardCharsets.UTF_8));
        headers.forEach((k, v) -> request.writeBytes((k + ": " + v + "\r\n").getBytes(StandardCharsets.UTF_8)));
        request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        if (c.body() != null) {
            if (headers.containsKey("Transfer-Encoding")) {
                request.writeBytes((Integer.toHexString(c.body().length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                request.writeBytes(c.body());
                request.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } else {
                request.writeBytes(c.body());
            }
        }
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.toByteArray());
                out.flush();
            } catch (java.io.IOException refusedEarly) {
                // The server may answer (413) and close before the whole body is written: read that answer.
            }
            InputStream in = socket.getInputStream();
            byte[] answer = readAnswer(in);
            String text = new String(answer, StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            assertTrue(end > 0 && text.startsWith("HTTP/1.1 "), c + ": no HTTP answer: " + text);
            return new Raw(Integer.parseInt(text.substring(9, 12)), text.substring(0, end), text.substring(end + 4));
        }
    }

    /**
     * The head and then Content-Length bytes of body. Not "up to the close": after a 413 the JDK
     * server drains at most 64 KB of the unread body before it closes, and this client never sends it.
     */
    private static byte[] readAnswer(InputStream in) throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int headEnd = -1;
        long length = -1;
        for (int b; (b = in.read()) >= 0; ) {
            got.write(b);
            byte[] sofar = got.toByteArray();
            int n = sofar.length;
            if (headEnd < 0 && n >= 4 && sofar[n - 4] == '\r' && sofar[n - 3] == '\n' && sofar[n - 2] == '\r' && sofar[n - 1] == '\n') {
                headEnd = n;
                var m = java.util.regex.Pattern.compile("(?im)^content-length: *(\\d+)").matcher(new String(sofar, StandardCharsets.ISO_8859_1));
                length = m.find() ? Long.parseLong(m.group(1)) : -1;
                if (length < 0) {
                    got.writeBytes(in.readAllBytes());
                    break;
                }
            }
            if (headEnd >= 0 && n - headEnd >= length) {
                break;
            }
        }
        return got.toByteArray();
    }
}
