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
 * /admin/reset, /admin/chaos, /admin/counters and /admin/config, and the gateway's POST /orders.
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
    final Map<String, AtomicLong> received = new ConcurrentHashMap<>();
    public final List<String> adminCalls = new CopyOnWriteArrayList<>();
    private final Random random = new Random(1);
    private final Semaphore slots;
    private final long serviceMillis;
    private volatile double errorRate;
    private volatile boolean outage;

    public StubStack(int slots, long serviceMillis) throws IOException {
        this.slots = slots > 0 ? new Semaphore(slots) : null;
        this.serviceMillis = serviceMillis;
        for (String s : StackInfo.SERVICES) {
            received.put(s, new AtomicLong());
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1000);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> {
                try {
                    handle(s, exchange);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    exchange.close();
                }
            });
            server.start();
            servers.put(s, server);
        }
    }

    public String url(String service) {
        return "http://127.0.0.1:" + servers.get(service).getAddress().getPort();
    }

    /** Writes stack.json (without databases) and the token file into {@code dir}; returns stack.json. */
    public Path writeStackJson(Path dir) throws IOException {
        Path token = Files.writeString(dir.resolve("admin-token"), TOKEN + "\n");
        StringBuilder services = new StringBuilder();
        for (String s : StackInfo.SERVICES) {
            services.append(services.isEmpty() ? "" : ", ").append('"').append(s).append("\": \"").append(url(s)).append('"');
        }
        return Files.writeString(dir.resolve("stack.json"), "{\"services\": {" + services + "}, \"admin_token_file\": \""
                + token.toString().replace("\\", "\\\\") + "\", \"pids\": {\"gateway\": " + ProcessHandle.current().pid() + "}}");
    }

    private void handle(String service, HttpExchange x) throws IOException, InterruptedException {
        String path = x.getRequestURI().getPath();
        byte[] request = x.getRequestBody().readAllBytes();
        if (path.equals("/health")) {
            reply(x, 200, "{\"status\": \"UP\"}");
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
                    + ", \"completed_after_deadline\": 0, \"outgoing\": {}, \"breaker_transitions\": 0, \"bulkhead_rejections\": 0, \"shed\": 0}");
            case "/admin/config" -> reply(x, 200, "{\"stub\": true, \"service\": \"" + service + "\"}");
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

    private static void reply(HttpExchange x, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
    }

    @Override
    public void close() {
        servers.values().forEach(s -> s.stop(0));
    }
}
