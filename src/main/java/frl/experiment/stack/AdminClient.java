package frl.experiment.stack;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The harness's side of the services' admin contract (docs/architecture.md): reset, chaos,
 * counters, config and health, with the bearer token on every {@code /admin/*} call.
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

    private final HttpClient http;
    private final StackInfo stack;
    private final String token;

    public AdminClient(HttpClient http, StackInfo stack, String token) {
        this.http = http;
        this.stack = stack;
        this.token = token;
    }

    /** The longest {@link #awaitQuiet} waits: payments gives up on a queued request after 60 s. */
    public static final Duration QUIET_WAIT = Duration.ofSeconds(150);

    /**
     * Waits until the stack has no work left from the previous run: every service answers, and
     * payments' queue is empty and no slot is busy. Without this, a run after a retry storm (whose
     * queued requests outlive the load that made them) would start on a stack still serving its
     * predecessor, and its reset could time out. Returns how long it waited.
     *
     * @throws IOException if the stack is still busy after {@link #QUIET_WAIT}
     */
    public Duration awaitQuiet(frl.resilience.NanoClock clock, frl.resilience.Sleeper sleeper)
            throws IOException, InterruptedException {
        long start = clock.nanoTime();
        String last = "no answer yet";
        while (clock.nanoTime() - start < QUIET_WAIT.toNanos()) {
            try {
                String payments = call("payments", "GET", "/admin/counters", null, COUNTERS_TIMEOUT);
                com.fasterxml.jackson.databind.JsonNode c = StackJson.MAPPER.readTree(payments);
                long queued = c.path("queue_length").asLong(0) + c.path("busy_slots").asLong(0);
                if (queued == 0) {
                    for (String s : StackInfo.SERVICES) {
                        call(s, "GET", "/admin/counters", null, COUNTERS_TIMEOUT);
                    }
                    return Duration.ofNanos(clock.nanoTime() - start);
                }
                last = queued + " payments queued or in progress";
            } catch (IOException e) {
                last = e.getMessage();
            }
            sleeper.sleep(Duration.ofSeconds(1));
        }
        throw new IOException("stack still busy after " + QUIET_WAIT.toSeconds() + " s (" + last + ")");
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

    /**
     * Counters of every service, read in parallel (an overloaded stack answers slowly, and the
     * snapshot should be one moment), or null if any could not be read within
     * {@link #COUNTERS_TIMEOUT}: the window then reads "unknown" rather than a wrong number.
     */
    public Map<String, Counters> countersOrNull() throws InterruptedException {
        Map<String, Counters> all = new java.util.concurrent.ConcurrentHashMap<>();
        try (var scope = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (String s : StackInfo.SERVICES) {
                scope.submit(() -> {
                    try {
                        all.put(s, Counters.parse(s, StackJson.MAPPER.readTree(call(s, "GET", "/admin/counters", null, COUNTERS_TIMEOUT))));
                    } catch (IOException | RuntimeException e) {
                        // missing from the map: the snapshot is incomplete
                    }
                    return null;
                });
            }
        }
        if (all.size() < StackInfo.SERVICES.size()) {
            return null;
        }
        Map<String, Counters> ordered = new LinkedHashMap<>();
        StackInfo.SERVICES.forEach(s -> ordered.put(s, all.get(s)));
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
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stack.adminUrl(service) + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + token);
        if (body == null) {
            b.GET();
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException(method + " " + service + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }
}
