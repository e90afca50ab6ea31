package frl.experiment.metrics;

import frl.experiment.load.Bin;
import frl.experiment.load.BinStats;
import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Locale;

/**
 * When a warm-up may end (EXPERIMENTS.md, "Validity gates: Warm"): the stack is warm when, over
 * the last {@code windowSeconds} whole seconds whose arrivals have all finished,
 * <ol>
 *   <li>success (201 within the client timeout, over scheduled arrivals) is at least {@code minSuccess};
 *   <li>the p99 over the window is within the SLO; and
 *   <li>p99 is steady: the p99 of the window's second half differs from its first half's by at most
 *       {@code max(steadyTolerance x first, steadyFloorMs)}. A cold JVM's latency falls as the JIT
 *       compiles the hot paths; a queue's latency rises. Either is a trend, and a trend is not a
 *       baseline. The floor keeps a few milliseconds of noise at low latency from counting as one.
 * </ol>
 * Cold JVMs are a real trigger, but a separate scenario, not a confound of every run: the issue
 * that introduced this gate found a config's breaker already open before its fault, from start-up
 * slowness alone.
 *
 * <p>Only finished seconds count: the newest bins still wait for answers, and judging them early
 * would read in-flight requests as failures. A pure function of the bins; the caller bounds how
 * long it waits (a warm-up that never passes is recorded as such, and the run's baseline gate
 * then decides).
 *
 * @param windowSeconds   how many finished seconds the verdict rests on, default 10
 * @param minSuccess      default 0.99
 * @param sloP99Ms        the rolling p99 must be within it (the MTTR rule's SLO)
 * @param steadyTolerance relative change allowed between the halves' p99, default 0.25
 * @param steadyFloorMs   absolute change always allowed, default 20 ms
 */
public record WarmupGate(int windowSeconds, double minSuccess, double sloP99Ms, double steadyTolerance, double steadyFloorMs) {
    public static final int DEFAULT_WINDOW_SECONDS = 10;
    public static final double DEFAULT_STEADY_TOLERANCE = 0.25;
    public static final double DEFAULT_STEADY_FLOOR_MS = 20;

    public WarmupGate {
        if (windowSeconds < 2) {
            throw new IllegalArgumentException("the warm-up window needs >= 2 s (two halves), was " + windowSeconds);
        }
        if (!(minSuccess >= 0 && minSuccess <= 1) || !(sloP99Ms > 0) || !(steadyTolerance >= 0) || !(steadyFloorMs >= 0)) {
            throw new IllegalArgumentException("warm-up gate needs success in [0, 1], SLO > 0, tolerances >= 0; were "
                    + minSuccess + ", " + sloP99Ms + ", " + steadyTolerance + ", " + steadyFloorMs);
        }
    }

    /** The gate the MTTR rule implies: its SLO and its baseline success gate. */
    public static WarmupGate of(MttrRule rule) {
        return new WarmupGate(DEFAULT_WINDOW_SECONDS, rule.minBaselineSuccess(), rule.sloP99Ms(), DEFAULT_STEADY_TOLERANCE,
                DEFAULT_STEADY_FLOOR_MS);
    }

    /**
     * @param warm          all three conditions hold
     * @param finishedSeconds how many leading seconds had every arrival finished
     */
    public record Verdict(boolean warm, int finishedSeconds, double success, double p99Ms, String detail) {
    }

    /** Judges the bins of a warm-up so far (bin i covers second i). */
    public Verdict check(List<BinStats> bins) {
        int finished = 0;
        while (finished < bins.size() && bins.get(finished).finished() >= bins.get(finished).scheduled()) {
            finished++;
        }
        if (finished < windowSeconds) {
            return new Verdict(false, finished, Double.NaN, Double.NaN, finished + " of " + windowSeconds + " s finished");
        }
        int from = finished - windowSeconds, half = from + windowSeconds / 2;
        long ok = 0, scheduled = 0;
        Histogram all = new Histogram(Bin.SIGNIFICANT_DIGITS), first = new Histogram(Bin.SIGNIFICANT_DIGITS),
                second = new Histogram(Bin.SIGNIFICANT_DIGITS);
        for (int k = from; k < finished; k++) {
            BinStats b = bins.get(k);
            ok += b.succeeded();
            scheduled += b.scheduled();
            all.add(b.all());
            (k < half ? first : second).add(b.all());
        }
        double success = scheduled == 0 ? Double.NaN : (double) ok / scheduled;
        double p99 = WindowStats.percentileMs(all, 99);
        double a = WindowStats.percentileMs(first, 99), b = WindowStats.percentileMs(second, 99);
        String numbers = String.format(Locale.ROOT, "success %.1f%%, p99 %.0f ms (halves %.0f -> %.0f ms)", 100 * success, p99, a, b);
        if (!(success >= minSuccess)) {
            return new Verdict(false, finished, success, p99, numbers + ": success below " + pct(minSuccess));
        }
        if (!(p99 <= sloP99Ms)) {
            return new Verdict(false, finished, success, p99, numbers + ": p99 above the SLO");
        }
        if (!(Math.abs(b - a) <= Math.max(steadyTolerance * a, steadyFloorMs))) {
            return new Verdict(false, finished, success, p99, numbers + ": p99 not steady");
        }
        return new Verdict(true, finished, success, p99, numbers);
    }

    private static String pct(double r) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * r);
    }
}
