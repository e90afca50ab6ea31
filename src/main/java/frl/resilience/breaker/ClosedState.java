package frl.resilience.breaker;

import java.time.Duration;

/**
 * CLOSED: every call goes through and its outcome goes into the rolling window; the breaker
 * trips to OPEN as soon as {@link CircuitBreakerConfig#trips} says so. Each entry into CLOSED
 * starts a fresh, empty window, and hears only of the calls it admitted: failures from before the
 * outage must not re-trip it.
 */
final class ClosedState implements BreakerState {
    private final CircuitBreakerConfig config;
    private final RollingWindow window;

    ClosedState(CircuitBreakerConfig config) {
        this.config = config;
        this.window = switch (config.windowType()) {
            case COUNT_BASED -> new CountBasedWindow(config.windowSize());
            case TIME_BASED -> new TimeBasedWindow(config.windowSize());
        };
    }

    @Override
    public CircuitBreaker.State state() {
        return CircuitBreaker.State.CLOSED;
    }

    @Override
    public boolean tryAcquire() {
        return true;
    }

    @Override
    public CircuitBreaker.State record(boolean failure, long nowNanos) {
        return config.trips(window.record(failure, nowNanos)) ? CircuitBreaker.State.OPEN : CircuitBreaker.State.CLOSED;
    }

    /**
     * Whether one more success would change nothing: a count window, full, of successes only
     * ({@link Tickets#skipsSuccess}). Never for a time window: its successes age out bucket by
     * bucket, so each one counts towards a later failure rate.
     */
    boolean isClean() {
        if (!(window instanceof CountBasedWindow)) {
            return false;
        }
        RollingWindow.Totals t = window.totals(0); // a count window never looks at the time
        return t.failures() == 0 && t.calls() == config.windowSize();
    }

    @Override
    public RollingWindow.Totals totals(long nowNanos) {
        return window.totals(nowNanos);
    }

    @Override
    public Duration retryAfter(long nowNanos) {
        return Duration.ZERO;
    }
}
