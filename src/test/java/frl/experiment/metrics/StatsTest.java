package frl.experiment.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatsTest {

    @Test
    void wilsonMatchesPublishedValues() {
        // successes, n, low, high (z = 1.96; e.g. Newcombe 1998, Table I)
        double[][] table = {
                {0, 10, 0.0, 0.2775},
                {5, 10, 0.2366, 0.7634},
                {10, 10, 0.7225, 1.0},
                {1, 5, 0.0362, 0.6245},
                {3, 20, 0.0524, 0.3604},
        };
        for (double[] row : table) {
            Ci ci = Stats.wilson((long) row[0], (long) row[1]);
            assertEquals(row[0] / row[1], ci.estimate(), 1e-12);
            assertEquals(row[2], ci.low(), 1e-4, "low of " + row[0] + "/" + row[1]);
            assertEquals(row[3], ci.high(), 1e-4, "high of " + row[0] + "/" + row[1]);
        }
        assertFalse(Stats.wilson(0, 0).hasInterval(), "no trials, no interval");
        assertThrows(IllegalArgumentException.class, () -> Stats.wilson(3, 2));
    }

    @Test
    void bootstrapOfAConstantHasZeroWidth() {
        Ci ci = Stats.bootstrapMean(new double[]{0.8, 0.8, 0.8, 0.8}, 2000, 1);
        assertEquals(0.8, ci.estimate(), 1e-12);
        assertEquals(0.8, ci.low(), 1e-12);
        assertEquals(0.8, ci.high(), 1e-12);
    }

    @Test
    void bootstrapOfTwoPointsSpansThem() {
        // Resample means of {0, 10}: 0 (p 1/4), 5 (1/2), 10 (1/4); the 2.5th and 97.5th percentiles are 0 and 10
        Ci ci = Stats.bootstrapMean(new double[]{0, 10}, 10_000, 7);
        assertEquals(5, ci.estimate(), 1e-12);
        assertEquals(0, ci.low(), 1e-12);
        assertEquals(10, ci.high(), 1e-12);
        assertEquals(2, ci.n());
    }

    @Test
    void bootstrapIsSeededAndBracketsTheMean() {
        double[] xs = {0.71, 0.80, 0.77, 0.92, 0.68, 0.85};
        Ci a = Stats.bootstrapMean(xs, 5000, 99);
        Ci b = Stats.bootstrapMean(xs, 5000, 99);

        assertEquals(a, b, "same seed, same interval");
        assertEquals(Stats.mean(xs), a.estimate(), 1e-12);
        assertTrue(a.low() < a.estimate() && a.estimate() < a.high());
        assertTrue(a.low() >= 0.68 && a.high() <= 0.92, "inside the data's range");
    }

    @Test
    void notMeasuredValuesAreDroppedAndOneRunHasNoInterval() {
        Ci ci = Stats.bootstrapMean(new double[]{Double.NaN, 3.0, Double.NaN}, 1000, 1);
        assertEquals(3.0, ci.estimate());
        assertEquals(1, ci.n());
        assertFalse(ci.hasInterval());
        assertEquals("3.0", ci.format("%.1f"));
        assertEquals("n/a", Stats.bootstrapMean(new double[]{Double.NaN}, 10, 1).format("%.1f"));
    }

    @Test
    void aPairedIntervalRemovesWhatTheRepetitionsShare() {
        // Given five repetitions whose levels differ a lot (arrival luck, the machine's mood), and a
        // config B that is always exactly 0.05 above A within a repetition
        double[] a = {0.60, 0.95, 0.70, 0.85, 0.75};
        double[] b = {0.65, 1.00, 0.75, 0.90, 0.80};

        Ci paired = Stats.pairedBootstrap(a, b, Stats.DEFAULT_RESAMPLES, 7);
        Ci unpairedA = Stats.bootstrapMean(a, Stats.DEFAULT_RESAMPLES, 7);

        // Then the paired interval is exactly the constant difference, while each config alone spans 0.2+
        assertEquals(0.05, paired.estimate(), 1e-12);
        assertEquals(0.05, paired.low(), 1e-12);
        assertEquals(0.05, paired.high(), 1e-12);
        assertEquals(5, paired.n());
        assertTrue(unpairedA.high() - unpairedA.low() > 0.1);
    }

    @Test
    void aPairedIntervalDropsIncompletePairsAndIsReproducible() {
        double[] a = {1, 2, Double.NaN, 4, 5, 6};
        double[] b = {2, 2, 9, 7, Double.NaN, 6};

        Ci ci = Stats.pairedBootstrap(a, b, 2000, 11);

        assertEquals(4, ci.n(), "pairs 3 and 5 have a missing side");
        assertEquals((1 + 0 + 3 + 0) / 4.0, ci.estimate(), 1e-12);
        assertTrue(ci.low() <= ci.estimate() && ci.estimate() <= ci.high());
        assertEquals(ci, Stats.pairedBootstrap(a, b, 2000, 11), "seeded");
        assertThrows(IllegalArgumentException.class, () -> Stats.pairedBootstrap(new double[1], new double[2], 10, 1));
    }
}
