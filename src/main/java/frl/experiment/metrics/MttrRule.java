package frl.experiment.metrics;

import frl.experiment.load.Bin;
import frl.experiment.load.BinStats;
import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Locale;

/**
 * Recovery time (MTTR) as EXPERIMENTS.md defines it, as a pure function over one-second bins:
 *
 * <blockquote>from fault removal to the first moment the 10 s rolling goodput is at least 95% of
 * the pre-fault baseline and p99 is within the SLO, held for 30 s. If never reached within the
 * window: "did not recover" (metastable), not a number.</blockquote>
 *
 * <p>Made precise here (each choice is a lever, named in run.json):
 * <ul>
 *   <li>The rolling window at second {@code k} is bins {@code k-window+1 .. k}; p99 = the 99th
 *       percentile of all their arrivals' latencies (merged histograms, failures included: a
 *       timed-out user waited too), from intended send time.
 *   <li>Goodput is judged against what was <em>offered</em> in the same window: second {@code k}
 *       is "good" when the window's successes >= fraction x (baseline success ratio) x the
 *       window's scheduled arrivals, and its p99 <= SLO. Comparing with the baseline's goodput
 *       per second instead would measure the dice: with Poisson arrivals at 67/s a 10 s window's
 *       count moves by about 4% (one standard deviation) on its own, so a 95% threshold held for
 *       30 s fails for a system that never lost a request (seen in our first standard run: config
 *       A, 100% success after the fault, read "did not recover"). Every config sees the same
 *       arrival schedule, so this removes noise without favouring anyone.
 *   <li>Windows may reach back into the fault, which only makes the rule stricter.
 *   <li>Recovered at the first {@code k >= faultEnd} such that seconds {@code k .. k+hold-1} are all
 *       good, and all lie inside the recovery window (bins {@code faultEnd .. end-1}). MTTR =
 *       {@code k + 1 - faultEnd} seconds (the moment is the end of bin k), so its resolution is 1 s
 *       and its minimum 1 s. A good stretch that is broken before {@code hold} seconds (a relapse)
 *       does not count; the search goes on after it.
 *   <li>If the recovery window is shorter than {@code hold}, no verdict is possible:
 *       WINDOW_TOO_SHORT, not "did not recover".
 *   <li>A baseline below the validity gate ({@code minBaselineSuccess}, default 99%) gives no
 *       verdict either: INVALID_BASELINE. "95% of a baseline" means nothing when the baseline was
 *       already broken (a run whose breaker opened from a cold start, 4 of 609 baseline arrivals
 *       served, once "recovered in 11 s" against that near-zero bar).
 *   <li>A run that did not recover is <em>censored</em> at the longest measurable MTTR: all that is
 *       known is that its MTTR exceeds that, which is how Kaplan-Meier takes it over repetitions.
 * </ul>
 * Two consequences to keep in mind when reading MTTRs: the longest measurable MTTR is
 * {@code recovery window - hold + 1} (a slower recovery reads "did not recover in N s"), and a
 * fault that cut goodput cannot show much less than {@code window} seconds, since the rolling
 * window must first fill with post-fault seconds. Both are the same for every config.
 *
 * <p>Cost: O(bins x window) histogram merges, trivial at one bin per second.
 *
 * @param windowSeconds rolling window, default 10
 * @param fraction      share of the baseline goodput that counts as recovered, default 0.95
 * @param holdSeconds   how long the condition must hold, default 30
 * @param sloP99Ms      the latency SLO on the rolling p99, default 1000 ms; also the baseline's
 *                      p99 gate ({@link Validity})
 * @param minBaselineSuccess the validity gate on the baseline's success ratio, default 0.99
 */
public record MttrRule(int windowSeconds, double fraction, int holdSeconds, double sloP99Ms, double minBaselineSuccess) {
    public static final int DEFAULT_WINDOW_SECONDS = 10;
    public static final double DEFAULT_FRACTION = 0.95;
    public static final int DEFAULT_HOLD_SECONDS = 30;
    public static final double DEFAULT_SLO_P99_MS = 1000;
    public static final double DEFAULT_MIN_BASELINE_SUCCESS = 0.99;

    public MttrRule {
        if (windowSeconds < 1) {
            throw new IllegalArgumentException("rolling window must be >= 1 s, was " + windowSeconds);
        }
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1], was " + fraction);
        }
        if (holdSeconds < 1) {
            throw new IllegalArgumentException("hold must be >= 1 s, was " + holdSeconds);
        }
        if (!(sloP99Ms > 0)) {
            throw new IllegalArgumentException("SLO p99 must be positive milliseconds, was " + sloP99Ms);
        }
        if (!(minBaselineSuccess >= 0 && minBaselineSuccess <= 1)) {
            throw new IllegalArgumentException("minimum baseline success must be in [0, 1], was " + minBaselineSuccess);
        }
    }

    public static MttrRule defaults() {
        return new MttrRule(DEFAULT_WINDOW_SECONDS, DEFAULT_FRACTION, DEFAULT_HOLD_SECONDS, DEFAULT_SLO_P99_MS,
                DEFAULT_MIN_BASELINE_SUCCESS);
    }

    public MttrRule withSlo(double ms) {
        return new MttrRule(windowSeconds, fraction, holdSeconds, ms, minBaselineSuccess);
    }

    public MttrRule withMinBaselineSuccess(double ratio) {
        return new MttrRule(windowSeconds, fraction, holdSeconds, sloP99Ms, ratio);
    }

    /** The longest MTTR a recovery window of {@code seconds} can show: where a non-recovery is censored. */
    public int longestMeasurable(int seconds) {
        return seconds - holdSeconds + 1;
    }

    /**
     * @param bins             the run's bins, indexed by second (bin i has second() == i)
     * @param baselineSuccess  successes / scheduled arrivals over the pre-fault baseline window
     * @param faultEnd         first second after the fault was removed
     * @param end              first second after the recovery window (no arrivals from here on)
     */
    public Recovery evaluate(List<BinStats> bins, double baselineSuccess, int faultEnd, int end) {
        if (!(baselineSuccess > 0)) {
            return Recovery.not(Recovery.Status.NO_BASELINE, end - faultEnd, "baseline success ratio was " + baselineSuccess);
        }
        if (baselineSuccess < minBaselineSuccess) {
            return Recovery.not(Recovery.Status.INVALID_BASELINE, end - faultEnd, String.format(Locale.ROOT,
                    "baseline success %.1f%% is below the %.0f%% gate", 100 * baselineSuccess, 100 * minBaselineSuccess));
        }
        if (end - faultEnd < holdSeconds) {
            return Recovery.not(Recovery.Status.WINDOW_TOO_SHORT, end - faultEnd,
                    "recovery window " + (end - faultEnd) + " s < hold " + holdSeconds + " s");
        }
        int goodSince = -1;
        for (int k = faultEnd; k < end; k++) {
            if (!isGood(bins, k, baselineSuccess)) {
                goodSince = -1;
                continue;
            }
            if (goodSince < 0) {
                goodSince = k;
            }
            if (k - goodSince + 1 >= holdSeconds) {
                return Recovery.recovered(goodSince + 1 - faultEnd, end - faultEnd);
            }
        }
        return Recovery.censored(longestMeasurable(end - faultEnd), end - faultEnd,
                "no " + holdSeconds + " s stretch with rolling successes >= " + fraction + " x "
                        + String.format(Locale.ROOT, "%.3f", baselineSuccess) + " x scheduled and p99 <= " + sloP99Ms
                        + " ms within " + (end - faultEnd) + " s");
    }

    /** Whether the rolling window ending at bin {@code k} meets both conditions. */
    boolean isGood(List<BinStats> bins, int k, double baselineSuccess) {
        long successes = 0;
        long scheduled = 0;
        Histogram merged = new Histogram(Bin.SIGNIFICANT_DIGITS);
        for (int i = Math.max(0, k - windowSeconds + 1); i <= k; i++) {
            successes += bins.get(i).succeeded();
            scheduled += bins.get(i).scheduled();
            merged.add(bins.get(i).all());
        }

        double p99Ms = merged.getTotalCount() == 0 ? Double.POSITIVE_INFINITY : merged.getValueAtPercentile(99) / 1000.0;
        return successes >= fraction * baselineSuccess * scheduled && p99Ms <= sloP99Ms;
    }
}
