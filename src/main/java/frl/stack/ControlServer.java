package frl.stack;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import frl.http.AdminToken;
import com.fasterxml.jackson.databind.JsonNode;
import frl.chaos.TcpProxy;
import frl.http.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The launcher's control channel: take Redis or one PostgreSQL down and bring it back, on the
 * local lab, while the services keep running. The chaos switches ({@code /admin/chaos}) fake a
 * fault inside a service; this one makes it real, because the launcher is the process that holds
 * the embedded servers.
 *
 * <pre>
 *   GET  /infra                 every component: {"redis": {"state": "up", "url": ..., "controllable": true}, ...}
 *   POST /infra/{name}/stop     -> 200 {"name", "state": "down", "changed": true|false}
 *   POST /infra/{name}/start    -> 200 {"name", "state": "up",   "changed": true|false}
 *   GET  /proxy/payments        the orders -> payments proxy's switches: {"latency_ms", "reset", "port", "target"}
 *   POST /proxy/payments        {"latency_ms": 200, "reset": false} sets both -> 200 as GET; 400 for a bad body;
 *                               404 when the stack runs without the proxy (LAB_PAYMENTS_PROXY=1 starts it)
 * </pre>
 * Names: {@code redis}, {@code postgres-orders} (the :5432 server, holding the orders, payments
 * and notifications databases), {@code postgres-inventory} (:5433). Errors are JSON
 * {@code {"error", "detail"}}: 401 without the admin token, 404 for an unknown component or path,
 * 405 for another method, 409 for an external server (never stopped), 500 if the server failed to
 * start (the detail says why: usually the port was taken in the meantime).
 *
 * <p>Safety: it listens on 127.0.0.1 only, refuses non-loopback peers anyway, and every call needs
 * {@code Authorization: Bearer <admin token>} (compared in constant time). {@code make run-stack}
 * picks a free port and writes the URL to {@code .run/stack.json} under {@code "control"}; the
 * scripts {@code chaos/scripts/redis_down.sh} and {@code postgres_down.sh} call it.
 *
 * <p>Thread-safe: the component map is immutable; each component serialises its own changes.
 */
public final class ControlServer implements AutoCloseable {
    private static final Pattern ACTION = Pattern.compile("/infra/([a-z-]+)/(stop|start)");

    private final Map<String, Component> components = new LinkedHashMap<>();
    private final TcpProxy paymentsProxy; // null: the stack runs without it
    private final AdminToken token;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    /** Binds 127.0.0.1:{@code port} (0 = a free port) and starts serving. */
    public ControlServer(List<Component> components, String adminToken, int port) throws IOException {
        this(components, null, adminToken, port);
    }

    /** The same, also switching {@code paymentsProxy} (null when the stack runs without one). */
    public ControlServer(List<Component> components, TcpProxy paymentsProxy, String adminToken, int port) throws IOException {
        this.paymentsProxy = paymentsProxy;
        components.forEach(c -> this.components.put(c.name(), c));
        this.token = new AdminToken(adminToken);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private record Reply(int status, ObjectNode body) {
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            byte[] body = x.getRequestBody().readNBytes(4096);
            Reply r;
            try {
                r = route(x, body);
            } catch (Component.NotControllable e) {
                r = new Reply(409, error("external", e.getMessage()));
            } catch (IOException | RuntimeException e) {
                r = new Reply(500, error("failed", String.valueOf(e.getMessage())));
            }
            byte[] bytes = (r.body() + "\n").getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "application/json");
            x.sendResponseHeaders(r.status(), bytes.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private Reply route(HttpExchange x, byte[] body) throws IOException {
        if (!x.getRemoteAddress().getAddress().isLoopbackAddress()) {
            return new Reply(403, error("forbidden", "the control channel answers loopback callers only"));
        }
        String auth = x.getRequestHeaders().getFirst("Authorization");
        if (!token.admits(auth)) {
            return new Reply(401, error("unauthorized", "send Authorization: Bearer <admin token> (.run/admin-token)"));
        }
        String path = x.getRequestURI().getPath();
        String method = x.getRequestMethod();
        if (path.equals("/infra")) {
            return method.equals("GET") ? new Reply(200, all()) : new Reply(405, error("method_not_allowed", "GET /infra"));
        }
        if (path.equals("/proxy/payments")) {
            return proxy(method, body);
        }
        Matcher m = ACTION.matcher(path);
        if (!m.matches()) {
            return new Reply(404, error("not_found", "no route " + path + "; routes: GET /infra, POST /infra/{name}/stop|start"));
        }
        if (!method.equals("POST")) {
            return new Reply(405, error("method_not_allowed", m.group(2) + " takes POST, not " + method));
        }
        Component c = components.get(m.group(1));
        if (c == null) {
            return new Reply(404, error("unknown_component", "no component '" + m.group(1) + "'; known: "
                    + String.join(", ", components.keySet())));
        }
        return new Reply(200, act(c, m.group(2)));
    }

    private Reply proxy(String method, byte[] body) {
        if (paymentsProxy == null) {
            return new Reply(404, error("no_proxy", "this stack runs without the payments proxy; start it with LAB_PAYMENTS_PROXY=1"));
        }
        if (method.equals("POST")) {
            TcpProxy.Toxics next;
            try {
                JsonNode json = Json.MAPPER.readTree(body);
                if (json == null || !json.isObject() || !json.path("latency_ms").canConvertToLong() && json.has("latency_ms")
                        || json.has("reset") && !json.get("reset").isBoolean()) {
                    throw new IllegalArgumentException("send {\"latency_ms\": <integer>, \"reset\": <boolean>}, got "
                            + new String(body, StandardCharsets.UTF_8));
                }
                next = new TcpProxy.Toxics(Duration.ofMillis(json.path("latency_ms").asLong(0)), json.path("reset").asBoolean(false));
            } catch (IOException | IllegalArgumentException e) {
                return new Reply(400, error("bad_request", e.getMessage()));
            }
            paymentsProxy.set(next);
            System.out.printf("control: payments proxy latency %d ms, reset %s%n", next.latency().toMillis(), next.reset());
        } else if (!method.equals("GET")) {
            return new Reply(405, error("method_not_allowed", "/proxy/payments takes GET or POST, not " + method));
        }
        TcpProxy.Toxics t = paymentsProxy.toxics();
        return new Reply(200, Json.object().put("latency_ms", t.latency().toMillis()).put("reset", t.reset())
                .put("port", paymentsProxy.port()).put("target", paymentsProxy.target().toString()));
    }

    private static ObjectNode act(Component c, String action) throws IOException {
        boolean changed = action.equals("stop") ? c.stop() : c.start();
        System.out.printf("control: %s %s%s%n", action, c.name(), changed ? "" : " (it already was " + state(c) + ")");
        return describe(c).put("name", c.name()).put("changed", changed);
    }

    private ObjectNode all() {
        ObjectNode o = Json.object();
        components.forEach((name, c) -> o.set(name, describe(c)));
        return o;
    }

    private static ObjectNode describe(Component c) {
        ObjectNode o = Json.object();
        o.put("state", state(c)).put("url", c.url()).put("controllable", c.controllable());
        return o;
    }

    private static String state(Component c) {
        return !c.controllable() ? "external" : c.isUp() ? "up" : "down";
    }

    private static ObjectNode error(String code, String detail) {
        return Json.object().put("error", code).put("detail", detail);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
