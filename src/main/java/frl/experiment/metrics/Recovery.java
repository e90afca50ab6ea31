package frl.experiment.metrics;

import java.util.Locale;

/**
 * The verdict of the MTTR rule for one run. Only {@link Status#RECOVERED} carries a number; the
 * others are reasons there is none, and reports print them as words, never as 0 or a blank.
 *
 * @param windowSeconds the recovery window the verdict was reached in ("did not recover in 55 s"
 *                      says less than "did not recover", and is what was measured)
 * @param censoredAt    for DID_NOT_RECOVER: the longest MTTR the window could show; the run's MTTR
 *                      is known only to exceed it (a censored observation). NaN otherwise
 */
public record Recovery(Status status, double seconds, int windowSeconds, String detail, double censoredAt) {

    public enum Status {
        /** Met the rule; {@code seconds} = time from fault removal to the first qualifying moment. */
        RECOVERED("recovered"),
        /** Never met the rule within the recovery window: metastable, or too slow to tell apart. */
        DID_NOT_RECOVER("did not recover"),
        /** The recovery window is shorter than the rule needs (rolling window + hold): no verdict. */
        WINDOW_TOO_SHORT("window too short"),
        /** No fault was injected (scenario none): nothing to recover from. */
        NO_FAULT("no fault"),
        /** The baseline had no goodput, so "95% of baseline" means nothing. */
        NO_BASELINE("no baseline goodput"),
        /** The baseline failed the validity gate: the run measured a broken stack, not a recovery. */
        INVALID_BASELINE("invalid baseline");

        public final String words;

        Status(String words) {
            this.words = words;
        }
    }

    public static Recovery recovered(double seconds, int windowSeconds) {
        return new Recovery(Status.RECOVERED, seconds, windowSeconds, "", Double.NaN);
    }

    /** Did not recover within a window whose longest measurable MTTR was {@code censoredAt} seconds. */
    public static Recovery censored(double censoredAt, int windowSeconds, String detail) {
        return new Recovery(Status.DID_NOT_RECOVER, Double.NaN, windowSeconds, detail, censoredAt);
    }

    /** No verdict, for a reason ({@link Status#DID_NOT_RECOVER} takes {@link #censored}). */
    public static Recovery not(Status status, int windowSeconds, String detail) {
        if (status == Status.RECOVERED || status == Status.DID_NOT_RECOVER) {
            throw new IllegalArgumentException(status + " is a verdict, not a reason for none");
        }
        return new Recovery(status, Double.NaN, windowSeconds, detail, Double.NaN);
    }

    /** True when the run gave a verdict (recovered or not): the denominator of "fraction not recovered". */
    public boolean hasVerdict() {
        return status == Status.RECOVERED || status == Status.DID_NOT_RECOVER;
    }

    @Override
    public String toString() {
        if (status == Status.RECOVERED) {
            return String.format(Locale.ROOT, "%.0f s", seconds);
        }
        return status == Status.DID_NOT_RECOVER ? status.words + " in " + windowSeconds + " s" : status.words;
    }
}
