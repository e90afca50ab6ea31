package frl.sim;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The processor model against queueing theory. Poisson arrivals into the simulated processor,
 * driven by the same event loop as a run, over a long run; the mean time queued for a slot must
 * match the formula.
 * <ul>
 *   <li>M/M/c (exponential service, c slots): Erlang C gives the probability of waiting,
 *       {@code C(c, a)} with offered load {@code a = lambda / mu}, and {@code Wq = C / (c mu - lambda)}.
 *   <li>M/G/1 with the lab's own log-normal service time (sigma 0.5): Pollaczek-Khinchine,
 *       {@code Wq = lambda E[S^2] / (2 (1 - rho))}, {@code E[S^2] = mean^2 e^(sigma^2)}.
 * </ul>
 * How close: the simulated mean must lie within three standard errors of the formula, and the
 * standard error must be small (under 2% of the mean), so "within a few percent" is what is
 * checked. Waits near saturation are strongly correlated, so the standard error comes from batch
 * means (50 consecutive batches), not from the customers as if independent. Seeds are fixed:
 * the test is deterministic.
 */
class ProcessorQueueTest {
    static final double MEAN_SERVICE_S = 0.050;

    /** Mean wait in seconds and its standard error (batch means). */
    record Wait(double mean, double standardError) {
    }

    static final int BATCHES = 50;

    /** Runs n arrivals (the first 10% discarded as warm-up) and measures their waits for a slot. */
    static Wait meanWait(int slots, double lambda, boolean logNormal, int n, long seed) {
        EventLoop loop = new EventLoop();
        Draws service = new Draws(seed, 0);
        Draws arrivals = new Draws(seed, 1);
        double meanNanos = MEAN_SERVICE_S * 1e9;
        Processor p = new Processor(loop, slots,
                () -> logNormal ? service.logNormalNanos(meanNanos, 0.5) : service.exponentialNanos(meanNanos), Duration.ofDays(1));
        int warmUp = n / 10;
        int perBatch = (n - warmUp) / BATCHES;
        double[] batchSums = new double[BATCHES];
        int[] served = {0};
        Runnable[] arrive = new Runnable[1];
        int[] next = {0};
        arrive[0] = () -> {
            int index = next[0]++;
            if (next[0] < n) {
                loop.after(arrivals.exponentialNanos(1e9 / lambda), arrive[0]);
            }
            p.submit(null, false, new Processor.Job() {
                @Override
                public void served(long waitedNanos, Runnable release) {
                    int batch = (index - warmUp) / perBatch;
                    if (index >= warmUp && batch < BATCHES) {
                        batchSums[batch] += waitedNanos / 1e9;
                    }
                    served[0]++;
                    release.run();
                }

                @Override
                public void refused(Processor.Refusal why) {
                    throw new AssertionError("no request may be refused here: " + why);
                }
            });
        };
        loop.at(0, arrive[0]);
        loop.runUntil(Long.MAX_VALUE);
        assertEquals(n, served[0], "every customer served");
        double mean = 0;
        for (double b : batchSums) {
            mean += b / perBatch / BATCHES;
        }
        double var = 0;
        for (double b : batchSums) {
            var += Math.pow(b / perBatch - mean, 2) / (BATCHES - 1);
        }
        return new Wait(mean, Math.sqrt(var / BATCHES));
    }

    static void assertMatches(double expected, Wait measured, String what) {
        String says = what + ": theory " + expected + " s, simulated " + measured.mean() + " s +- " + measured.standardError();
        assertTrue(measured.standardError() < 0.02 * expected, "standard error too large to judge; " + says);
        assertEquals(expected, measured.mean(), 3 * measured.standardError(), says);
    }

    static double erlangC(int c, double a) {
        double sum = 0;
        double term = 1; // a^k / k!
        for (int k = 0; k < c; k++) {
            if (k > 0) {
                term *= a / k;
            }
            sum += term;
        }
        double last = term * a / c / (1 - a / c); // a^c / c! / (1 - rho)
        return last / (sum + last);
    }

    @ParameterizedTest(name = "M/M/4 at utilisation {0}")
    @CsvSource({"0.5, 2000000", "0.85, 2000000"})
    void meanWaitOfFourExponentialSlotsIsErlangC(double rho, int customers) {
        int c = 4;
        double mu = 1 / MEAN_SERVICE_S;
        double lambda = rho * c * mu;
        double expected = erlangC(c, lambda / mu) / (c * mu - lambda);

        Wait measured = meanWait(c, lambda, false, customers, 11);

        assertMatches(expected, measured, "M/M/4 at rho " + rho + " (Erlang C)");
    }

    @ParameterizedTest(name = "M/G/1 (log-normal, sigma 0.5) at utilisation {0}")
    @CsvSource({"0.5, 1000000", "0.85, 2000000"})
    void meanWaitOfOneLogNormalSlotIsPollaczekKhinchine(double rho, int customers) {
        double lambda = rho / MEAN_SERVICE_S;
        double secondMoment = MEAN_SERVICE_S * MEAN_SERVICE_S * Math.exp(0.5 * 0.5);
        double expected = lambda * secondMoment / (2 * (1 - rho));

        Wait measured = meanWait(1, lambda, true, customers, 12);

        assertMatches(expected, measured, "M/G/1 at rho " + rho + " (Pollaczek-Khinchine)");
    }
}
