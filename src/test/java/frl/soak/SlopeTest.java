package frl.soak;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The slope verdict on fixture series: 30 samples 10 s apart, as a 10-minute soak's second half has. */
class SlopeTest {
    private static final int N = 30;

    private static double[] times() {
        double[] t = new double[N];
        for (int i = 0; i < N; i++) {
            t[i] = 300 + 10 * i;
        }
        return t;
    }

    /** base + perSecond * t + noise * (+1, -1, +1, ...): deterministic noise with mean 0. */
    private static double[] series(double base, double perSecond, double noise) {
        double[] t = times(), y = new double[N];
        for (int i = 0; i < N; i++) {
            y[i] = base + perSecond * t[i] + (i % 2 == 0 ? noise : -noise);
        }
        return y;
    }

    @Test
    void aStraightLineIsFittedExactly() {
        Slope s = Slope.fit(new double[]{0, 1, 2, 3}, new double[]{2, 5, 8, 11});
        assertEquals(3.0, s.slope(), 1e-12);
        assertEquals(0.0, s.stdErr(), 1e-12);
        assertEquals(4, s.points());
    }

    @Test
    void aConstantSeriesIsFlat() {
        Slope s = Slope.fit(times(), series(42, 0, 0));
        assertEquals(0.0, s.slope(), 1e-12);
        assertEquals(Slope.Verdict.FLAT, s.verdict(16));
    }

    @Test
    void noiseWithoutTrendIsFlatBecauseTheIntervalIncludesZero() {
        // Given threads swinging by +-3 around 40, a trend far too steep for the bound if it were real
        Slope s = Slope.fit(times(), series(40, 0, 3));
        // Then the interval straddles 0 and the verdict is FLAT on that alone
        assertTrue(s.low() < 0 && s.high() > 0, s.toString());
        assertEquals(Slope.Verdict.FLAT, s.verdict(0.001));
    }

    @Test
    void steadyGrowthGrows() {
        // Given 1 fd more every 10 s (8,640 a day) with +-2 of noise, against a bound of 64 a day
        Slope s = Slope.fit(times(), series(100, 0.1, 2));
        // Then the interval excludes 0 and the projection is far over the bound
        assertTrue(s.low() > 0, s.toString());
        assertEquals(8640, s.perDay(), 200);
        assertEquals(Slope.Verdict.GROWS, s.verdict(64));
    }

    @Test
    void growthTooSlowToMatterInADayIsFlatByTheBound() {
        // Given a real but tiny growth: 1e-4 MiB/s = 8.6 MiB a day, with almost no noise
        Slope s = Slope.fit(times(), series(50, 1e-4, 1e-6));
        // Then the interval excludes 0, yet 8.6 < 64 MiB a day: FLAT
        assertTrue(s.low() > 0, s.toString());
        assertEquals(Slope.Verdict.FLAT, s.verdict(64));
        // and against a tighter bound the same series GROWS
        assertEquals(Slope.Verdict.GROWS, s.verdict(5));
    }

    @Test
    void aFallingSeriesFallsAndIsNoLeak() {
        Slope s = Slope.fit(times(), series(500, -0.5, 1));
        assertEquals(Slope.Verdict.FALLS, s.verdict(64));
    }

    @Test
    void missingSamplesAreSkippedAndTooFewPointsAreUnknown() {
        double[] y = series(10, 0.01, 0);
        y[3] = Double.NaN;
        Slope s = Slope.fit(times(), y);
        assertEquals(N - 1, s.points());
        assertEquals(0.01, s.slope(), 1e-9);

        Slope two = Slope.fit(new double[]{0, 10, 20}, new double[]{1, Double.NaN, 2});
        assertEquals(Slope.Verdict.UNKNOWN, two.verdict(1));
        assertThrows(IllegalArgumentException.class, () -> Slope.fit(new double[]{0, 1}, new double[]{1}));
    }

    @Test
    void tQuantilesMatchTheTables() {
        // Student's t, 97.5% quantile, from the printed tables
        double[][] table = {{5, 2.571}, {10, 2.228}, {28, 2.048}, {30, 2.042}, {120, 1.980}};
        for (double[] row : table) {
            assertEquals(row[1], Slope.tQuantile975((int) row[0]), 0.005, "df " + (int) row[0]);
        }
        assertEquals(3.182, Slope.tQuantile975(3), 0.03);
        assertEquals(4.303, Slope.tQuantile975(2), 0.15);
        assertEquals(12.706, Slope.tQuantile975(1), 1e-9);
    }
}
