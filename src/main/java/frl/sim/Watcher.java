package frl.sim;

import frl.resilience.retry.Verdict;
import frl.resilience.breaker.CircuitBreaker;

/**
 * What a test may watch inside a run, without the run knowing: every attempt that reached a
 * downstream (what the caller's breaker was told) and every breaker transition. The default
 * does nothing; the results never depend on it.
 */
public interface Watcher {
    Watcher NONE = new Watcher() {
    };

    /**
     * An attempt from {@code caller} to {@code downstream} ended at virtual time {@code nanos}
     * with {@code verdict}; {@code error} is the timeout when it timed out, else null. Called just
     * before the caller's breaker is told, so a transition this outcome causes comes right after.
     */
    default void attempted(String caller, String downstream, long nanos, Verdict verdict, Throwable error, long tookNanos) {
    }

    default void transition(String breaker, long nanos, CircuitBreaker.State from, CircuitBreaker.State to) {
    }
}
