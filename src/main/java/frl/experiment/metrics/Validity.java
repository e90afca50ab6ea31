package frl.experiment.metrics;

import java.util.Locale;

/**
 * The valid-baseline gate (EXPERIMENTS.md, "Validity gates"): a run whose baseline window served
 * fewer than {@link MttrRule#minBaselineSuccess()} of its arrivals, or whose baseline p99 was above
 * the SLO, did not measure the pattern against a fault; it measured a stack that was already
 * broken (a cold JVM, a breaker opened by start-up slowness, a queue left by the previous run).
 * Such a run is retried, and if it stays invalid its cell prints {@link #reason()} instead of
 * numbers. The MTTR rule refuses the same baseline ({@code Recovery.Status.INVALID_BASELINE}).
 *
 * @param successFailed   the success gate is what failed (else, if invalid, the p99 gate)
 * @param baselineSuccess successes / scheduled arrivals over the baseline window
 * @param baselineP99Ms   p99 latency of every baseline arrival (ms from intended send time)
 * @param reason          "valid", or "invalid: baseline 97.3%" / "invalid: baseline p99 1430 ms > SLO 1000 ms"
 */
public record Validity(boolean valid, boolean successFailed, double baselineSuccess, double baselineP99Ms, String reason) {

    public static Validity of(WindowStats baseline, MttrRule rule) {
        double success = baseline.successRate();
        double p99 = baseline.p99Ms();
        if (!(success >= rule.minBaselineSuccess())) {
            return new Validity(false, true, success, p99, invalidText(success));
        }
        if (!(p99 <= rule.sloP99Ms())) {
            return new Validity(false, false, success, p99, String.format(Locale.ROOT, "invalid: baseline p99 %.0f ms > SLO %.0f ms",
                    p99, rule.sloP99Ms()));
        }
        return new Validity(true, false, success, p99, "valid");
    }

    /** The words a report prints instead of an invalid cell's numbers. */
    public static String invalidText(double baselineSuccess) {
        return Double.isNaN(baselineSuccess) ? "invalid: no baseline arrivals"
                : String.format(Locale.ROOT, "invalid: baseline %.1f%%", 100 * baselineSuccess);
    }

    /** Not judged (a fixture, or a run recorded before the gate existed). */
    public static final Validity UNJUDGED = new Validity(true, false, Double.NaN, Double.NaN, "not judged");
}
