package frl.resilience.breaker;

import java.time.Duration;

/**
 * OPEN: every call is refused at once, until {@code openDuration} has passed; then the next
 * permission request moves the breaker to HALF_OPEN (no timer thread: time is only looked at when
 * someone asks). Outcomes of calls let through before the trip never reach it ({@link Tickets}):
 * the decision they could inform has already been made. It shows the counts that tripped it: the
 * window's, or the probes' (the failed one included) when a probe re-opened it.
 *
 * <p>Immutable.
 */
final class OpenState implements BreakerState {
    private final long halfOpenAtNanos;
    private final RollingWindow.Totals trippedWith;

    OpenState(long halfOpenAtNanos, RollingWindow.Totals trippedWith) {
        this.halfOpenAtNanos = halfOpenAtNanos;
        this.trippedWith = trippedWith;
    }

    /** Whether the open duration is over (compared as a difference: nanoTime may wrap). */
    boolean isOver(long nowNanos) {
        return nowNanos - halfOpenAtNanos >= 0;
    }

    @Override
    public CircuitBreaker.State state() {
        return CircuitBreaker.State.OPEN;
    }

    @Override
    public boolean tryAcquire() {
        return false;
    }

    /** Never called: OPEN admits no call, so no outcome carries its ticket. */
    @Override
    public CircuitBreaker.State record(boolean failure, long nowNanos) {
        return CircuitBreaker.State.OPEN;
    }

    @Override
    public RollingWindow.Totals totals(long nowNanos) {
        return trippedWith;
    }

    /** For the snapshot: rounded up, so it is zero only once a probe may go. */
    long millisUntilHalfOpen(long nowNanos) {
        return (Math.max(0, halfOpenAtNanos - nowNanos) + 999_999) / 1_000_000;
    }

    @Override
    public Duration retryAfter(long nowNanos) {
        return Duration.ofNanos(Math.max(0, halfOpenAtNanos - nowNanos));
    }
}
