package frl.http;

import frl.resilience.BulkheadFullException;
import frl.resilience.Deadline;
import frl.resilience.compose.Resilience;
import frl.resilience.retry.Verdict;

import io.opentelemetry.api.trace.Span;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One downstream service as its caller sees it: every call goes through the caller's
 * configuration's {@link Resilience} stack for this downstream, and carries the
 * configuration, request id, idempotency key and remaining deadline.
 *
 * <p>Every attempt (first or retry) is counted where the experiment reads it: outgoing attempts
 * and retries per downstream, by outcome. The downstream counts what it received; the two
 * together give amplification per hop.
 *
 * <p>Thread-safe: {@link ServiceClient} is, and each call keeps its own attempt count.
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
    private final ServiceClient client;
    private final PatternRegistry patterns;
    private final ServiceServer server;

    public Downstream(String name, URI base, ServiceClient client, PatternRegistry patterns, ServiceServer server) {
        this.name = name;
        this.base = base;
        this.client = client;
        this.patterns = patterns;
        this.server = server;
        server.metrics().initialiseDownstream(name, server.configs());
    }

    /** A client for calls between our services: blocking HTTP/1.1 on the caller's (virtual) thread. */
    public static ServiceClient newClient() {
        return new ServiceClient(CONNECT_TIMEOUT);
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
        // Deadlines are enforced only where the configuration has timeouts; elsewhere only propagated.
        Deadline enforced = call.config().timeouts().enabled() ? call.deadline() : null;
        return through(patterns.forCall(call.config(), name), enforced, call, method, path, body);
    }

    /**
     * A compensating call (undoing a step of a failed operation). In a configuration with a
     * compensation path (G) it goes through that path's own stack and deadline
     * ({@link PatternRegistry#forCompensation}): never refused by the forward path's breaker or
     * bulkhead, retried with more patience. Elsewhere it is an ordinary {@link #call} without the
     * request's deadline, as A..F have always made it.
     */
    public HttpResult compensate(CallContext call, String method, String path, Object body) throws Exception {
        if (!call.config().compensation().enabled()) {
            return call(call.withDeadline(null), method, path, body);
        }
        Deadline own = patterns.compensationDeadline(call.config());
        return through(patterns.forCompensation(call.config(), name), own, call.withDeadline(own), method, path, body);
    }

    private HttpResult through(Resilience stack, Deadline enforced, CallContext call, String method, String path,
                               Object body) throws Exception {
        byte[] bytes = body == null ? null : body instanceof byte[] b ? b : Json.write(body).getBytes();
        AtomicInteger attempts = new AtomicInteger();
        String cfg = String.valueOf(call.config().name());
        try {
            return stack.call(enforced,
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
        Map<String, String> headers = new LinkedHashMap<>(8);
        headers.put("Content-Type", "application/json");
        headers.put(Headers.CONFIG, cfg);
        if (call.requestId() != null) {
            headers.put(Headers.REQUEST_ID, call.requestId());
        }
        if (call.idempotencyKey() != null) {
            headers.put(Headers.IDEMPOTENCY_KEY, call.idempotencyKey());
        }
        if (call.deadline() != null) {
            headers.put(Headers.DEADLINE, call.deadline().headerValue());
        }
        String outcome = "error";
        Tracing tracing = server.tracing();
        // With tracing off, not even the span's name is built: this runs on every attempt.
        Span span = tracing.isOn()
                ? tracing.clientSpan(method + " " + name + " " + path + " (attempt " + attempt + ")", headers::put)
                : Span.getInvalid();
        int status = 0;
        try {
            HttpResult r = client.send(base, method, path, headers, body, timeout);
            outcome = Integer.toString(r.status());
            status = r.status();
            return r;
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
