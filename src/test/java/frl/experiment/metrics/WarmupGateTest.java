package frl.experiment.metrics;

import frl.experiment.load.BinStats;
import frl.experiment.load.Outcome;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The warm-up gate on fixture warm-ups: 50 arrivals per second, latency and success as each test says. */
class WarmupGateTest {
    private final WarmupGate gate = WarmupGate.of(MttrRule.defaults());

    private static BinStats second(int k, int ok, long latencyMicros) {
        return BinStats.synthetic(k, 50, ok, 50 - ok, latencyMicros);
    }

    /** A second whose arrivals are not all answered yet. */
    private static BinStats unfinished(int k) {
        long[] by = new long[Outcome.values().length];
        by[Outcome.SUCCESS.ordinal()] = 20;
        Histogram h = new Histogram(3);
        h.recordValueWithCount(40_000, 20);
        return new BinStats(k, 50, 50, by, 50, h, h.copy());
    }

    @Test
    void aColdStackWhoseLatencyIsStillFallingIsNotWarm() {
        // Given 12 finished seconds, all served, p99 falling from 400 ms to 100 ms as the JIT compiles
        List<BinStats> bins = new ArrayList<>();
        for (int k = 0; k < 12; k++) {
            bins.add(second(k, 50, 400_000 - k * 27_000L));
        }

        WarmupGate.Verdict v = gate.check(bins);

        assertFalse(v.warm());
        assertTrue(v.detail().endsWith("p99 not steady"), v.detail());
        assertEquals(1.0, v.success());
    }

    @Test
    void steadyFullySuccessfulSecondsAreWarm() {
        List<BinStats> bins = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            bins.add(second(k, 50, 40_000 + (k % 3) * 4_000L)); // 40..48 ms: noise within the 20 ms floor
        }

        WarmupGate.Verdict v = gate.check(bins);

        assertTrue(v.warm(), v.detail());
        assertEquals(10, v.finishedSeconds());
    }

    @Test
    void failuresOrAnSloBreachKeepItCold() {
        List<BinStats> failing = new ArrayList<>(), slow = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            failing.add(second(k, k == 4 ? 40 : 50, 40_000)); // 10 of 500 failed: 98%
            slow.add(second(k, 50, 1_200_000));
        }

        assertFalse(gate.check(failing).warm());
        assertTrue(gate.check(failing).detail().endsWith("success below 99%"));
        assertFalse(gate.check(slow).warm());
        assertTrue(gate.check(slow).detail().endsWith("p99 above the SLO"));
    }

    @Test
    void onlyFinishedSecondsAreJudged() {
        // Given 10 good seconds, but the 4th is still waiting for answers: only 3 count
        List<BinStats> bins = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            bins.add(k == 3 ? unfinished(k) : second(k, 50, 40_000));
        }

        WarmupGate.Verdict v = gate.check(bins);

        assertFalse(v.warm());
        assertEquals(3, v.finishedSeconds());
        assertEquals("3 of 10 s finished", v.detail());
    }
}
