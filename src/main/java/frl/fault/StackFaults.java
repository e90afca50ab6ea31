package frl.fault;

import com.fasterxml.jackson.databind.JsonNode;
import frl.experiment.stack.StackInfo;
import frl.experiment.stack.StackJson;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Makes each {@link FaultCase.Kind} happen to the running stack, and undoes it, the way an
 * operator would: a SIGKILL to the pid {@code stack.json} names, the launcher's control channel
 * for Redis, PostgreSQL and the payments proxy, notifications' chaos switch on its management
 * listener. Reads {@code stack.json} afresh for every kill, since the launcher rewrites it with
 * each restarted service's new pid.
 *
 * <p>Thread-safe: holds only immutable state and a thread-safe HTTP client.
 */
final class StackFaults {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60); // starting PostgreSQL takes a few seconds

    private final HttpClient http;
    private final Path stackFile;
    private final StackInfo stack;
    private final String token;

    StackFaults(HttpClient http, Path stackFile) throws IOException {
        this.http = http;
        this.stackFile = stackFile;
        this.stack = StackInfo.read(stackFile);
        this.token = stack.adminToken();
    }

    StackInfo stack() {
        return stack;
    }

    String token() {
        return token;
    }

    private JsonNode json() throws IOException {
        return StackJson.MAPPER.readTree(stackFile.toFile());
    }

    /** Whether the launcher runs the orders -> payments proxy ({@code LAB_PAYMENTS_PROXY=1}). */
    boolean hasProxy() throws IOException {
        return json().hasNonNull("payments_proxy");
    }

    /** Restarts of {@code service} so far, as the launcher counts them. */
    long restarts(String service) throws IOException {
        return json().path("restarts").path(service).asLong(0);
    }

    void inject(FaultCase c) throws IOException, InterruptedException {
        switch (c.kind()) {
            case KILL -> {
                long pid = json().path("pids").path(c.target()).asLong(-1);
                ProcessHandle p = ProcessHandle.of(pid).orElseThrow(() -> new IOException(c.target() + " pid " + pid + " is not running"));
                p.destroyForcibly(); // SIGKILL: no shutdown hook, no draining, like kill -9
                try { // gone before the caller polls /health, or the dying process could still answer it
                    p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    throw new IOException(c.target() + " pid " + pid + " still alive 10 s after SIGKILL", e);
                }
            }
            case INFRA_STOP -> control("/infra/" + c.target() + "/stop", "");
            case NOTIFICATIONS_DOWN -> admin("notifications", "/admin/chaos", "{\"down\": true}");
            case PROXY_LATENCY -> control("/proxy/payments", "{\"latency_ms\": " + FaultCase.PROXY_LATENCY.toMillis() + ", \"reset\": false}");
            case PROXY_RESET -> control("/proxy/payments", "{\"latency_ms\": 0, \"reset\": true}");
        }
    }

    /** Ends the fault; nothing to do for a kill (the launcher restarts the service by itself). */
    void heal(FaultCase c) throws IOException, InterruptedException {
        switch (c.kind()) {
            case KILL -> {
            }
            case INFRA_STOP -> control("/infra/" + c.target() + "/start", "");
            case NOTIFICATIONS_DOWN -> admin("notifications", "/admin/chaos", "{\"down\": false}");
            case PROXY_LATENCY, PROXY_RESET -> control("/proxy/payments", "{\"latency_ms\": 0, \"reset\": false}");
        }
    }

    /** {@code POST /admin/reconcile} on payments: refund orphan charges now rather than at its next round. */
    void reconcile() throws IOException, InterruptedException {
        admin("payments", "/admin/reconcile", "{}");
    }

    /** Whether {@code service} answers {@code GET /health} with 200 on its data port within 2 s. */
    boolean healthy(String service) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(stack.url(service) + "/health")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private void control(String path, String body) throws IOException, InterruptedException {
        String url = json().path("control").asText("");
        if (url.isEmpty()) {
            throw new IOException(stackFile + " names no control channel: only a stack started with `make run-stack` can be faulted here");
        }
        post(url + path, body);
    }

    private void admin(String service, String path, String body) throws IOException, InterruptedException {
        post(stack.adminUrl(service) + path, body);
    }

    private void post(String url, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(CALL_TIMEOUT)
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException("POST " + url + " answered " + r.statusCode() + ": " + r.body());
        }
    }
}
