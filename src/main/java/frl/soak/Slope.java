package frl.soak;

import java.util.Locale;

/**
 * Does a series grow without bound? An ordinary least-squares line through (t, y), its slope's
 * standard error and 95% interval, and the verdict a soak needs.
 *
 * <p>The verdict, in order:
 * <pre>
 *   fewer than 3 points            -> UNKNOWN   (no interval without 1 degree of freedom left)
 *   interval includes 0            -> FLAT      (growth, if any, is within the noise)
 *   |slope| x 24 h < bound         -> FLAT      (real but too slow to matter in a day)
 *   slope < 0                      -> FALLS     (shrinking is not a leak)
 *   otherwise                      -> GROWS
 * </pre>
 * The bound is per metric and stated beside every verdict (SoakMetric). A soak fits the second half
 * of its samples only: the first half holds the warm-up (JIT, pools filling, caches), which grows
 * and then stops.
 *
 * <p>Why OLS with a t interval and not something cleverer: ten minutes sampled every 10 s give 30
 * points to judge; the residuals of a sawing heap are not independent, so the interval is a guide,
 * which is why a second, absolute test (the 24 h projection) stands beside it.
 *
 * <p>Immutable; {@link #fit} is a pure function.
 *
 * @param slope   units per second
 * @param stdErr  standard error of the slope (0 for a perfectly straight series)
 * @param low     lower end of the 95% interval (NaN when UNKNOWN)
 * @param high    upper end of the 95% interval
 * @param points  how many samples the fit used
 */
public record Slope(double slope, double stdErr, double low, double high, int points) {
    public static final double SECONDS_PER_DAY = 86_400;

    public enum Verdict { FLAT, FALLS, GROWS, UNKNOWN }

    /** Fits y = a + b t over the points where y is a number (NaN samples are skipped). */
    public static Slope fit(double[] t, double[] y) {
        if (t.length != y.length) {
            throw new IllegalArgumentException("t and y differ in length: " + t.length + " vs " + y.length);
        }
        int n = 0;
        double st = 0, sy = 0;
        for (int i = 0; i < t.length; i++) {
            if (!Double.isNaN(y[i])) {
                n++;
                st += t[i];
                sy += y[i];
            }
        }
        if (n < 3) {
            return new Slope(Double.NaN, Double.NaN, Double.NaN, Double.NaN, n);
        }
        double tm = st / n, ym = sy / n, stt = 0, sty = 0;
        for (int i = 0; i < t.length; i++) {
            if (!Double.isNaN(y[i])) {
                stt += (t[i] - tm) * (t[i] - tm);
                sty += (t[i] - tm) * (y[i] - ym);
            }
        }
        if (stt == 0) {
            throw new IllegalArgumentException("all " + n + " samples at the same time; no slope");
        }
        double b = sty / stt, a = ym - b * tm, sse = 0;
        for (int i = 0; i < t.length; i++) {
            if (!Double.isNaN(y[i])) {
                double r = y[i] - (a + b * t[i]);
                sse += r * r;
            }
        }
        double se = Math.sqrt(sse / (n - 2) / stt);
        double half = tQuantile975(n - 2) * se;
        return new Slope(b, se, b - half, b + half, n);
    }

    /** The verdict for a metric whose growth over 24 h may not reach {@code boundPerDay} (same units as y). */
    public Verdict verdict(double boundPerDay) {
        if (points < 3 || Double.isNaN(slope)) {
            return Verdict.UNKNOWN;
        }
        if (low <= 0 && 0 <= high) {
            return Verdict.FLAT;
        }
        if (Math.abs(perDay()) < boundPerDay) {
            return Verdict.FLAT;
        }
        return slope < 0 ? Verdict.FALLS : Verdict.GROWS;
    }

    /** The slope projected over a day. */
    public double perDay() {
        return slope * SECONDS_PER_DAY;
    }

    /** "+1.2 [-0.3, 2.7] /h" in the given per-hour scale. */
    public String describePerHour(double scale) {
        if (Double.isNaN(slope)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%+.3g [%+.3g, %+.3g] /h", slope * 3600 * scale, low * 3600 * scale, high * 3600 * scale);
    }

    /**
     * The 97.5% quantile of Student's t with {@code df} degrees of freedom, by the Cornish-Fisher
     * expansion around the normal quantile (Abramowitz and Stegun 26.7.5): within 0.005 of the
     * tables from 5 degrees of freedom (2.571 at 5, 2.042 at 30), 0.03 at 3, 0.15 at 2.
     */
    static double tQuantile975(int df) {
        if (df < 1) {
            throw new IllegalArgumentException("degrees of freedom must be at least 1, was " + df);
        }
        if (df == 1) {
            return 12.706; // the expansion does not converge at 1; the table's value
        }
        double z = 1.959963984540054, z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z, v = df;
        return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v)
                + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v);
    }
}
