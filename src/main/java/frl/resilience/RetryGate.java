package frl.resilience;

/**
 * What {@link frl.resilience.retry.Retry} asks before trying again: a deposit per call, a withdrawal per retry.
 *
 * <p>The one implementation that says no is {@link RetryBudget}; {@link #UNLIMITED} is the gate
 * of configurations without a budget. Kept apart from the budget so Retry depends on two methods,
 * not on a window of counters. Implementations must be thread-safe: one gate serves every call
 * to its downstream.
 */
public interface RetryGate {

    /** A call is about to make its first attempt. */
    void onRequest();

    /** May the call make another attempt? {@code true} has already counted the retry. */
    boolean tryAcquireRetry();

    /** No budget: every retry is allowed. */
    RetryGate UNLIMITED = new RetryGate() {
        @Override
        public void onRequest() {
        }

        @Override
        public boolean tryAcquireRetry() {
            return true;
        }
    };
}
