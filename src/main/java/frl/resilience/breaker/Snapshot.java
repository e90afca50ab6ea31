package frl.resilience.breaker;

/**
 * One breaker as {@code GET /status/breakers} shows it.
 *
 * <p>{@code failures} and {@code calls} are the rolling window's while CLOSED; while HALF_OPEN the
 * probes finished so far (all successes: the first failure re-opens it); while OPEN the counts
 * that tripped it, the window's or, after a failed probe, the probes' with that failure.
 * {@code millisUntilHalfOpen} is zero unless OPEN, rounded up (so it is zero only once a probe may go).
 * An immutable copy: reading it takes no lock.
 */
public record Snapshot(String name, CircuitBreaker.State state, int failures, int calls,
                       double failureRatePercent, long millisUntilHalfOpen) {
}
