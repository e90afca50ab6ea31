package frl.experiment.metrics;

import frl.experiment.load.BinStats;
import frl.experiment.load.Outcome;
import frl.experiment.plan.Phases;
import frl.experiment.stack.CpuSampler;

/**
 * One second of one run as written to timeline.csv and plotted: counts, latency percentiles
 * (milliseconds from intended send time; NaN when nothing finished in that second's arrivals), and
 * the CPU of that wall-clock second (machine and each watched process; {@link CpuSampler.Usage#UNKNOWN}
 * when not recorded). The histograms are dropped once these are computed, so a long paper run
 * keeps only numbers.
 *
 * <p>A second is <em>CPU-bound</em> when the machine's CPUs were more than {@value #CPU_BOUND} busy:
 * what happened in it may be about the CPUs, not the patterns, and the report shades it.
 */
public record TimelineRow(int second, String phase, long scheduled, long sent, long succeeded, long[] byOutcome,
                          long attempts, double p50Ms, double p95Ms, double p99Ms, double p99OkMs,
                          CpuSampler.Usage cpu) {
    public static final double CPU_BOUND = 0.9;

    public static TimelineRow of(BinStats b, Phases phases) {
        return of(b, phases, CpuSampler.Usage.UNKNOWN);
    }

    public static TimelineRow of(BinStats b, Phases phases, CpuSampler.Usage cpu) {
        return new TimelineRow(b.second(), phases.phaseOf(b.second()), b.scheduled(), b.sent(), b.succeeded(),
                b.byOutcome().clone(), b.attempts(),
                WindowStats.percentileMs(b.all(), 50), WindowStats.percentileMs(b.all(), 95),
                WindowStats.percentileMs(b.all(), 99), WindowStats.percentileMs(b.ok(), 99), cpu);
    }

    public double successRate() {
        return scheduled == 0 ? Double.NaN : (double) succeeded / scheduled;
    }

    public long count(Outcome o) {
        return byOutcome[o.ordinal()];
    }

    public boolean cpuBound() {
        return cpu.machineBusy() > CPU_BOUND;
    }
}
