package frl.http;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts since the last {@code POST /admin/reset}: what the experiment divides by client requests
 * to get amplification per hop, and its other per-run pattern telemetry. Served as
 * {@code GET /admin/counters} in the shape docs/architecture.md gives.
 *
 * <p>Thread-safe: LongAdders (cheap under contention, which every request causes) in concurrent
 * maps. {@link #reset()} is not atomic with concurrent increments; the experiment resets only
 * between runs, when no traffic flows.
 */
public final class RunCounters {
    private final String service;
    private final LongAdder received = new LongAdder();
    private final LongAdder completedAfterDeadline = new LongAdder();
    private final LongAdder breakerTransitions = new LongAdder();
    private final LongAdder bulkheadRejections = new LongAdder();
    private final LongAdder shed = new LongAdder();
    private final LongAdder retryBudgetRefusals = new LongAdder();
    private final Map<String, LongAdder> outgoingAttempts = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> outgoingRetries = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> extra = new ConcurrentSkipListMap<>();
    private final Map<String, Gauge> gauges = new ConcurrentSkipListMap<>();

    /** A value read at each snapshot; one that cannot be read (its database is away) is written as null. */
    @FunctionalInterface
    public interface Gauge {
        long read() throws Exception;
    }

    public RunCounters(String service) {
        this.service = service;
    }

    public void received() { received.increment(); }

    public void completedAfterDeadline() { completedAfterDeadline.increment(); }

    public void breakerTransition() { breakerTransitions.increment(); }

    public void bulkheadRejection() { bulkheadRejections.increment(); }

    public void shed() { shed.increment(); }

    public void retryBudgetRefusal() { retryBudgetRefusals.increment(); }

    public void outgoingAttempt(String downstream) {
        outgoingAttempts.computeIfAbsent(downstream, k -> new LongAdder()).increment();
    }

    public void outgoingRetry(String downstream) {
        outgoingRetries.computeIfAbsent(downstream, k -> new LongAdder()).increment();
    }

    /** A service-specific count, e.g. "charges" or "notifications_lost". */
    public void increment(String name) {
        extra.computeIfAbsent(name, k -> new LongAdder()).increment();
    }

    /** A value read at each snapshot rather than counted, e.g. payments' queue length. Not reset. */
    public void gauge(String name, Gauge value) {
        gauges.put(name, value);
    }

    public void reset() {
        for (LongAdder a : new LongAdder[]{received, completedAfterDeadline, breakerTransitions, bulkheadRejections, shed,
                retryBudgetRefusals}) {
            a.reset();
        }
        outgoingAttempts.values().forEach(LongAdder::reset);
        outgoingRetries.values().forEach(LongAdder::reset);
        extra.values().forEach(LongAdder::reset);
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("service", service);
        o.put("received", received.sum());
        o.put("completed_after_deadline", completedAfterDeadline.sum());
        ObjectNode out = o.putObject("outgoing");
        for (String d : new java.util.TreeSet<>(outgoingAttempts.keySet())) {
            ObjectNode n = out.putObject(d);
            n.put("attempts", outgoingAttempts.get(d).sum());
            LongAdder r = outgoingRetries.get(d);
            n.put("retries", r == null ? 0 : r.sum());
        }
        o.put("breaker_transitions", breakerTransitions.sum());
        o.put("bulkhead_rejections", bulkheadRejections.sum());
        o.put("shed", shed.sum());
        o.put("retry_budget_refusals", retryBudgetRefusals.sum());
        extra.forEach((k, v) -> o.put(k, v.sum()));
        gauges.forEach((k, v) -> {
            try {
                o.put(k, v.read());
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                o.putNull(k); // unknown, said as such: never a 0 that a drain would take for "done"
            }
        });
        return o;
    }
}
