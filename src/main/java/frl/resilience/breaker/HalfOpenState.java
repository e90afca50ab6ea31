package frl.resilience.breaker;

import java.time.Duration;

/**
 * HALF_OPEN: at most {@code permitted} probe calls go through; everyone else is refused. The
 * first probe to fail re-opens the breaker at once (waiting for the rest would only send more
 * traffic to a service that just failed); when all {@code permitted} probes have succeeded, it
 * closes. A probe whose caller never made the call ({@link #release()}) gives its slot back, or
 * the breaker could wait forever for an outcome that will not come.
 *
 * <p>Every outcome and release that reaches this state is a probe's: the breaker passes on only
 * those whose ticket this state issued ({@link Tickets}), so a call let through before the trip
 * can neither take a probe's slot nor have its release mistaken for one. The counts are exact.
 *
 * <p>Not thread-safe: the breaker's lock guards the counts.
 */
final class HalfOpenState implements BreakerState {
    /** Retry-After for callers refused while probes are out: the shortest HTTP can say. */
    static final Duration PROBING_RETRY_AFTER = Duration.ofSeconds(1);

    private final int permitted;
    private int issued;    // probes out or finished, less those released
    private int succeeded;
    private int failed;    // 0, or 1 as this state hands over to OPEN

    HalfOpenState(int permitted) {
        this.permitted = permitted;
    }

    @Override
    public CircuitBreaker.State state() {
        return CircuitBreaker.State.HALF_OPEN;
    }

    @Override
    public boolean tryAcquire() {
        if (issued >= permitted) {
            return false;
        }
        issued++;
        return true;
    }

    @Override
    public CircuitBreaker.State record(boolean failure, long nowNanos) {
        if (failure) {
            failed++;
            return CircuitBreaker.State.OPEN;
        }
        succeeded++;
        return succeeded == permitted ? CircuitBreaker.State.CLOSED : CircuitBreaker.State.HALF_OPEN;
    }

    @Override
    public void release() {
        issued--;
    }

    /** The probes finished so far; OPEN keeps them, the failure that re-opened it included. */
    @Override
    public RollingWindow.Totals totals(long nowNanos) {
        return new RollingWindow.Totals(succeeded + failed, failed);
    }

    @Override
    public Duration retryAfter(long nowNanos) {
        return PROBING_RETRY_AFTER;
    }
}
