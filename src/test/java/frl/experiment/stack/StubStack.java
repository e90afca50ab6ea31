package frl.experiment.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Five stand-in services on 127.0.0.1 speaking just enough of docs/architecture.md for the
 * harness's plumbing to be tested before the real services exist: /health, the bearer-guarded
 * /admin/reset, /admin/chaos, /admin/counters, /admin/config and /admin/sweep, /metrics, and the
 * gateway's POST /orders.
 *
 * <p>With {@code managementListeners}, each service serves /admin/* and /metrics on a second port
 * of its own (and answers 404 for them on its service port), as the stack's management listener
 * does; {@link #writeStackJson} then names those ports under "admin".
 *
 * <p>An order counts one attempt received at every hop and answers 201 with an order id, 402
 * when a payments {@code error_rate} chaos draw says so, 503 under a payments {@code outage}.
 * With {@code slots > 0} the gateway serves at most that many orders at once, each taking
 * {@code serviceMillis}: a fixed capacity of slots / service time, for the calibrator.
 *
 * <p>Not a model of the real services: no retries, no databases, no patterns. Thread-safe.
 */
public final class StubStack implements AutoCloseable {
    static final String TOKEN = "test-token";

    final Map<String, HttpServer> servers = new ConcurrentHashMap<>();
    final Map<String, HttpServer> management = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> received = new ConcurrentHashMap<>();
    public final List<String> adminCalls = new CopyOnWriteArrayList<>();
    private final Random random = new Random(1);
    private final Semaphore slots;
    private final long serviceMillis;
    private volatile double errorRate;
    private volatile boolean outage;

    public StubStack(int slots, long serviceMillis) throws IOException {
        this(slots, serviceMillis, false);
    }

    public StubStack(int slots, long serviceMillis, boolean managementListeners) throws IOException {
        this.slots = slots > 0 ? new Semaphore(slots) : null;
        this.serviceMillis = serviceMillis;
        for (String s : StackInfo.SERVICES) {
            received.put(s, new AtomicLong());
            servers.put(s, listen(s, managementListeners ? Plane.DATA : Plane.BOTH));
            if (managementListeners) {
                management.put(s, listen(s, Plane.MANAGEMENT));
            }
        }
    }

    private enum Plane { DATA, MANAGEMENT, BOTH }

    private HttpServer listen(String service, Plane plane) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1000);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try {
                String path = exchange.getRequestURI().getPath();
                boolean managementPath = path.startsWith("/admin/") || path.equals("/metrics");
                if ((plane == Plane.DATA && managementPath) || (plane == Plane.MANAGEMENT && !managementPath)) {
                    exchange.getRequestBody().readAllBytes();
                    reply(exchange, 404, "{\"error\": \"not_found\", \"detail\": \"" + path + " is on the other listener\"}");
                } else {
                    handle(service, exchange);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        server.start();
        return server;
    }

    /** The management listener's URL (the service URL when there is none). */
    public String adminUrl(String service) {
        HttpServer m = management.get(service);
        return m == null ? url(service) : "http://127.0.0.1:" + m.getAddress().getPort();
    }

    public String url(String service) {
        return "http://127.0.0.1:" + servers.get(service).getAddress().getPort();
    }

    /** Writes stack.json (without databases) and the token file into {@code dir}; returns stack.json. */
    public Path writeStackJson(Path dir) throws IOException {
        return writeStackJson(dir, !management.isEmpty());
    }

    /** As {@link #writeStackJson(Path)}, naming the management listeners under "admin" only if {@code withAdmin}. */
    public Path writeStackJson(Path dir, boolean withAdmin) throws IOException {
        Path token = Files.writeString(dir.resolve("admin-token"), TOKEN + "\n");
        StringBuilder services = new StringBuilder(), admin = new StringBuilder();
        for (String s : StackInfo.SERVICES) {
            services.append(services.isEmpty() ? "" : ", ").append('"').append(s).append("\": \"").append(url(s)).append('"');
            admin.append(admin.isEmpty() ? "" : ", ").append('"').append(s).append("\": \"").append(adminUrl(s)).append('"');
        }
        return Files.writeString(dir.resolve("stack.json"), "{\"services\": {" + services + "}, "
                + (withAdmin ? "\"admin\": {" + admin + "}, " : "") + "\"admin_token_file\": \""
                + token.toString().replace("\\", "\\\\") + "\", \"pids\": {\"gateway\": " + ProcessHandle.current().pid() + "}}");
    }

    private void handle(String service, HttpExchange x) throws IOException, InterruptedException {
        String path = x.getRequestURI().getPath();
        byte[] request = x.getRequestBody().readAllBytes();
        if (path.equals("/health")) {
            reply(x, 200, "{\"status\": \"UP\"}");
        } else if (path.equals("/metrics")) {
            adminCalls.add("GET " + service + " /metrics");
            replyText(x, "# TYPE lab_bulkhead_rejections counter\n" + (service.equals("orders")
                    ? "lab_bulkhead_rejections_total{downstream=\"payments\",config=\"E\"} " + received.get(service).get() + "\n" : ""));
        } else if (path.startsWith("/admin/")) {
            if (!("Bearer " + TOKEN).equals(x.getRequestHeaders().getFirst("Authorization"))) {
                reply(x, 401, "{\"error\": \"unauthorized\", \"detail\": \"bearer token required\"}");
                return;
            }
            admin(service, x, path, new String(request, StandardCharsets.UTF_8));
        } else if (service.equals("gateway") && path.equals("/orders") && x.getRequestMethod().equals("POST")) {
            order(x);
        } else {
            reply(x, 404, "{\"error\": \"not_found\", \"detail\": \"" + path + "\"}");
        }
    }

    private void admin(String service, HttpExchange x, String path, String body) throws IOException {
        adminCalls.add(x.getRequestMethod() + " " + service + " " + path + (body.isEmpty() || body.equals("{}") ? "" : " " + body));
        switch (path) {
            case "/admin/reset" -> {
                received.get(service).set(0);
                if (service.equals("payments")) {
                    errorRate = 0;
                    outage = false;
                }
                reply(x, 200, "{}");
            }
            case "/admin/chaos" -> {
                JsonNode n = StackJson.MAPPER.readTree(body);
                if (n.path("reset").asBoolean(false)) {
                    errorRate = 0;
                    outage = false;
                } else {
                    errorRate = n.path("error_rate").asDouble(errorRate);
                    outage = n.path("outage").asBoolean(outage);
                }
                reply(x, 200, body);
            }
            case "/admin/counters" -> reply(x, 200, "{\"service\": \"" + service + "\", \"received\": " + received.get(service).get()
                    + ", \"completed_after_deadline\": 0, \"outgoing\": {}, \"breaker_transitions\": 0, \"bulkhead_rejections\": 0, \"shed\": 0"
                    + (service.equals("payments") ? ", \"queue_length\": 0, \"busy_slots\": 0" : "") + "}");
            case "/admin/config" -> reply(x, 200, "{\"stub\": true, \"service\": \"" + service + "\"}");
            case "/admin/sweep" -> reply(x, service.equals("orders") ? 200 : 404, "{\"swept\": 0}");
            default -> reply(x, 404, "{\"error\": \"not_found\", \"detail\": \"" + path + "\"}");
        }
    }

    private void order(HttpExchange x) throws IOException, InterruptedException {
        for (String s : List.of("gateway", "orders", "payments", "inventory")) {
            received.get(s).incrementAndGet();
        }
        if (slots != null) {
            slots.acquire();
            try {
                Thread.sleep(serviceMillis);
            } finally {
                slots.release();
            }
        }
        boolean declined;
        synchronized (random) {
            declined = random.nextDouble() < errorRate;
        }
        if (outage) {
            reply(x, 503, "{\"error\": \"payments_down\", \"detail\": \"outage\", \"status\": \"FAILED\"}");
        } else if (declined) {
            reply(x, 402, "{\"error\": \"declined\", \"detail\": \"chaos\", \"status\": \"FAILED\"}");
        } else {
            reply(x, 201, "{\"order_id\": \"" + UUID.randomUUID() + "\", \"status\": \"CONFIRMED\", \"total\": 59.98}");
        }
    }

    private static void replyText(HttpExchange x, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
        x.sendResponseHeaders(200, b.length);
        x.getResponseBody().write(b);
    }

    private static void reply(HttpExchange x, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
    }

    @Override
    public void close() {
        servers.values().forEach(s -> s.stop(0));
        management.values().forEach(s -> s.stop(0));
    }
}
