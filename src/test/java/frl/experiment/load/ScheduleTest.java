package frl.experiment.load;

import frl.experiment.metrics.Stats;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleTest {

    private static long[] offsets(Schedule s) {
        long[] o = new long[s.size()];
        for (int i = 0; i < o.length; i++) {
            o[i] = s.offsetNanos(i);
        }
        return o;
    }

    @Test
    void sameSeedGivesTheSameScheduleAndAnotherSeedAnother() {
        Schedule a = Schedule.poisson(150, Duration.ofSeconds(20), 7);
        Schedule b = Schedule.poisson(150, Duration.ofSeconds(20), 7);
        Schedule c = Schedule.poisson(150, Duration.ofSeconds(20), 8);

        assertArrayEquals(offsets(a), offsets(b));
        assertFalse(Arrays.equals(offsets(a), offsets(c)));
    }

    @Test
    void firstArrivalsOfSeed42AreFixedForEver() {
        // java.util.Random's algorithm is specified, so these numbers hold on every JDK: a changed
        // number here means results made before the change can no longer be regenerated.
        Schedule s = Schedule.poisson(100, Duration.ofSeconds(1), 42);
        assertArrayEquals(new long[]{13_003_503, 24_499_090, 28_191_186}, Arrays.copyOf(offsets(s), 3));
    }

    @Test
    void meanRateIsWithinToleranceAndGapsLookExponential() {
        // Given 200/s for 60 s: about 12,000 arrivals, standard deviation about 110 (0.9%)
        Schedule s = Schedule.poisson(200, Duration.ofSeconds(60), 1234);

        assertEquals(200 * 60, s.size(), 200 * 60 * 0.05, "count within 5% of rate x duration");
        double[] gaps = new double[s.size() - 1];
        for (int i = 1; i < s.size(); i++) {
            gaps[i - 1] = (s.offsetNanos(i) - s.offsetNanos(i - 1)) / 1e9;
        }
        double mean = Stats.mean(gaps);
        double variance = Arrays.stream(gaps).map(g -> (g - mean) * (g - mean)).sum() / gaps.length;
        assertEquals(1.0 / 200, mean, 0.05 / 200, "mean gap 1/rate");
        assertEquals(1.0, Math.sqrt(variance) / mean, 0.05, "coefficient of variation 1: exponential, not evenly spaced");
    }

    @Test
    void offsetsAscendWithinTheDurationAndCountsAgree() {
        Schedule s = Schedule.poisson(50, Duration.ofSeconds(10), 3);

        for (int i = 0; i < s.size(); i++) {
            assertTrue(s.offsetNanos(i) >= 0 && s.offsetNanos(i) < 10_000_000_000L);
            assertTrue(i == 0 || s.offsetNanos(i) >= s.offsetNanos(i - 1));
        }
        int[] perSecond = s.perSecond();
        assertEquals(10, perSecond.length);
        assertEquals(s.size(), Arrays.stream(perSecond).sum());
        for (int k = 0; k < 10; k++) {
            assertEquals(perSecond[k], s.countBetween(k * 1_000_000_000L, (k + 1) * 1_000_000_000L));
        }
    }

    @Test
    void badArgumentsAreRefusedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Schedule.poisson(-1, Duration.ofSeconds(1), 1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Schedule.poisson(10, Duration.ZERO, 1));
        assertThrows(IllegalArgumentException.class, () -> Schedule.fixed(new long[]{5, 3}, Duration.ofSeconds(1)));
    }
}
