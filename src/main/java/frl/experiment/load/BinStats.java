package frl.experiment.load;

import org.HdrHistogram.Histogram;

/**
 * An immutable copy of one {@link Bin}: the input of every per-second metric (timeline, windows,
 * MTTR). Tests build these directly to feed the pure functions synthetic runs.
 *
 * @param second     bin index: covers intended send times in {@code [second, second + 1)} s
 * @param scheduled  arrivals the schedule put in this second
 * @param sent       arrivals sent at least once
 * @param byOutcome  arrivals per final {@link Outcome}, indexed by ordinal
 * @param attempts   client attempts sent, re-sends included
 * @param all        latency of every finished arrival, microseconds from intended send time
 * @param ok         latency of the successes only
 */
public record BinStats(int second, long scheduled, long sent, long[] byOutcome, long attempts,
                       Histogram all, Histogram ok) {

    /** A bin with only counts and one latency for all its arrivals: for tests and fixtures. */
    public static BinStats synthetic(int second, long scheduled, long succeeded, long timeouts, long latencyMicros) {
        long[] by = new long[Outcome.values().length];
        by[Outcome.SUCCESS.ordinal()] = succeeded;
        by[Outcome.TIMEOUT.ordinal()] = timeouts;
        Histogram all = new Histogram(Bin.SIGNIFICANT_DIGITS);
        Histogram ok = new Histogram(Bin.SIGNIFICANT_DIGITS);
        if (succeeded + timeouts > 0) {
            all.recordValueWithCount(latencyMicros, succeeded + timeouts);
        }
        if (succeeded > 0) {
            ok.recordValueWithCount(latencyMicros, succeeded);
        }
        return new BinStats(second, scheduled, succeeded + timeouts, by, succeeded + timeouts, all, ok);
    }

    public long count(Outcome o) {
        return byOutcome[o.ordinal()];
    }

    public long succeeded() {
        return count(Outcome.SUCCESS);
    }

    /** Arrivals whose fate is known (equals {@code scheduled} once the run is over). */
    public long finished() {
        long n = 0;
        for (long c : byOutcome) {
            n += c;
        }
        return n;
    }
}
