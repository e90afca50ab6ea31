package frl.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * Retry budget: retries to one downstream may add only a small share to the requests sent to it.
 *
 * <p><b>The failure it prevents.</b> Payments loses half its capacity for 10 s. Calls queue, time
 * out, and every caller retries them: the load on payments grows exactly when it can serve least,
 * the queue grows faster, more calls time out, more retries follow. The retries keep the overload
 * going after the trigger is gone (in docs/findings.md configurations A, B and C never recovered).
 * {@link frl.resilience.retry.Retry}'s attempt limit bounds one request (3 attempts: up to 3x the load); it cannot see
 * the others. A budget bounds them all: retries may be at most a fraction of the recent requests
 * plus a small floor, so even when every call fails the load is about 1.1x, not 3x (the SRE
 * book's per-client 10% retry ratio; Finagle's {@code RetryBudget}).
 *
 * <p><b>The rule</b>, over the window W (the current second and the W - 1 before it):
 * <pre>
 *   allow a retry  iff  retries + 1 &lt;= ratio * requests + minRetriesPerSecond * W
 * </pre>
 * requests are calls made ({@link #onRequest()}, once per call, before its first attempt),
 * retries are retries allowed ({@link #tryAcquireRetry()}). Retries earn nothing: if they counted
 * as requests, a storm would fund itself. Of one retry:
 * <pre>
 *   ASK -&gt; ALLOWED   the rule holds: counted in the current second; the caller retries
 *   ASK -&gt; REFUSED   otherwise: counted as a refusal; the caller gives up with its last failure
 * </pre>
 * <b>What it guarantees</b> (RetryBudgetPropertiesTest checks it): over any T whole seconds,
 * retries &lt;= ratio * (requests in those seconds and the W - 1 before them)
 * + minRetriesPerSecond * W * ceil(T / W). At a steady R requests per second, all failing, that
 * is ratio + minRetriesPerSecond / R extra load: 1 + 0.1 + 1/67 = 1.115x at the lab's 67 orders
 * per second, where three attempts send 3x.
 *
 * <p><b>The window</b> is a ring of one-second buckets with running totals; a bucket leaving the
 * window is subtracted and zeroed before reuse (as in the breaker's {@code TimeBasedWindow}):
 * O(1) amortised per call, O(W) once after a long quiet spell, no allocation, 16 bytes a second.
 *
 * <p><b>Knobs</b> ({@link Config}):
 * <ul>
 * <li>{@link Config#DEFAULT_RATIO} 0.1. Higher lets a storm grow the load by that much (1.0 can
 *     double it); lower refuses retries of ordinary blips: with 20% of calls failing, a ratio of
 *     0.1 already retries only about half of them.
 * <li>{@link Config#DEFAULT_MIN_RETRIES_PER_SECOND} 1, the floor for quiet callers. At 0 a caller
 *     sending one request a second may retry once per ten requests; set high, it swamps the
 *     ratio at low traffic (10 per second at 67 requests per second is 15% more load).
 * <li>{@link Config#DEFAULT_WINDOW} 10 s. Too short and the ratio rounds to nothing at low rates
 *     (1 s x 5 requests x 0.1 = half a retry); too long and a storm spends the savings of a long
 *     calm in one burst (60 s x 67/s x 0.1 = 402 retries at once).
 * </ul>
 *
 * <p><b>With {@link frl.resilience.retry.Retry}</b>, one budget per downstream (one Retry per configuration and
 * downstream, as PatternRegistry builds them), consulted through {@link RetryGate}: {@code onRequest()}
 * before the first attempt; {@code tryAcquireRetry()} only after the attempts, Retry-After and
 * deadline checks all said RETRY, so every retry taken from the budget is made; a refusal ends the
 * call with its last outcome (a new {@code Next.GIVE_UP_BUDGET}), never with an exception of its own.
 *
 * <p>Thread-safe: every method holds the budget's monitor ({@code this}), which guards the ring,
 * the totals and the refusal count. A lock, not atomics, because one decision reads and writes
 * several fields; it is held for a few increments and never while blocking. Time is read before
 * taking the lock; a reading older than the newest second seen counts in the newest second.
 */
public final class RetryBudget implements RetryGate {

    public record Config(double ratio, double minRetriesPerSecond, Duration window) {
        public static final double DEFAULT_RATIO = 0.1;
        public static final double DEFAULT_MIN_RETRIES_PER_SECOND = 1;
        public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);

        public Config {
            Objects.requireNonNull(window, "window");
            if (!(ratio >= 0 && ratio <= 1)) {
                throw new IllegalArgumentException("retry budget ratio must be within [0, 1], was " + ratio);
            }
            if (!(minRetriesPerSecond >= 0 && minRetriesPerSecond <= 1_000_000)) {
                throw new IllegalArgumentException("retry budget minRetriesPerSecond must be within [0, 1000000], was " + minRetriesPerSecond);
            }
            if (window.getNano() != 0 || window.getSeconds() < 1 || window.getSeconds() > 3600) {
                throw new IllegalArgumentException("retry budget window must be whole seconds from 1 to 3600, was " + window);
            }
        }

        public static Config defaults() {
            return new Config(DEFAULT_RATIO, DEFAULT_MIN_RETRIES_PER_SECOND, DEFAULT_WINDOW);
        }

        /** The floor, as retries per window: minRetriesPerSecond * W. */
        public double reserve() {
            return minRetriesPerSecond * window.getSeconds();
        }

        /**
         * Retries a window with this many requests may hold: ratio * requests + reserve. The 1e-6
         * absorbs binary rounding: 0.29 * 100 is 28.999999999999996 as a double, and is meant as 29.
         */
        public double allowance(long requests) {
            return ratio * requests + reserve() + 1e-6;
        }

        /** The rule, a pure function of the window's totals. */
        public boolean allowsRetry(long requests, long retries) {
            return retries + 1 <= allowance(requests);
        }
    }

    /** The window's totals now, and the refusals since creation or the last {@link #resetCounts()}. */
    public record Snapshot(String name, long requests, long retries, long retriesLeft, long refusals) {}

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final String name;
    private final Config config;
    private final NanoClock clock;
    /** Guarded by "this": per-second counts, their totals over the window, the newest second seen. */
    private final long[] requests;
    private final long[] retries;
    private long totalRequests;
    private long totalRetries;
    private long refusals;
    private long newestSecond;
    private boolean started;

    public RetryBudget(String name, Config config, NanoClock clock) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        int seconds = (int) config.window().getSeconds();
        this.requests = new long[seconds];
        this.retries = new long[seconds];
    }

    @Override
    public void onRequest() {
        long now = clock.nanoTime();
        synchronized (this) {
            requests[moveTo(now)]++;
            totalRequests++;
        }
    }

    @Override
    public boolean tryAcquireRetry() {
        long now = clock.nanoTime();
        synchronized (this) {
            int bucket = moveTo(now);
            if (!config.allowsRetry(totalRequests, totalRetries)) {
                refusals++;
                return false;
            }
            retries[bucket]++;
            totalRetries++;
            return true;
        }
    }

    public synchronized Snapshot snapshot() {
        moveTo(clock.nanoTime());
        long left = (long) Math.floor(config.allowance(totalRequests)) - totalRetries;
        return new Snapshot(name, totalRequests, totalRetries, Math.max(0, left), refusals);
    }

    /** Zeroes the refusal count (for {@code POST /admin/reset}); the window is untouched. */
    public synchronized void resetCounts() {
        refusals = 0;
    }

    public String name() {
        return name;
    }

    public Config config() {
        return config;
    }

    /** Evicts the seconds that left the window on the way to {@code nowNanos}; returns its bucket. */
    private int moveTo(long nowNanos) {
        long second = Math.floorDiv(nowNanos, NANOS_PER_SECOND);
        if (!started) {
            started = true;
            newestSecond = second;
        } else if (second > newestSecond) {
            long steps = Math.min(second - newestSecond, requests.length); // past a full turn, all are stale
            for (long s = newestSecond + 1; s <= newestSecond + steps; s++) {
                int i = Math.floorMod(s, requests.length);
                totalRequests -= requests[i];
                totalRetries -= retries[i];
                requests[i] = 0;
                retries[i] = 0;
            }
            newestSecond = second;
        }
        return Math.floorMod(newestSecond, requests.length);
    }
}
