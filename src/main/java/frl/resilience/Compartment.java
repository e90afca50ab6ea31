package frl.resilience;

import java.time.Duration;
import java.util.concurrent.Callable;

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

    String name();

    /**
     * Runs {@code call} in a slot, or refuses it.
     *
     * @param budget the timeout the call will be given, or null for none; an adaptive limit measures
     *               the call's latency against it, a fixed bulkhead ignores it
     * @throws BulkheadFullException if refused; otherwise whatever {@code call} throws
     */
    <T> T execute(Duration budget, Callable<T> call) throws Exception;

    /** Calls refused since creation (or the last {@link #resetCounts()}). */
    long rejections();

    /** Zeroes the refusal count (for {@code POST /admin/reset}). */
    void resetCounts();
}
