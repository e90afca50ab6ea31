package frl.resilience;

/**
 * Adaptive concurrency limit: how many calls to one downstream may be in flight, learned from
 * how much of their time budget the calls use.
 *
 * <p><b>The failure it prevents.</b> A fixed {@link Bulkhead} is sized for one latency. E's 20
 * slots fit payments at 0.1 s; when payments answered in 3 s, 67 orders a second needed 200 calls
 * in flight (Little's law), the bulkhead refused nine in ten, and a slow-but-working dependency
 * became an outage (0.5% success where configurations without it served 100%, docs/findings.md).
 * Sized for the slow case instead, the same bulkhead lets an overloaded payments queue 200 calls
 * until every one of them misses its deadline. The right size depends on why the calls are slow;
 * this limit learns it from the calls themselves, as in Netflix's concurrency-limits.
 *
 * <p><b>The rule</b>, one sample at a time: a call that ended after {@code rtt} of its
 * {@code budget} (its timeout), started with {@code n} calls in flight (itself included):
 * <pre>
 *   u        = min(1, rtt / budget)                the share of its budget the call used
 *   used'    = used + smoothing * (u - used)       averaged over the last ~1/smoothing calls
 *   pressure = 1 if the call timed out, else used' a timeout acts at once, not through the average
 *   limit'   = min(limit, n * target / pressure)   if pressure &gt; target
 *            = limit + 1                           otherwise
 *   then clamped to [minLimit, maxLimit]
 * </pre>
 * Shrinking aims at the concurrency that would have met the target if latency grows with the
 * calls in flight (a queue): half as many calls, half the wait. It starts from {@code n}, what
 * the sample actually saw, not from the limit, which may have been far above it (TCP sets its
 * threshold from the data in flight for the same reason, RFC 5681), and it takes the minimum,
 * so a burst of slow samples from one round trip cuts about once, not once per sample. A timeout
 * (its real latency unknown, at least the budget) counts as using all of it: n * target.
 *
 * <p><b>Slow, or overloaded?</b> The yardstick is the caller's deadline, not a learned baseline.
 * A baseline (Netflix's gradient: long-term versus recent latency) reads a step from 0.1 s to
 * 3 s as a 30x queue and shrinks, then needs hundreds of samples to learn the new normal. Here:
 * <ul>
 * <li>payments 3 s slow, 10 s client deadline: u = 3.1 / 9.9 = 0.31 &lt; 0.5, every sample adds
 *     one, and the 200 calls in flight fit under the ceiling of 400: nothing is refused.
 * <li>payments overloaded (capacity cut from 78/s to 39/s while 67/s arrive, 3 s deadline): its
 *     queue and every call's latency grow; once the average passes half the ~2.9 s budget the
 *     limit falls to n * 0.5 / used, and settles where calls take ~1.45 s: 39/s x 1.45 s = 57
 *     in flight. The excess is refused at once (503) instead of queueing until it times out.
 *     (AdaptiveBulkheadScenarioTest plays these cases against a modelled payments.)
 * <li>What it cannot tell apart: a dependency slow by itself beyond the target (payments 2 s slow
 *     under a 3 s deadline: u = 0.68) looks overloaded; the limit shrinks each round trip and
 *     refuses calls that would have succeeded. Only {@code target} moves that line.
 * </ul>
 * Errors are not pressure: a fast 503 uses little of its budget (a 20% error rate leaves the limit
 * alone); failing downstreams are the breaker's business.
 *
 * <p><b>No "application-limited" check.</b> Netflix's AIMD grows only while the calls in flight
 * press on the limit, which keeps it near the usual load (here 67/s x 0.1 s = 7 calls). But when
 * payments turns slow, no call returns for 3 s: the limit cannot learn anything, and it must
 * already hold the 200 calls of those 3 s, or refuse most of them. So a healthy downstream's
 * limit rises to {@code maxLimit} and stays: a ceiling until latency says otherwise, and then
 * cut at once to what was in flight, so the unused headroom costs one round trip.
 *
 * <p><b>Knobs</b> ({@link Config}), what goes wrong when set badly:
 * <ul>
 * <li>{@link Config#DEFAULT_MIN_LIMIT} 4. At 1, one stuck call stops the samples the limit
 *     needs to grow back; high, an overloaded downstream still gets that many calls.
 * <li>{@link Config#DEFAULT_INITIAL_LIMIT} 20, E's bulkhead: the limit before any sample.
 * <li>{@link Config#DEFAULT_MAX_LIMIT} 400, twice the 200 of a 3 s payments. Lower, a slow
 *     dependency is refused like E's 20; higher, the first round trip of an overload queues more.
 * <li>{@link Config#DEFAULT_TARGET} 0.5 of the budget. Higher allows queues near the deadline,
 *     and the variance past it times out; lower refuses slow-but-working (payment_slow needs &gt; 0.31).
 * <li>{@link Config#DEFAULT_SMOOTHING} 0.1. Higher, a few slow calls (hot-row locks made a quarter
 *     of inventory's calls wait up to 2 s) cut the limit for all; lower, overload is seen later.
 * </ul>
 *
 * <p>Pure functions of numbers on immutable records: thread-safe. Permits, the clock and the
 * one place the estimate changes are {@link AdaptiveBulkhead}'s.
 */
public final class AdaptiveLimit {

    public record Config(int minLimit, int initialLimit, int maxLimit, double target, double smoothing) {
        public static final int DEFAULT_MIN_LIMIT = 4;
        public static final int DEFAULT_INITIAL_LIMIT = 20;
        public static final int DEFAULT_MAX_LIMIT = 400;
        public static final double DEFAULT_TARGET = 0.5;
        public static final double DEFAULT_SMOOTHING = 0.1;

        public Config {
            if (minLimit < 1) {
                throw new IllegalArgumentException("adaptive limit minLimit must be at least 1, was " + minLimit);
            }
            if (maxLimit < minLimit) {
                throw new IllegalArgumentException("adaptive limit maxLimit must be at least minLimit " + minLimit + ", was " + maxLimit);
            }
            if (initialLimit < minLimit || initialLimit > maxLimit) {
                throw new IllegalArgumentException("adaptive limit initialLimit must be within [" + minLimit + ", " + maxLimit + "], was " + initialLimit);
            }
            if (!(target > 0 && target < 1)) {
                throw new IllegalArgumentException("adaptive limit target must be a share of the budget within (0, 1), was " + target);
            }
            if (!(smoothing > 0 && smoothing <= 1)) {
                throw new IllegalArgumentException("adaptive limit smoothing must be within (0, 1], was " + smoothing);
            }
        }

        public static Config defaults() {
            return new Config(DEFAULT_MIN_LIMIT, DEFAULT_INITIAL_LIMIT, DEFAULT_MAX_LIMIT, DEFAULT_TARGET, DEFAULT_SMOOTHING);
        }
    }

    /** One ended call: how long it took, the timeout it had, calls in flight when it started (itself included). */
    public record Sample(long rttNanos, long budgetNanos, int inFlight, boolean timedOut) {
        public Sample {
            if (rttNanos < 0 || budgetNanos <= 0 || inFlight < 1) {
                throw new IllegalArgumentException("sample needs rtt >= 0, budget > 0, inFlight >= 1; was "
                        + rttNanos + " ns, " + budgetNanos + " ns, " + inFlight);
            }
        }
    }

    /** The limit (fractional: it grows and shrinks by fractions) and the smoothed share of budget used. */
    public record Estimate(double limit, double used) {
        /** Calls that may be in flight: the limit rounded down. */
        public int permits() {
            return (int) limit;
        }
    }

    private AdaptiveLimit() {
    }

    public static Estimate initial(Config c) {
        return new Estimate(c.initialLimit(), 0);
    }

    /** The rule in the header: the estimate after one more sample. */
    public static Estimate next(Estimate current, Sample s, Config c) {
        double u = Math.min(1.0, (double) s.rttNanos() / s.budgetNanos());
        double used = current.used() + c.smoothing() * (u - current.used());
        double pressure = s.timedOut() ? 1.0 : used;
        double limit = pressure > c.target()
                ? Math.min(current.limit(), s.inFlight() * c.target() / pressure)
                : current.limit() + 1;
        return new Estimate(Math.clamp(limit, c.minLimit(), c.maxLimit()), used);
    }
}
