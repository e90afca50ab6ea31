package frl.experiment.stack;

import com.fasterxml.jackson.databind.JsonNode;
import frl.resilience.NanoClock;
import frl.resilience.Sleeper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * The harness's side of the services' admin contract (docs/architecture.md): reset, chaos,
 * counters, config, the recovery sweep, {@code /metrics} and health, with the bearer token on
 * every {@code /admin/*} call.
 *
 * <p>Where each call goes: {@code /admin/*} and {@code /metrics} to the service's management
 * listener ({@link StackInfo#adminUrl}), which is never shed and never queued behind orders, so a
 * counters snapshot still answers while a retry storm floods the data plane; a stack without one
 * is managed on its service URL. {@code /health} goes to the service URL.
 *
 * <p>Failures are loud: a reset or chaos call that does not get a 2xx throws an IOException naming
 * the service, the status and the body, and the run is not started (or is marked), because a run
 * on stale state or without its fault is not the experiment it claims to be.
 *
 * <p>Thread-safe: immutable; {@link HttpClient} is thread-safe.
 */
public final class AdminClient {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Counter snapshots are taken while load runs; a late snapshot is worth less than none. */
    public static final Duration COUNTERS_TIMEOUT = Duration.ofSeconds(3);
    /** The longest {@link #awaitQuiet} waits: payments gives up on a queued request after 60 s. */
    public static final Duration QUIET_WAIT = Duration.ofSeconds(150);

    private final HttpClient http;
    private final StackInfo stack;
    private final String token;
    private final NanoClock clock;

    public AdminClient(HttpClient http, StackInfo stack, String token) {
        this(http, stack, token, NanoClock.system());
    }

    /** @param clock times each counters call (the admin plane's latency is part of the results) */
    public AdminClient(HttpClient http, StackInfo stack, String token, NanoClock clock) {
        this.http = http;
        this.stack = stack;
        this.token = token;
        this.clock = clock;
    }

    /**
     * Counters of every service at one moment.
     *
     * @param byService  every service's counters, or null if any could not be read (the window then
     *                   reads "unknown" rather than a wrong number)
     * @param latencyMs  how long each service took to answer (NaN: it did not)
     * @param failures   "service: reason" for each that did not answer
     */
    public record Snapshot(Map<String, Counters> byService, Map<String, Double> latencyMs, List<String> failures) {
        public boolean complete() {
            return byService != null;
        }

        /** The slowest answer in milliseconds (NaN when none answered). */
        public double slowestMs() {
            return latencyMs.values().stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
        }
    }

    /**
     * What the stack still has to do: orders PENDING and payments queued or in progress; -1 when
     * the stack does not report it. Read defensively: the field names are those the counters use
     * today ({@code queue_length}, {@code busy_slots} on payments) or announce
     * ({@code pending_orders} on orders).
     */
    public record Backlog(long pendingOrders, long paymentsQueued) {
        public boolean paymentsIdle() {
            return paymentsQueued == 0;
        }
    }

    /**
     * Waits until the stack has no work left from the previous run: every service answers, and
     * payments' queue is empty and no slot is busy. Without this, a run after a retry storm (whose
     * queued requests outlive the load that made them) would start on a stack still serving its
     * predecessor, and its reset could time out. Returns how long it waited.
     *
     * @throws IOException if the stack is still busy after {@link #QUIET_WAIT}
     */
    public Duration awaitQuiet(NanoClock clock, Sleeper sleeper) throws IOException, InterruptedException {
        long start = clock.nanoTime();
        String last = "no answer yet";
        while (clock.nanoTime() - start < QUIET_WAIT.toNanos()) {
            try {
                Backlog b = backlog();
                if (b.paymentsQueued() <= 0) {
                    for (String s : StackInfo.SERVICES) {
                        call(s, "GET", "/admin/counters", null, COUNTERS_TIMEOUT);
                    }
                    return Duration.ofNanos(clock.nanoTime() - start);
                }
                last = b.paymentsQueued() + " payments queued or in progress";
            } catch (IOException e) {
                last = e.getMessage();
            }
            sleeper.sleep(Duration.ofSeconds(1));
        }
        throw new IOException("stack still busy after " + QUIET_WAIT.toSeconds() + " s (" + last + ")");
    }

    /** Orders' and payments' counters read for the work still to do. */
    public Backlog backlog() throws IOException, InterruptedException {
        JsonNode payments = StackJson.MAPPER.readTree(call("payments", "GET", "/admin/counters", null, COUNTERS_TIMEOUT));
        JsonNode orders = StackJson.MAPPER.readTree(call("orders", "GET", "/admin/counters", null, COUNTERS_TIMEOUT));
        long queue = field(payments, "queue_length");
        long busy = field(payments, "busy_slots");
        long queued = queue < 0 && busy < 0 ? field(orders, "payments_queued") : Math.max(0, queue) + Math.max(0, busy);
        return new Backlog(field(orders, "pending_orders"), queued);
    }

    /** A non-negative count field, or -1 when absent or not a number. */
    static long field(JsonNode json, String name) {
        JsonNode n = json.path(name);
        return n.canConvertToLong() && n.asLong() >= 0 ? n.asLong() : -1;
    }

    /**
     * {@code POST /admin/sweep} on orders: run the recovery sweep now instead of at its horizon.
     *
     * @return false when this stack has no such endpoint (404/405): the caller must then wait for
     *         the sweep's own horizon
     */
    public boolean sweep() throws IOException, InterruptedException {
        HttpResponse<String> r = send("orders", "POST", "/admin/sweep", "{}", DEFAULT_TIMEOUT);
        if (r.statusCode() == 404 || r.statusCode() == 405) {
            return false;
        }
        if (r.statusCode() / 100 != 2) {
            throw new IOException("POST orders/admin/sweep answered " + r.statusCode() + ": " + r.body());
        }
        return true;
    }

    /** {@code POST /admin/reset} on every service: breakers, bulkheads, queues, caches, chaos, stock, counters. */
    public void resetAll() throws IOException, InterruptedException {
        for (String s : StackInfo.SERVICES) {
            call(s, "POST", "/admin/reset", "{}");
        }
    }

    public void chaos(String service, String json) throws IOException, InterruptedException {
        call(service, "POST", "/admin/chaos", json);
    }

    /** Counters of every service, read in parallel (the snapshot should be one moment). */
    public Snapshot counters() throws InterruptedException {
        Map<String, Counters> all = new ConcurrentHashMap<>();
        Map<String, Double> latency = new ConcurrentHashMap<>();
        Map<String, String> failed = new ConcurrentHashMap<>();
        try (var scope = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String s : StackInfo.SERVICES) {
                scope.submit(() -> {
                    long t0 = clock.nanoTime();
                    try {
                        all.put(s, Counters.parse(s, StackJson.MAPPER.readTree(call(s, "GET", "/admin/counters", null, COUNTERS_TIMEOUT))));
                        latency.put(s, (clock.nanoTime() - t0) / 1e6);
                    } catch (IOException | RuntimeException e) {
                        latency.put(s, Double.NaN);
                        failed.put(s, s + ": " + e);
                    }
                    return null;
                });
            }
        }
        Map<String, Counters> ordered = new LinkedHashMap<>();
        Map<String, Double> latencyOrdered = new LinkedHashMap<>();
        StackInfo.SERVICES.forEach(s -> {
            ordered.put(s, all.get(s));
            latencyOrdered.put(s, latency.getOrDefault(s, Double.NaN));
        });
        List<String> failures = new ArrayList<>();
        StackInfo.SERVICES.stream().filter(failed::containsKey).forEach(s -> failures.add(failed.get(s)));
        return new Snapshot(failures.isEmpty() ? ordered : null, latencyOrdered, List.copyOf(failures));
    }

    /** Counters of every service, or null if any could not be read within {@link #COUNTERS_TIMEOUT}. */
    public Map<String, Counters> countersOrNull() throws InterruptedException {
        return counters().byService();
    }

    /** {@code GET /metrics} (Prometheus text) of every service, read in parallel; a service that failed is absent. */
    public Map<String, String> metrics() throws InterruptedException {
        Map<String, String> all = new ConcurrentHashMap<>();
        try (var scope = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String s : StackInfo.SERVICES) {
                scope.submit(() -> {
                    try {
                        all.put(s, call(s, "GET", "/metrics", null, COUNTERS_TIMEOUT));
                    } catch (IOException | RuntimeException e) {
                        // absent: whatever it would have told is unknown for this window
                    }
                    return null;
                });
            }
        }
        Map<String, String> ordered = new LinkedHashMap<>();
        StackInfo.SERVICES.stream().filter(all::containsKey).forEach(s -> ordered.put(s, all.get(s)));
        return ordered;
    }

    /** {@code GET /admin/config} of every service, raw, for run.json; a failure is recorded as text. */
    public Map<String, JsonNode> configs() throws InterruptedException {
        Map<String, JsonNode> all = new LinkedHashMap<>();
        for (String s : StackInfo.SERVICES) {
            try {
                all.put(s, StackJson.MAPPER.readTree(call(s, "GET", "/admin/config", null)));
            } catch (IOException | RuntimeException e) {
                all.put(s, StackJson.MAPPER.getNodeFactory().textNode("unavailable: " + e.getMessage()));
            }
        }
        return all;
    }

    public boolean healthy(String service) throws InterruptedException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.url(service) + "/health"))
                    .timeout(DEFAULT_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private String call(String service, String method, String path, String body) throws IOException, InterruptedException {
        return call(service, method, path, body, DEFAULT_TIMEOUT);
    }

    private String call(String service, String method, String path, String body, Duration timeout)
            throws IOException, InterruptedException {
        HttpResponse<String> r = send(service, method, path, body, timeout);
        if (r.statusCode() / 100 != 2) {
            throw new IOException(method + " " + service + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** Every admin and metrics call goes to the management listener ({@link StackInfo#adminUrl}). */
    private HttpResponse<String> send(String service, String method, String path, String body, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stack.adminUrl(service) + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + token);
        if (body == null) {
            b.GET();
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
