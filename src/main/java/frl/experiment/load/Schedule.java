package frl.experiment.load;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

/**
 * When each request of an open-model run is meant to be sent: Poisson arrivals at a fixed rate,
 * computed from a seed before the first request goes out.
 *
 * <p>Why precompute. The driver must never let the system under test decide when the next request
 * leaves (that is a closed loop, and closed loops hide collapse: Schroeder et al., NSDI 2006). A
 * fixed list of intended send times is also what latency is measured from, so a stall anywhere
 * (server, network, or the driver itself) shows up as latency instead of silently postponing later
 * requests (coordinated omission: Tene; wrk2).
 *
 * <p>Gaps between arrivals are exponential with mean {@code 1/rate}, drawn by inversion,
 * {@code gap = -ln(1 - u) / rate}, from a {@link Random} seeded with the recorded seed. We use
 * {@code java.util.Random} because its algorithm is fixed by its specification, so the same
 * (rate, duration, seed) gives the same schedule on every JDK and machine.
 *
 * <p>Cost: one {@code long} per arrival (a 15-minute run at 200/s is 1.4 MB).
 *
 * <p>Immutable and thread-safe.
 */
public final class Schedule {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long[] offsetsNanos; // ascending, each in [0, durationNanos)
    private final double ratePerSecond;
    private final long durationNanos;
    private final long seed;

    private Schedule(long[] offsetsNanos, double ratePerSecond, long durationNanos, long seed) {
        this.offsetsNanos = offsetsNanos;
        this.ratePerSecond = ratePerSecond;
        this.durationNanos = durationNanos;
        this.seed = seed;
    }

    /** Poisson arrivals at {@code ratePerSecond} over {@code duration}, reproducible from {@code seed}. */
    public static Schedule poisson(double ratePerSecond, Duration duration, long seed) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate must be a positive number of requests per second, was " + ratePerSecond);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive, was " + duration);
        }
        long durationNanos = duration.toNanos();
        Random random = new Random(seed);
        long[] offsets = new long[(int) Math.min(Integer.MAX_VALUE - 8, ratePerSecond * duration.toSeconds() * 1.2 + 16)];
        int n = 0;
        double t = 0;
        while (true) {
            t += -Math.log(1.0 - random.nextDouble()) / ratePerSecond * NANOS_PER_SECOND;
            if (t >= durationNanos) {
                break;
            }
            if (n == offsets.length) {
                offsets = Arrays.copyOf(offsets, offsets.length * 2);
            }
            offsets[n++] = (long) t;
        }
        return new Schedule(Arrays.copyOf(offsets, n), ratePerSecond, durationNanos, seed);
    }

    /** A schedule with given intended times (ascending, within the duration): for tests and fixtures. */
    static Schedule fixed(long[] offsetsNanos, Duration duration) {
        long d = duration.toNanos();
        for (int i = 0; i < offsetsNanos.length; i++) {
            if (offsetsNanos[i] < 0 || offsetsNanos[i] >= d || (i > 0 && offsetsNanos[i] < offsetsNanos[i - 1])) {
                throw new IllegalArgumentException("offsets must ascend within [0, " + d + "), offset " + i + " was " + offsetsNanos[i]);
            }
        }
        return new Schedule(offsetsNanos.clone(), offsetsNanos.length / (d / 1e9), d, 0);
    }

    /** Number of scheduled arrivals. */
    public int size() {
        return offsetsNanos.length;
    }

    /** Intended send time of arrival {@code i}, in nanoseconds after the run's start. */
    public long offsetNanos(int i) {
        return offsetsNanos[i];
    }

    public double ratePerSecond() {
        return ratePerSecond;
    }

    public long durationNanos() {
        return durationNanos;
    }

    /** Whole seconds the schedule spans (its last one-second bin may be partial). */
    public int seconds() {
        return (int) ((durationNanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
    }

    public long seed() {
        return seed;
    }

    /** Arrivals with intended time in {@code [fromNanos, toNanos)}: two binary searches. */
    public int countBetween(long fromNanos, long toNanos) {
        return Math.max(0, lowerBound(toNanos) - lowerBound(fromNanos));
    }

    /** Arrivals per one-second bin, bin {@code k} covering {@code [k, k+1)} seconds. */
    public int[] perSecond() {
        int[] counts = new int[seconds()];
        for (long offset : offsetsNanos) {
            counts[(int) (offset / NANOS_PER_SECOND)]++;
        }
        return counts;
    }

    private int lowerBound(long nanos) {
        int i = Arrays.binarySearch(offsetsNanos, nanos);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && offsetsNanos[i - 1] == nanos) {
            i--;
        }
        return i;
    }
}
