package frl.resilience;

import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

/**
 * The bulkhead's slot in the composition ({@code Retry(CircuitBreaker(here(Timeout(call))))}, see
 * {@link frl.resilience.compose.Resilience}): a cap on the calls in flight to one downstream, which
 * refuses a call beyond it with {@link BulkheadFullException} (503, never retried, never held
 * against the downstream by the breaker).
 *
 * <p>Two implementations: {@link Bulkhead}, a fixed number of slots (configurations E, F), and
 * {@link AdaptiveBulkhead}, a number learned from how much of their time budget the calls use
 * (G). The composition needs only this much of them, so it does not care which one it holds.
 * Implementations must be thread-safe: one compartment serves every call to its downstream.
 */
public interface Compartment {

    /** How a call that held a slot ended: what an adaptive limit learns from it. */
    enum Outcome {
        /** A result or an error came back: the latency is a sample. */
        ANSWERED,
        /** The call used its whole budget: the strongest sign of overload. */
        TIMED_OUT,
        /** The call was never made (interrupt, spent deadline): no sample. */
        NOT_SENT;

        /**
         * How a call that threw {@code error} ended: a timeout is TIMED_OUT; an interrupt or a spent
         * deadline is NOT_SENT; anything else (a refused connection, a reset, a 503 that came back
         * quickly) is an answer.
         */
        public static Outcome of(Throwable error) {
            if (error instanceof HttpTimeoutException || error instanceof TimeoutException) {
                return TIMED_OUT;
            }
            return error instanceof InterruptedException || error instanceof DeadlineExceededException ? NOT_SENT : ANSWERED;
        }
    }

    /** One held slot; given back exactly once, with how the call ended. */
    interface Slot {
        void leave(Outcome outcome);
    }

    String name();

    /**
     * Takes a slot for one call that will be given {@code budget}, or refuses it. The event-style
     * entry: {@link frl.resilience.compose.Resilience} takes the slot in one step and gives it back
     * in another, so a caller that cannot block (the simulator) runs the same code.
     *
     * @param budget the timeout the call will be given, or null for none; an adaptive limit measures
     *               the call's latency against it, a fixed bulkhead ignores it
     * @throws BulkheadFullException if refused
     * @throws InterruptedException  if interrupted while waiting for a slot
     */
    Slot enter(Duration budget) throws InterruptedException;

    /**
     * Runs {@code call} in a slot, or refuses it: {@link #enter}, the call, then the slot back
     * with its outcome. A timeout is TIMED_OUT; an interrupt or a spent deadline NOT_SENT; anything
     * else, a result or another exception (a 503 that came back quickly), ANSWERED.
     *
     * @throws BulkheadFullException if refused; otherwise whatever {@code call} throws
     */
    default <T> T execute(Duration budget, Callable<T> call) throws Exception {
        Slot slot = enter(budget);
        Outcome outcome = Outcome.ANSWERED;
        try {
            return call.call();
        } catch (Exception e) {
            outcome = Outcome.of(e);
            throw e;
        } finally {
            slot.leave(outcome);
        }
    }

    /** Calls refused since creation (or the last {@link #resetCounts()}). */
    long rejections();

    /** Zeroes the refusal count (for {@code POST /admin/reset}). */
    void resetCounts();
}
