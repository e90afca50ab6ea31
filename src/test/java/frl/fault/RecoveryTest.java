package frl.fault;

import frl.experiment.load.BinStats;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The recovery rule on hand-made bins: 10 arrivals a second, the fault on during seconds 10..14. */
class RecoveryTest {
    /** Bins 0..n-1 with {@code ok[s]} of 10 arrivals confirmed in second s. */
    private static List<BinStats> bins(int... ok) {
        List<BinStats> b = new ArrayList<>();
        for (int s = 0; s < ok.length; s++) {
            b.add(BinStats.synthetic(s, 10, ok[s], 10 - ok[s], 1000));
        }
        return b;
    }

    @Test
    void recoveryIsTheFirstWindowAtNinetyFivePercentOfTheBaselineAfterTheFaultsEnd() {
        // Given a perfect baseline, nothing during the fault, 3 slow seconds after it, then all good
        List<BinStats> b = bins(10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 0, 0, 0, 0, 0, 2, 5, 9, 10, 10, 10, 10, 10, 10, 10);

        // Then: baseline 100%, 0% during the fault, and the first whole window at >= 95% starts at
        // second 17 (9+10+10+10+10 of 50 = 98%), 2 s after the fault's end; the one at 16 holds 88%
        assertEquals(1.0, Recovery.baseline(b, 10));
        assertEquals(0.0, Recovery.success(b, 10, 15));
        assertEquals(0.88, Recovery.success(b, 16, 21), 1e-9);
        assertEquals(OptionalInt.of(2), Recovery.seconds(b, 10, 15));
    }

    @Test
    void theTargetIsRelativeToTheBaselineNotAbsolute() {
        // Given a baseline of 80% (8 of 10) and 8 of 10 again right after the fault
        List<BinStats> b = bins(8, 8, 8, 8, 8, 8, 8, 8, 0, 0, 8, 8, 8, 8, 8);

        // Then service is back as soon as the fault ends: 80% >= 0.95 x 80%
        assertEquals(OptionalInt.of(0), Recovery.seconds(b, 8, 10));
    }

    @Test
    void noWholeGoodWindowBeforeTheLoadEndsIsNotRecovered() {
        // Given the load ends 4 s after the fault, fewer than one window
        List<BinStats> b = bins(10, 10, 10, 10, 10, 10, 0, 0, 10, 10, 10, 10);

        assertEquals(OptionalInt.empty(), Recovery.seconds(b, 6, 8));
        // ... and one second more makes a whole window
        assertEquals(OptionalInt.of(0), Recovery.seconds(bins(10, 10, 10, 10, 10, 10, 0, 0, 10, 10, 10, 10, 10), 6, 8));
    }

    @Test
    void theCaseLengthsLeaveTheBaselineBeforeTheFaultAndTheRecoveryAfterIt() {
        java.time.Duration min = java.time.Duration.ofSeconds(60), before = java.time.Duration.ofSeconds(35);
        java.time.Duration after = java.time.Duration.ofSeconds(75);
        FaultCase redis = FaultCase.suite(java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(30)).get(7);
        assertEquals("Redis stopped 10 s", redis.name());
        // 35 s before, 10 s of outage, 75 s after: 120 s with the fault from 35 s to 45 s
        assertEquals(120, redis.loadSeconds(min, before, after));
        assertEquals(35, redis.faultStartSecond(min, before, after));
        // a kill has no outage: 110 s, killed at 35 s
        FaultCase kill = FaultCase.suite(java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(30)).get(0);
        assertEquals(110, kill.loadSeconds(min, before, after));
        assertEquals(35, kill.faultStartSecond(min, before, after));
        // a minimum longer than both sides lengthens the baseline, never the recovery's share
        assertEquals(200, kill.loadSeconds(java.time.Duration.ofSeconds(200), before, after));
        assertEquals(125, kill.faultStartSecond(java.time.Duration.ofSeconds(200), before, after));
    }
}
