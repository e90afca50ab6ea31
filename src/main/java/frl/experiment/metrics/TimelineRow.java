package frl.experiment.metrics;

import frl.experiment.load.BinStats;
import frl.experiment.load.Outcome;
import frl.experiment.plan.Phases;

/**
 * One second of one run as written to timeline.csv and plotted: counts, and latency percentiles
 * (milliseconds from intended send time; NaN when nothing finished in that second's arrivals).
 * The histograms are dropped once these are computed, so a long paper run keeps only numbers.
 */
public record TimelineRow(int second, String phase, long scheduled, long sent, long succeeded, long[] byOutcome,
                          long attempts, double p50Ms, double p95Ms, double p99Ms, double p99OkMs) {

    public static TimelineRow of(BinStats b, Phases phases) {
        return new TimelineRow(b.second(), phases.phaseOf(b.second()), b.scheduled(), b.sent(), b.succeeded(),
                b.byOutcome().clone(), b.attempts(),
                WindowStats.percentileMs(b.all(), 50), WindowStats.percentileMs(b.all(), 95),
                WindowStats.percentileMs(b.all(), 99), WindowStats.percentileMs(b.ok(), 99));
    }

    public double successRate() {
        return scheduled == 0 ? Double.NaN : (double) succeeded / scheduled;
    }

    public long count(Outcome o) {
        return byOutcome[o.ordinal()];
    }
}
