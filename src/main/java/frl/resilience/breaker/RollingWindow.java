package frl.resilience.breaker;

/**
 * The outcomes a circuit breaker judges by: calls and failures over a rolling window.
 *
 * <p>Two shapes, one contract: {@link CountBasedWindow} (the last N calls) and
 * {@link TimeBasedWindow} (the last N seconds). Both are pure data structures: no clock of their
 * own (the time is passed in), no locks (the breaker's lock guards them), O(1) per call.
 */
public interface RollingWindow {

    /** Calls and failures currently inside the window. */
    record Totals(int calls, int failures) {
        /** 0..100; 0 for an empty window. */
        public double failureRatePercent() {
            return calls == 0 ? 0.0 : 100.0 * failures / calls;
        }
    }

    /** Adds one finished call at {@code nowNanos} and returns the totals including it. */
    Totals record(boolean failure, long nowNanos);

    /** The totals at {@code nowNanos}, after dropping whatever has rolled out of the window. */
    Totals totals(long nowNanos);
}
