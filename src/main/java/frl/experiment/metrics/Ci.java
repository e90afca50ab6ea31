package frl.experiment.metrics;

import java.util.Locale;

/**
 * An estimate with a 95% confidence interval. {@code low}/{@code high} are NaN when there is no
 * interval (a single run), and reports then print the estimate alone, never a fake zero-width CI.
 *
 * @param n how many per-run values (or trials, for a proportion) it rests on
 */
public record Ci(double estimate, double low, double high, int n) {

    public static Ci single(double value) {
        return new Ci(value, Double.NaN, Double.NaN, Double.isNaN(value) ? 0 : 1);
    }

    public boolean hasInterval() {
        return !Double.isNaN(low) && !Double.isNaN(high);
    }

    /** "0.812 [0.790, 0.834]" with the given format for each number, or "n/a". */
    public String format(String numberFormat) {
        if (Double.isNaN(estimate)) {
            return "n/a";
        }
        String e = String.format(Locale.ROOT, numberFormat, estimate);
        return hasInterval() ? e + " [" + String.format(Locale.ROOT, numberFormat, low) + ", " + String.format(Locale.ROOT, numberFormat, high) + "]" : e;
    }
}
