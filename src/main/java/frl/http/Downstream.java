package frl.http;

import frl.resilience.BulkheadFullException;
import frl.resilience.Deadline;
import frl.resilience.retry.Verdict;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One downstream service as its caller sees it: every call goes through the caller's
 * configuration's {@link frl.resilience.compose.Resilience} stack for this downstream, and carries the
 * configuration, request id, idempotency key and remaining deadline.
 *
 * <p>Every attempt (first or retry) is counted where the experiment reads it: outgoing attempts
 * and retries per downstream, by outcome. The downstream counts what it received; the two
 * together give amplification per hop.
 *
 * <p>Thread-safe: the JDK {@link HttpClient} is, and each call keeps its own attempt count.
 */
public final class Downstream {
    /**
     * Connection set-up is bounded in every configuration, even "no timeouts" (A, B): those
     * configurations omit <em>read</em> timeouts, the ones the spec's patterns are about. A refused
     * connection on loopback fails at once anyway.
     */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final String name;
    private final URI base;
    private final HttpClient client;
    private final PatternRegistry patterns;
    private final ServiceServer server;

    public Downstream(String name, URI base, HttpClient client, PatternRegistry patterns, ServiceServer server) {
        this.name = name;
        this.base = base;
        this.client = client;
        this.patterns = patterns;
        this.server = server;
        server.metrics().initialiseDownstream(name, server.configs());
    }

    /** An HTTP/1.1 client whose callbacks run on virtual threads. */
    public static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    public String name() {
        return name;
    }

    /**
     * {@code "/" + segments}, each percent-encoded as one path segment: whatever a value holds (a
     * slash, a space, {@code ..}, a non-ASCII letter), it stays one segment and cannot change the
     * path's shape. Use it for every path that carries a value. Everything but RFC 3986's unreserved
     * characters is encoded, and so are the dots of a {@code .} or {@code ..} segment, which a URI
     * resolver would otherwise read as "this" and "parent" directory.
     */
    public static String path(String... segments) {
        StringBuilder out = new StringBuilder();
        for (String segment : segments) {
            out.append('/');
            boolean dots = segment.equals(".") || segment.equals("..");
            for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
                char c = (char) (b & 0xff);
                boolean unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                        || c == '-' || c == '_' || c == '~' || (c == '.' && !dots);
                if (unreserved) {
                    out.append(c);
                } else {
                    out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
                }
            }
        }
        return out.toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    public PatternRegistry patterns() {
        return patterns;
    }

    /**
     * Calls {@code method path} with {@code body} (a JSON-serialisable value, raw {@code byte[]}, or
     * null) through the configuration's patterns. A path that carries a value is built with {@link #path}.
     *
     * @return the last attempt's answer, whatever its status
     * @throws Exception a transport failure of the last attempt, or a pattern's rejection
     *                   ({@code CircuitOpenException}, {@code BulkheadFullException}, {@code DeadlineExceededException})
     */
    public HttpResult call(CallContext call, String method, String path, Object body) throws Exception {
        refuseIfRunEnded(call, method, path);
        byte[] bytes = body == null ? null : body instanceof byte[] b ? b : Json.write(body).getBytes();
        // Deadlines are enforced only where the configuration has timeouts; elsewhere only propagated.
        Deadline enforced = call.config().timeouts().enabled() ? call.deadline() : null;
        AtomicInteger attempts = new AtomicInteger();
        String cfg = String.valueOf(call.config().name());
        try {
            return patterns.forCall(call.config(), name).call(enforced,
                    timeout -> send(call, method, path, bytes, timeout, attempts.incrementAndGet(), cfg),
                    r -> Verdict.ofHttp(r.status(), r.header(Headers.RETRY_AFTER)));
        } catch (BulkheadFullException e) {
            server.counters().bulkheadRejection();
            server.metrics().bulkheadRejections.labelValues(name, cfg).inc();
            throw e;
        }
    }

    /**
     * After {@code POST /admin/reset} a request of the ended run sends no POST downstream: left to
     * itself, a storm's thousands of requests still in flight (no deadline in A and B) would
     * retry into the next run for minutes. GET and DELETE (reads, and compensation that releases
     * stock) still go. Refused as a spent deadline: final, not the downstream's fault, counted nowhere.
     */
    private void refuseIfRunEnded(CallContext call, String method, String path) {
        if (call.run() != CallContext.NOT_A_RUN && call.run() != server.run()
                && !method.equals("GET") && !method.equals("DELETE")) {
            throw new frl.resilience.DeadlineExceededException("not sent: " + method + " " + name + path
                    + " belongs to a run that POST /admin/reset ended");
        }
    }

    private HttpResult send(CallContext call, String method, String path, byte[] body, Duration timeout,
                            int attempt, String cfg) throws Exception {
        refuseIfRunEnded(call, method, path); // a retry scheduled before the reset
        server.counters().outgoingAttempt(name);
        if (attempt > 1) {
            server.counters().outgoingRetry(name);
            server.metrics().retries.labelValues(name, cfg).inc();
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(base.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json")
                .header(Headers.CONFIG, cfg);
        if (call.requestId() != null) {
            req.header(Headers.REQUEST_ID, call.requestId());
        }
        if (call.idempotencyKey() != null) {
            req.header(Headers.IDEMPOTENCY_KEY, call.idempotencyKey());
        }
        if (call.deadline() != null) {
            req.header(Headers.DEADLINE, call.deadline().headerValue());
        }
        if (timeout != null) {
            req.timeout(timeout);
        }
        String outcome = "error";
        var span = server.tracing().clientSpan(method + " " + name + " " + path + " (attempt " + attempt + ")", req);
        int status = 0;
        try {
            HttpResponse<String> r = client.send(req.build(), HttpResponse.BodyHandlers.ofString());
            outcome = Integer.toString(r.statusCode());
            status = r.statusCode();
            return new HttpResult(r.statusCode(), r.body(), r.headers());
        } catch (java.net.http.HttpTimeoutException e) {
            outcome = "timeout";
            throw e;
        } finally {
            span.setAttribute("lab.outcome", outcome);
            Tracing.end(span, status == 0 ? 599 : status); // 599: no answer (timeout, refused)
            server.metrics().outgoingAttempts.labelValues(name, cfg, outcome).inc();
        }
    }
}
