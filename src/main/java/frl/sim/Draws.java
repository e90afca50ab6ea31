package frl.sim;

import java.util.SplittableRandom;

/**
 * One seeded stream of random numbers for one purpose (service times, injected errors, network
 * latency, jitter), and the distributions the model draws from it.
 *
 * <p>One stream per purpose, each seeded from the run's seed and a fixed purpose number, so the
 * configurations of one repetition see the same service times and the same network where their
 * event orders agree (common random numbers: differences between configurations are then less
 * often luck). {@link SplittableRandom} because its algorithm is fixed by its specification, and
 * the normal draw is Box-Muller over two uniforms (as {@code PaymentProcessor} draws it), not
 * {@code nextGaussian()}, whose algorithm the JDK may change: the same seed gives the same run on
 * every JDK.
 *
 * <p>Not thread-safe: one run, one thread.
 */
public final class Draws {
    private final SplittableRandom random;

    /** The stream for {@code purpose} (0, 1, 2, ...): the purpose-th child split off the seed's generator. */
    public Draws(long seed, int purpose) {
        if (purpose < 0) {
            throw new IllegalArgumentException("purpose must be >= 0, was " + purpose);
        }
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom child = root.split();
        for (int i = 0; i < purpose; i++) {
            child = root.split(); // split() gives an independent stream, by a specified algorithm
        }
        this.random = child;
    }

    /** Uniform in [0, 1). */
    public double uniform() {
        return random.nextDouble();
    }

    /**
     * A log-normal duration with the given mean: {@code exp(mu + sigma z)}, {@code mu = ln(mean) -
     * sigma^2 / 2} so the mean is exact. Sigma 0 gives the mean every time.
     */
    public long logNormalNanos(double meanNanos, double sigma) {
        if (sigma == 0) {
            return (long) meanNanos;
        }
        double mu = Math.log(meanNanos) - sigma * sigma / 2;
        return (long) Math.exp(mu + sigma * standardNormal());
    }

    /** An exponential duration with the given mean, by inversion: {@code -mean ln(1 - u)}. */
    public long exponentialNanos(double meanNanos) {
        return (long) (-meanNanos * Math.log(1 - random.nextDouble()));
    }

    private double standardNormal() {
        double g = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - g)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
