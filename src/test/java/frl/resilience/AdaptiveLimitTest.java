package frl.resilience;

import frl.resilience.AdaptiveLimit.Config;
import frl.resilience.AdaptiveLimit.Estimate;
import frl.resilience.AdaptiveLimit.Sample;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The limit's rule alone, as a pure function: a table worked out by hand from the header's
 * formulas, the two trajectories the issue asks for, and properties over any sample.
 */
class AdaptiveLimitTest {
    static final long MS = 1_000_000L;
    static final String SEED = "20251126";
    static final Config DEFAULTS = Config.defaults(); // 4..400, from 20, target 0.5, smoothing 0.1

    static Sample sample(long rttMs, long budgetMs, int inFlight, boolean timedOut) {
        return new Sample(rttMs * MS, budgetMs * MS, inFlight, timedOut);
    }

    @ParameterizedTest(name = "limit {0}, used {1}: {2} of {3} ms, n={4}, timed out {5} -> limit {6}, used {7}")
    @CsvSource(textBlock = """
            # limit, used, rtt, budget, n,  timedOut, limit', used'
            # well inside the target: one more
            20,      0.0,  100,  1000,  5,  false,    21,     0.01
            400,     0.0,  100,  1000,  5,  false,    400,    0.01
            # exactly at the target is not above it: one more
            20,      0.5,  500,  1000,  20, false,    21,     0.5
            # above it: n * 0.5 / 0.6, from what was in flight, never above the limit
            100,     0.6,  600,  1000,  80, false,    66.66666666666667, 0.6
            30,      0.6,  600,  1000,  80, false,    30,     0.6
            # one slow call moves the average a tenth of the way: 0.1 + 0.1 * (0.9 - 0.1) = 0.18
            100,     0.1,  900,  1000,  80, false,    101,    0.18
            # a timeout cuts at once to n * 0.5, whatever the average says
            100,     0.1,  1000, 1000,  60, true,     30,     0.19
            10,      0.1,  1000, 1000,  4,  true,     4,      0.19
            # a call that outlived its budget counts as using all of it: 0.5 + 0.1 * 0.5 = 0.55
            50,      0.5,  5000, 1000,  50, false,    45.45454545454545, 0.55
            """)
    void theRule(double limit, double used, long rttMs, long budgetMs, int n, boolean timedOut, double limit2, double used2) {
        Estimate next = AdaptiveLimit.next(new Estimate(limit, used), sample(rttMs, budgetMs, n, timedOut), DEFAULTS);
        assertEquals(limit2, next.limit(), 1e-9);
        assertEquals(used2, next.used(), 1e-9);
    }

    @Test
    void underSteadyLatencyWithinTheTargetTheLimitGrowsByOnePerCallUpToItsCeiling() {
        // Given a fresh limit (20), and calls that take 100 ms of a 3 s budget, the limit fully used
        Estimate e = AdaptiveLimit.initial(DEFAULTS);
        assertEquals(20, e.permits());
        for (int i = 0; i < 100; i++) {
            e = AdaptiveLimit.next(e, sample(100, 3000, e.permits(), false), DEFAULTS);
        }
        // Then each call added one
        assertEquals(120, e.permits());
        // And however long it goes on, the ceiling holds
        for (int i = 0; i < 1000; i++) {
            e = AdaptiveLimit.next(e, sample(100, 3000, e.permits(), false), DEFAULTS);
        }
        assertEquals(400, e.permits());
    }

    @Test
    void whenLatencyRisesPastTheTargetTheLimitShrinksTowardWhatWouldMeetIt() {
        // Given a limit at its ceiling with 60 calls in flight, latency rising 100 ms per call
        Estimate e = new Estimate(400, 0.0);
        long rtt = 0;
        while (e.used() <= 0.5) {
            rtt += 100;
            e = AdaptiveLimit.next(e, sample(rtt, 3000, 60, false), DEFAULTS);
            // Then while the average stays within half the budget the limit does not shrink
            assertTrue(e.permits() >= 400 || e.used() > 0.5, "shrank early at rtt " + rtt);
        }
        // When the average first passes half the budget, Then the limit falls below the 60 in flight
        assertEquals(60 * 0.5 / e.used(), e.limit(), 1e-9);
        assertTrue(e.permits() < 60);
        // And it keeps falling while calls stay that slow, to the floor and no further
        for (int i = 0; i < 100; i++) {
            e = AdaptiveLimit.next(e, sample(rtt, 3000, e.permits(), false), DEFAULTS);
        }
        assertEquals(4, e.permits());
        // When latency falls back, Then the limit grows again once the average is within the target
        for (int i = 0; i < 30; i++) {
            e = AdaptiveLimit.next(e, sample(100, 3000, e.permits(), false), DEFAULTS);
        }
        assertTrue(e.permits() > 4 && e.used() <= 0.5, e.toString());
    }

    @Test
    void configAndSamplesAreValidatedQuotingTheBadValue() {
        assertEquals("adaptive limit minLimit must be at least 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> new Config(0, 20, 400, 0.5, 0.1)).getMessage());
        assertEquals("adaptive limit maxLimit must be at least minLimit 4, was 3",
                assertThrows(IllegalArgumentException.class, () -> new Config(4, 4, 3, 0.5, 0.1)).getMessage());
        assertEquals("adaptive limit initialLimit must be within [4, 400], was 401",
                assertThrows(IllegalArgumentException.class, () -> new Config(4, 401, 400, 0.5, 0.1)).getMessage());
        assertEquals("adaptive limit target must be a share of the budget within (0, 1), was 1.0",
                assertThrows(IllegalArgumentException.class, () -> new Config(4, 20, 400, 1.0, 0.1)).getMessage());
        assertEquals("adaptive limit smoothing must be within (0, 1], was NaN",
                assertThrows(IllegalArgumentException.class, () -> new Config(4, 20, 400, 0.5, Double.NaN)).getMessage());
        assertEquals("sample needs rtt >= 0, budget > 0, inFlight >= 1; was 5 ns, 0 ns, 1",
                assertThrows(IllegalArgumentException.class, () -> new Sample(5, 0, 1, false)).getMessage());
        assertEquals(new Config(4, 20, 400, 0.5, 0.1), DEFAULTS);
    }

    // ---- properties: whatever the sample, the rule keeps its promises ----

    @Property(seed = SEED)
    void theLimitStaysWithinItsBoundsAndGrowsOnlyWhenThePressureIsWithinTheTarget(
            @ForAll @DoubleRange(min = 4, max = 400) double limit,
            @ForAll @DoubleRange(min = 0, max = 1) double used,
            @ForAll @LongRange(min = 0, max = 20_000) long rttMs,
            @ForAll @LongRange(min = 1, max = 10_000) long budgetMs,
            @ForAll @IntRange(min = 1, max = 1000) int inFlight,
            @ForAll boolean timedOut) {
        Estimate e = AdaptiveLimit.next(new Estimate(limit, used), sample(rttMs, budgetMs, inFlight, timedOut), DEFAULTS);
        assertTrue(e.limit() >= 4 && e.limit() <= 400, e.toString());
        assertTrue(e.used() >= 0 && e.used() <= 1, e.toString());
        double pressure = timedOut ? 1 : e.used();
        if (pressure > DEFAULTS.target()) {
            // shrinking never goes above the limit, nor above what the sample saw scaled to the target
            assertTrue(e.limit() <= limit, e.toString());
            assertTrue(e.limit() <= Math.max(4, inFlight * DEFAULTS.target() / pressure) + 1e-9, e.toString());
        } else {
            assertEquals(Math.min(400, limit + 1), e.limit(), 1e-9);
        }
    }

    @Property(seed = SEED)
    void aTimeoutNeverLeavesMoreThanHalfOfWhatWasInFlight(
            @ForAll @DoubleRange(min = 4, max = 400) double limit,
            @ForAll @IntRange(min = 8, max = 1000) int inFlight) {
        Estimate e = AdaptiveLimit.next(new Estimate(limit, 0), sample(3000, 3000, inFlight, true), DEFAULTS);
        assertTrue(e.limit() <= inFlight / 2.0 + 1e-9, e.toString());
    }
}
