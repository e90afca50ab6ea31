package frl.experiment.metrics;

import frl.experiment.load.BinStats;
import frl.experiment.load.Outcome;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MTTR rule on synthetic runs: baseline seconds 0..9 at 100 successes/s (50 ms), a fault in
 * seconds 10..19 (every arrival times out at 3 s), removed at second 20; then whatever each test
 * says. Default rule: 10 s rolling window, 95% of baseline, p99 <= 1000 ms, held 30 s.
 */
class MttrRuleTest {
    private static final int FAULT_END = 20;
    private final MttrRule rule = MttrRule.defaults();

    /** A second with {@code ok} successes at {@code okMs} and {@code bad} failures at {@code badMs}. */
    private static BinStats bin(int second, int ok, double okMs, int bad, double badMs) {
        long[] by = new long[Outcome.values().length];
        by[Outcome.SUCCESS.ordinal()] = ok;
        by[Outcome.TIMEOUT.ordinal()] = bad;
        Histogram all = new Histogram(3), okHist = new Histogram(3);
        if (ok > 0) {
            all.recordValueWithCount((long) (okMs * 1000), ok);
            okHist.recordValueWithCount((long) (okMs * 1000), ok);
        }
        if (bad > 0) {
            all.recordValueWithCount((long) (badMs * 1000), bad);
        }
        return new BinStats(second, ok + bad, ok + bad, by, ok + bad, all, okHist);
    }

    private static BinStats good(int s) {
        return bin(s, 100, 50, 0, 0);
    }

    private static BinStats faulty(int s) {
        return bin(s, 0, 0, 100, 3000);
    }

    /** Baseline and fault, then seconds 20..end-1 good except those listed as bad. */
    private static List<BinStats> run(int end, int firstGood, int... badAfter) {
        List<BinStats> bins = new ArrayList<>();
        for (int s = 0; s < end; s++) {
            boolean bad = s >= 10 && s < firstGood;
            for (int b : badAfter) {
                bad |= s == b;
            }
            bins.add(bad ? faulty(s) : good(s));
        }
        return bins;
    }

    @Test
    void recoversWhenTheRollingWindowIsCleanAndHoldsFor30s() {
        // Given good seconds from 25 on: the first clean 10 s window ends at second 34
        List<BinStats> bins = run(80, 25);

        Recovery r = rule.evaluate(bins, 1.0, FAULT_END, 80);

        // Then MTTR = end of second 34 - fault removal at 20 = 15 s
        assertEquals(Recovery.Status.RECOVERED, r.status());
        assertEquals(15, r.seconds());
    }

    @Test
    void neverRecoversWhenGoodputStaysLow() {
        // Given half the arrivals time out for ever after the fault (metastable)
        List<BinStats> bins = new ArrayList<>(run(20, 20));
        for (int s = 20; s < 80; s++) {
            bins.add(bin(s, 50, 50, 50, 3000));
        }

        Recovery r = rule.evaluate(bins, 1.0, FAULT_END, 80);

        assertEquals(Recovery.Status.DID_NOT_RECOVER, r.status());
        assertEquals("did not recover in 60 s", r.toString(), "the window it was judged in is part of the verdict");
    }

    @Test
    void aRelapseBefore30sRestartsTheClock() {
        // Given good from 25, a relapse in seconds 50..52 (16 s into the hold), good again from 53
        List<BinStats> bins = run(100, 25, 50, 51, 52);

        // Then the first stretch does not count; the next clean window ends at 62: MTTR = 63 - 20
        Recovery r = rule.evaluate(bins, 1.0, FAULT_END, 100);
        assertEquals(Recovery.Status.RECOVERED, r.status());
        assertEquals(43, r.seconds());

        // and with the window ending at 80 there is no room for a 30 s hold after the relapse
        assertEquals(Recovery.Status.DID_NOT_RECOVER, rule.evaluate(bins.subList(0, 80), 1.0, FAULT_END, 80).status());
    }

    @Test
    void goodputAlonePassesNotWhileP99BreaksTheSlo() {
        // Given full goodput after the fault, but every request takes 1.5 s
        List<BinStats> bins = new ArrayList<>(run(20, 20));
        for (int s = 20; s < 80; s++) {
            bins.add(bin(s, 100, 1500, 0, 0));
        }

        assertEquals(Recovery.Status.DID_NOT_RECOVER, rule.evaluate(bins, 1.0, FAULT_END, 80).status());
        assertEquals(Recovery.Status.RECOVERED, rule.withSlo(2000).evaluate(bins, 1.0, FAULT_END, 80).status());
    }

    @Test
    void exactly95PercentOfBaselineCounts() {
        // Given 95 successes and 5 fast failures per second after the fault
        List<BinStats> bins = new ArrayList<>(run(20, 20));
        for (int s = 20; s < 80; s++) {
            bins.add(bin(s, 95, 50, 5, 10));
        }

        Recovery r = rule.evaluate(bins, 1.0, FAULT_END, 80);

        // Then the first window of post-fault seconds only (20..29) ends at 29: MTTR 10 s
        assertEquals(Recovery.Status.RECOVERED, r.status());
        assertEquals(10, r.seconds());
    }

    @Test
    void noVerdictWithoutRoomForTheHoldOrWithoutABaseline() {
        List<BinStats> bins = run(45, 20);

        assertEquals(Recovery.Status.WINDOW_TOO_SHORT, rule.evaluate(bins, 1.0, FAULT_END, 45).status());
        assertEquals(Recovery.Status.NO_BASELINE, rule.evaluate(run(80, 20), 0, FAULT_END, 80).status());
    }

    @Test
    void arrivalNoiseAloneIsNotAFailureToRecover() {
        // Regression: Poisson arrivals make a 10 s window's count swing by several percent. Given a
        // run that loses nothing after the fault, with scheduled arrivals alternating 80 and 120 per
        // second after a baseline that happened to see 120 per second...
        List<BinStats> bins = new ArrayList<>();
        for (int s = 0; s < 80; s++) {
            long scheduled = s < 10 ? 120 : (s % 2 == 0 ? 80 : 120);
            boolean fault = s >= 10 && s < 20;
            bins.add(BinStats.synthetic(s, scheduled, fault ? 0 : scheduled, fault ? scheduled : 0, fault ? 3_000_000 : 50_000));
        }
        // ...then every success counts against what was offered, and it recovers as soon as the
        // rolling window has left the fault (a goodput-per-second rule would demand 114/s and never see it)
        Recovery r = rule.evaluate(bins, 1.0, FAULT_END, 80);
        assertEquals(Recovery.Status.RECOVERED, r.status(), r.toString());
        assertEquals(10, r.seconds());
    }

    @Test
    void aBaselineBelowTheGateGetsNoVerdict() {
        // Given a run that "recovers" after the fault, but whose baseline served only 4 of 609
        // arrivals (a breaker already open from a cold start): 95% of that is no bar at all
        List<BinStats> bins = run(80, 25);

        Recovery r = rule.evaluate(bins, 4.0 / 609, FAULT_END, 80);

        assertEquals(Recovery.Status.INVALID_BASELINE, r.status());
        assertTrue(Double.isNaN(r.seconds()));
        assertEquals(Recovery.Status.RECOVERED, rule.evaluate(bins, 0.99, FAULT_END, 80).status(), "99% passes the gate");
        assertEquals(Recovery.Status.INVALID_BASELINE, rule.evaluate(bins, 0.989, FAULT_END, 80).status());
    }

    @Test
    void aRunThatDidNotRecoverIsCensoredAtTheLongestMeasurableMttr() {
        List<BinStats> bins = new ArrayList<>(run(20, 20));
        for (int s = 20; s < 80; s++) {
            bins.add(bin(s, 50, 50, 50, 3000));
        }

        Recovery r = rule.evaluate(bins, 1.0, FAULT_END, 80);

        // Then with a 60 s window and a 30 s hold, the latest possible recovery is at 31 s
        assertEquals(Recovery.Status.DID_NOT_RECOVER, r.status());
        assertEquals(31, r.censoredAt());
        assertEquals(31, rule.longestMeasurable(60));
        assertTrue(Double.isNaN(rule.evaluate(run(80, 25), 1.0, FAULT_END, 80).censoredAt()), "a recovery is not censored");
    }
}
