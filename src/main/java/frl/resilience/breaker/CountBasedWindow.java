package frl.resilience.breaker;

/**
 * The last {@code size} calls, whenever they happened.
 *
 * <p>A ring buffer of outcomes plus two running totals. Recording overwrites the oldest slot, so
 * the outcome that falls out is subtracted from the totals as the new one is added
 * ("subtract-on-evict"): O(1) per call and O(1) to read, never a scan. Memory: one boolean per slot.
 *
 * <p>Trade-off against {@link TimeBasedWindow}: at low traffic the last 20 calls may span an hour,
 * so old failures linger; at high traffic 20 calls are a few milliseconds, so the window forgets fast.
 *
 * <p>Not thread-safe: the circuit breaker's lock guards every use.
 */
public final class CountBasedWindow implements RollingWindow {
    private final boolean[] failed; // failed[i]: the call in slot i failed
    private int next;               // slot the next call overwrites (the oldest, once full)
    private int calls;
    private int failures;

    public CountBasedWindow(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("window size must be at least 1, was " + size);
        }
        this.failed = new boolean[size];
    }

    @Override
    public Totals record(boolean failure, long nowNanos) {
        if (calls == failed.length) {
            if (failed[next]) {
                failures--; // evict the oldest outcome
            }
        } else {
            calls++;
        }
        failed[next] = failure;
        if (failure) {
            failures++;
        }
        next = (next + 1) % failed.length;
        return new Totals(calls, failures);
    }

    @Override
    public Totals totals(long nowNanos) {
        return new Totals(calls, failures);
    }
}
