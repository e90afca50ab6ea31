package frl.resilience.breaker;

import java.time.Duration;

/**
 * What a circuit breaker does in one state. One small class per state; the breaker holds the
 * current one and swaps it on a transition. States never change the breaker themselves: they
 * answer, and {@link CircuitBreaker} checks the answer against its table of legal transitions.
 *
 * <p>Not thread-safe: every call is made under the breaker's lock.
 */
sealed interface BreakerState permits ClosedState, OpenState, HalfOpenState {

    /**
     * The state the breaker enters when it moves from {@code from} to {@code to} at
     * {@code nowNanos}: always a fresh one (a new window, new probe counts); OPEN keeps the counts
     * that tripped it and ends {@code openDuration} from now.
     */
    static BreakerState after(BreakerState from, CircuitBreaker.State to, CircuitBreakerConfig config, long nowNanos) {
        return switch (to) {
            case CLOSED -> new ClosedState(config);
            case OPEN -> new OpenState(nowNanos + config.openDuration().toNanos(), from.totals(nowNanos));
            case HALF_OPEN -> new HalfOpenState(config.permittedHalfOpenCalls());
        };
    }

    CircuitBreaker.State state();

    /** May a call go ahead now? (In HALF_OPEN a yes uses up one probe.) */
    boolean tryAcquire();

    /**
     * A call this state admitted finished (the breaker passes on no other: {@link Tickets});
     * returns the state the breaker must be in next (its own to stay).
     */
    CircuitBreaker.State record(boolean failure, long nowNanos);

    /** A call this state admitted was never made. */
    default void release() {
    }

    /** The counts {@link Snapshot} shows for this state. */
    RollingWindow.Totals totals(long nowNanos);

    /** When a refused caller should come back. */
    Duration retryAfter(long nowNanos);
}
