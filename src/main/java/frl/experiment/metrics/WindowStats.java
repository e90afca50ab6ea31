package frl.experiment.metrics;

import frl.experiment.load.Bin;
import frl.experiment.load.BinStats;
import frl.experiment.load.Outcome;
import org.HdrHistogram.Histogram;

import java.util.List;

/**
 * The run's metrics over a window of whole seconds (baseline, fault, recovery, or all of them),
 * summed from the bins: the numbers the summary table prints.
 *
 * <p>Definitions (EXPERIMENTS.md): success = arrivals answered HTTP 201 within the client timeout /
 * scheduled arrivals; goodput = those successes per second of window; latency percentiles from the
 * intended send time, over all finished arrivals and over successes. Percentiles of an empty
 * window are NaN ("not measured"), never 0.
 *
 * @param sent arrivals sent at least once: the "client requests" that amplification divides by
 */
public record WindowStats(int fromSecond, int toSecond, long scheduled, long sent, long succeeded,
                          long[] byOutcome, long attempts,
                          double p50Ms, double p95Ms, double p99Ms,
                          double p50OkMs, double p95OkMs, double p99OkMs) {

    /** Sums bins with {@code from <= second < to}. */
    public static WindowStats of(List<BinStats> bins, int from, int to) {
        long scheduled = 0, sent = 0, attempts = 0;
        long[] by = new long[Outcome.values().length];
        Histogram all = new Histogram(Bin.SIGNIFICANT_DIGITS);
        Histogram ok = new Histogram(Bin.SIGNIFICANT_DIGITS);
        for (BinStats b : bins) {
            if (b.second() < from || b.second() >= to) {
                continue;
            }
            scheduled += b.scheduled();
            sent += b.sent();
            attempts += b.attempts();
            for (int i = 0; i < by.length; i++) {
                by[i] += b.byOutcome()[i];
            }
            all.add(b.all());
            ok.add(b.ok());
        }
        return new WindowStats(from, to, scheduled, sent, by[Outcome.SUCCESS.ordinal()], by, attempts,
                percentileMs(all, 50), percentileMs(all, 95), percentileMs(all, 99),
                percentileMs(ok, 50), percentileMs(ok, 95), percentileMs(ok, 99));
    }

    static double percentileMs(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    public double successRate() {
        return scheduled == 0 ? Double.NaN : (double) succeeded / scheduled;
    }

    public double goodputPerSecond() {
        return toSecond <= fromSecond ? Double.NaN : (double) succeeded / (toSecond - fromSecond);
    }

    public long count(Outcome o) {
        return byOutcome[o.ordinal()];
    }
}
