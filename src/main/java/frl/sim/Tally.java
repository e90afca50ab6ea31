package frl.sim;

import frl.resilience.RetryBudget;
import frl.resilience.breaker.CircuitBreaker;

import java.util.ArrayList;
import java.util.List;

/**
 * One simulated service's counters: the same fields as the real services' {@code GET
 * /admin/counters} (docs/architecture.md), counted at the same moments, so the harness's
 * amplification and telemetry code divides the same numbers.
 *
 * <ul>
 *   <li>{@code received}: attempts received on the business route (every retry and re-send);
 *   <li>{@code completedAfterDeadline}: attempts finished after the caller's deadline had passed;
 *   <li>per downstream, {@code attempts} sent and how many were {@code retries} (second and later
 *       sends of one call; an attempt refused by a breaker or bulkhead is not sent);
 *   <li>{@code breakerTransitions}, {@code bulkheadRejections} (calls refused by a full
 *       bulkhead), {@code shed} (requests the gateway's shedder refused);
 *   <li>{@code retryBudgetRefusals}: retries the caller's retry budgets refused (G), read from the
 *       budgets themselves, as the real services' counters are.
 * </ul>
 * Not thread-safe: one run, one thread.
 */
public final class Tally {
    final String service;
    long received;
    long completedAfterDeadline;
    long breakerTransitions;
    long bulkheadRejections;
    long shed;
    private final List<String> downstreams = new ArrayList<>();
    private final List<RetryBudget> budgets = new ArrayList<>();
    private long[] attempts = new long[4];
    private long[] retries = new long[4];
    private long[] bulkheadFull = new long[4];
    private long[] opensFromClosed = new long[4];
    private long[] opensFromHalfOpen = new long[4];

    Tally(String service) {
        this.service = service;
    }

    /** A retry budget of this caller's, whose refusals {@link #retryBudgetRefusals()} reports. */
    void budget(RetryBudget budget) {
        budgets.add(budget);
    }

    public long retryBudgetRefusals() {
        return budgets.stream().mapToLong(b -> b.snapshot().refusals()).sum();
    }

    /** Index of a downstream's counters; called once per downstream when the caller is built. */
    int downstream(String name) {
        int i = downstreams.indexOf(name);
        if (i >= 0) {
            return i;
        }
        downstreams.add(name);
        if (downstreams.size() > attempts.length) {
            attempts = java.util.Arrays.copyOf(attempts, attempts.length * 2);
            retries = java.util.Arrays.copyOf(retries, retries.length * 2);
            bulkheadFull = java.util.Arrays.copyOf(bulkheadFull, bulkheadFull.length * 2);
            opensFromClosed = java.util.Arrays.copyOf(opensFromClosed, opensFromClosed.length * 2);
            opensFromHalfOpen = java.util.Arrays.copyOf(opensFromHalfOpen, opensFromHalfOpen.length * 2);
        }
        return downstreams.size() - 1;
    }

    /** A call to this downstream refused by its full bulkhead. */
    void bulkheadFull(int downstream) {
        bulkheadRejections++;
        bulkheadFull[downstream]++;
    }

    /** A transition of the breaker on the hop to this downstream. */
    void breakerTransition(int downstream, CircuitBreaker.State from, CircuitBreaker.State to) {
        breakerTransitions++;
        if (to == CircuitBreaker.State.OPEN) {
            (from == CircuitBreaker.State.HALF_OPEN ? opensFromHalfOpen : opensFromClosed)[downstream]++;
        }
    }

    void sent(int downstream, boolean retry) {
        attempts[downstream]++;
        if (retry) {
            retries[downstream]++;
        }
    }

    public String service() {
        return service;
    }

    /** Downstreams in the order they were first called (deterministic). */
    public List<String> downstreams() {
        return List.copyOf(downstreams);
    }

    public long attempts(String downstream) {
        int i = downstreams.indexOf(downstream);
        return i < 0 ? 0 : attempts[i];
    }

    public long retries(String downstream) {
        int i = downstreams.indexOf(downstream);
        return i < 0 ? 0 : retries[i];
    }

    public long received() {
        return received;
    }

    public long completedAfterDeadline() {
        return completedAfterDeadline;
    }

    public long breakerTransitions() {
        return breakerTransitions;
    }

    public long bulkheadRejections() {
        return bulkheadRejections;
    }

    public long shed() {
        return shed;
    }

    /**
     * What {@code GET /metrics} of this service would say now, restricted to the two refusal
     * families the services' metrics contract declares ({@code frl.http.ServiceMetrics}), so the
     * harness's {@code metrics.Rejections} splits the simulated refusals by hop as it splits the
     * real ones. Only transitions to OPEN are counted per hop, so only those lines are written.
     */
    public String metricsText(String config) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < downstreams.size(); i++) {
            String d = downstreams.get(i);
            out.append("lab_bulkhead_rejections_total{downstream=\"").append(d).append("\",config=\"").append(config)
                    .append("\"} ").append(bulkheadFull[i]).append('\n');
            for (CircuitBreaker.State from : List.of(CircuitBreaker.State.CLOSED, CircuitBreaker.State.HALF_OPEN)) {
                out.append("lab_breaker_transitions_total{breaker=\"").append(service).append("->").append(d)
                        .append("\",config=\"").append(config).append("\",from=\"").append(from).append("\",to=\"OPEN\"} ")
                        .append((from == CircuitBreaker.State.CLOSED ? opensFromClosed : opensFromHalfOpen)[i]).append('\n');
            }
        }
        return out.toString();
    }
}
