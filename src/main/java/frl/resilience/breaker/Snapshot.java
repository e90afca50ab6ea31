package frl.resilience.breaker;

/**
 * One breaker as {@code GET /status/breakers} shows it.
 *
 * <p>{@code failures} and {@code calls} are the rolling window's while CLOSED, the counts that
 * tripped it while OPEN, and the probes that have succeeded so far while HALF_OPEN.
 * {@code millisUntilHalfOpen} is zero unless OPEN, rounded up (so it is zero only once a probe may go).
 * An immutable copy: reading it takes no lock.
 */
public record Snapshot(String name, CircuitBreaker.State state, int failures, int calls,
                       double failureRatePercent, long millisUntilHalfOpen) {
}
