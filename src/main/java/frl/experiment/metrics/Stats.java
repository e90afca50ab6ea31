package frl.experiment.metrics;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The intervals EXPERIMENTS.md asks for, as pure functions of numbers.
 *
 * <p><b>Bootstrap CI of a mean</b> (percentile method): resample the per-run values with
 * replacement {@code resamples} times, take each resample's mean, report the 2.5th and 97.5th
 * percentiles of those means. Per-run values, never pooled requests: requests within a run are
 * not independent (one slow second slows hundreds of them), runs are. With a handful of runs the
 * interval is honest but wide; that is the point of showing it. Seeded, so reports reproduce.
 * Cost: O(resamples x n).
 *
 * <p><b>Paired bootstrap CI of a mean difference</b>: configurations within one repetition face
 * the same arrival schedule, so their per-repetition differences {@code d_r = b_r - a_r} cancel
 * what the repetition shared (arrival luck, the machine's mood that minute) and the interval of the
 * mean difference is the bootstrap interval of the {@code d_r}. Resampling {@code a} and {@code b}
 * separately would add that shared noise back and widen the interval for nothing.
 *
 * <p><b>Wilson score interval</b> for a proportion (here: runs that did not recover out of runs
 * with a verdict). Unlike the textbook p +- 1.96 sqrt(p(1-p)/n) it stays inside [0, 1] and does not
 * collapse to zero width at 0/n or n/n, which are the common cases with few runs:
 * <pre>
 *   centre = (p + z^2/2n) / (1 + z^2/n)
 *   half   = z / (1 + z^2/n) * sqrt(p(1-p)/n + z^2/4n^2)
 * </pre>
 */
public final class Stats {
    /** Two-sided 95%: the 97.5th percentile of the standard normal. */
    public static final double Z95 = 1.959963984540054;
    public static final int DEFAULT_RESAMPLES = 10_000;

    private Stats() {
    }

    /**
     * Mean and 95% percentile-bootstrap interval of {@code values}; NaN entries (runs where the
     * metric was not measured) are dropped first and {@code n} says how many remained.
     */
    public static Ci bootstrapMean(double[] values, int resamples, long seed) {
        double[] xs = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
        if (xs.length == 0) {
            return new Ci(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double mean = mean(xs);
        if (xs.length == 1) {
            return Ci.single(mean);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] means = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            double sum = 0;
            for (int i = 0; i < xs.length; i++) {
                sum += xs[random.nextInt(xs.length)];
            }
            means[r] = sum / xs.length;
        }
        Arrays.sort(means);
        return new Ci(mean, quantile(means, 0.025), quantile(means, 0.975), xs.length);
    }

    /**
     * Mean of {@code b[r] - a[r]} with its 95% percentile-bootstrap interval, over the repetitions
     * where both are measured (a NaN on either side drops the pair; {@code n} says how many remain).
     */
    public static Ci pairedBootstrap(double[] a, double[] b, int resamples, long seed) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired samples need equal lengths, were " + a.length + " and " + b.length);
        }
        double[] d = new double[a.length];
        int n = 0;
        for (int r = 0; r < a.length; r++) {
            if (!Double.isNaN(a[r]) && !Double.isNaN(b[r])) {
                d[n++] = b[r] - a[r];
            }
        }
        return bootstrapMean(Arrays.copyOf(d, n), resamples, seed);
    }

    /** Wilson score 95% interval for {@code successes} out of {@code n} trials. */
    public static Ci wilson(long successes, long n) {
        if (n < 0 || successes < 0 || successes > n) {
            throw new IllegalArgumentException("need 0 <= successes <= n, was " + successes + " of " + n);
        }
        if (n == 0) {
            return new Ci(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double p = (double) successes / n;
        double z2 = Z95 * Z95;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denominator;
        double half = Z95 / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new Ci(p, Math.max(0, centre - half), Math.min(1, centre + half), (int) n);
    }

    public static double mean(double[] xs) {
        double sum = 0;
        for (double x : xs) {
            sum += x;
        }
        return sum / xs.length;
    }

    /** Quantile of sorted data by linear interpolation between closest ranks (type 7, R's default). */
    public static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
