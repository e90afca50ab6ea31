package frl.resilience.breaker;

import java.time.Duration;

/**
 * OPEN: every call is refused at once, until {@code openDuration} has passed; then the next
 * permission request moves the breaker to HALF_OPEN (no timer thread: time is only looked at when
 * someone asks). Outcomes arriving now belong to calls let through before the trip; they are
 * ignored, since the decision they could inform has already been made.
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

    @Override
    public CircuitBreaker.State record(boolean failure, long nowNanos) {
        return CircuitBreaker.State.OPEN;
    }

    @Override
    public RollingWindow.Totals totals(long nowNanos) {
        return trippedWith;
    }

    @Override
    public Duration retryAfter(long nowNanos) {
        return Duration.ofNanos(Math.max(0, halfOpenAtNanos - nowNanos));
    }
}
