package frl.resilience.breaker;

import java.time.Duration;

/**
 * HALF_OPEN: at most {@code permitted} probe calls go through; everyone else is refused. The
 * first probe to fail re-opens the breaker at once (waiting for the rest would only send more
 * traffic to a service that just failed); when all {@code permitted} probes have succeeded, it
 * closes. A probe whose caller never made the call ({@link #release()}) gives its slot back, or
 * the breaker could wait forever for an outcome that will not come.
 *
 * <p>Outcomes beyond the probes issued are stragglers let through before the trip, and are
 * ignored. A straggler that finishes while a probe is outstanding cannot be told apart from the
 * probe (the API carries no ticket); like Resilience4j, we accept that small blur.
 *
 * <p>Not thread-safe: the breaker's lock guards the counts.
 */
final class HalfOpenState implements BreakerState {
    /** Retry-After for callers refused while probes are out: the shortest HTTP can say. */
    static final Duration PROBING_RETRY_AFTER = Duration.ofSeconds(1);

    private final int permitted;
    private int issued;
    private int succeeded;

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
        if (succeeded >= issued) {
            return CircuitBreaker.State.HALF_OPEN; // a straggler, not a probe
        }
        if (failure) {
            return CircuitBreaker.State.OPEN;
        }
        succeeded++;
        return succeeded == permitted ? CircuitBreaker.State.CLOSED : CircuitBreaker.State.HALF_OPEN;
    }

    @Override
    public void release() {
        if (issued > succeeded) {
            issued--;
        }
    }

    @Override
    public RollingWindow.Totals totals(long nowNanos) {
        return new RollingWindow.Totals(succeeded, 0);
    }

    @Override
    public Duration retryAfter(long nowNanos) {
        return PROBING_RETRY_AFTER;
    }
}
