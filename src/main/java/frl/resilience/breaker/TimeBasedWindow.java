package frl.resilience.breaker;

/**
 * The calls of the last {@code seconds} seconds, on the injected monotonic clock.
 *
 * <p>One bucket per second, in a ring: bucket {@code s mod seconds} holds the counts of second
 * {@code s} (a second is {@code floor(nanos / 1e9)}). The window is the current second and the
 * {@code seconds - 1} before it. Running totals are kept beside the buckets; when time moves on,
 * each bucket that the window has left is subtracted from the totals and zeroed before it is
 * reused. Each second's bucket is cleared once, so the cost is O(1) amortised per call, and at
 * worst O(seconds) for the first call after a long quiet spell. Memory: two ints per second.
 *
 * <p>Trade-off against {@link CountBasedWindow}: it forgets by age, so a failure burst an hour ago
 * never trips it now; but at low traffic the window may hold too few calls to judge (which is what
 * the breaker's {@code minimumCalls} is for).
 *
 * <p>Not thread-safe: the circuit breaker's lock guards every use. A time slightly older than one
 * already seen (read by another thread just before it) is counted in the newest bucket.
 */
public final class TimeBasedWindow implements RollingWindow {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final int[] calls;
    private final int[] failures;
    private int totalCalls;
    private int totalFailures;
    private long newestSecond;
    private boolean started;

    public TimeBasedWindow(int seconds) {
        if (seconds < 1) {
            throw new IllegalArgumentException("window length must be at least 1 second, was " + seconds);
        }
        this.calls = new int[seconds];
        this.failures = new int[seconds];
    }

    @Override
    public Totals record(boolean failure, long nowNanos) {
        int i = moveTo(Math.floorDiv(nowNanos, NANOS_PER_SECOND));
        calls[i]++;
        totalCalls++;
        if (failure) {
            failures[i]++;
            totalFailures++;
        }
        return new Totals(totalCalls, totalFailures);
    }

    @Override
    public Totals totals(long nowNanos) {
        moveTo(Math.floorDiv(nowNanos, NANOS_PER_SECOND));
        return new Totals(totalCalls, totalFailures);
    }

    /** Evicts the seconds that left the window on the way to {@code second}; returns its bucket. */
    private int moveTo(long second) {
        if (!started) {
            started = true;
            newestSecond = second;
        } else if (second > newestSecond) {
            long steps = Math.min(second - newestSecond, calls.length); // past a full turn, all are stale
            for (long s = newestSecond + 1; s <= newestSecond + steps; s++) {
                int i = Math.floorMod(s, calls.length);
                totalCalls -= calls[i];
                totalFailures -= failures[i];
                calls[i] = 0;
                failures[i] = 0;
            }
            newestSecond = second;
        }
        return Math.floorMod(newestSecond, calls.length);
    }
}
