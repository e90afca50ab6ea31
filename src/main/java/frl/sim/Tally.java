package frl.sim;

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
 *       bulkhead), {@code shed} (requests the gateway's shedder refused).
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
    private long[] attempts = new long[4];
    private long[] retries = new long[4];

    Tally(String service) {
        this.service = service;
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
        }
        return downstreams.size() - 1;
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
}
