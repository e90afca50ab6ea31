package frl.experiment.metrics;

import frl.experiment.load.BinStats;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The valid-baseline gate on fixture baselines: 10 s at 100 arrivals/s. */
class ValidityTest {
    private static WindowStats baseline(int okPerSecond, long latencyMicros) {
        List<BinStats> bins = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            bins.add(BinStats.synthetic(k, 100, okPerSecond, 100 - okPerSecond, latencyMicros));
        }
        return WindowStats.of(bins, 0, 10);
    }

    @Test
    void aBaselineThatServedTooLittleIsInvalidAndSaysHowMuch() {
        Validity v = Validity.of(baseline(97, 50_000), MttrRule.defaults());

        assertFalse(v.valid());
        assertTrue(v.successFailed());
        assertEquals(0.97, v.baselineSuccess(), 1e-12);
        assertEquals("invalid: baseline 97.0%", v.reason());
    }

    @Test
    void aSlowBaselineIsInvalidToo() {
        Validity v = Validity.of(baseline(100, 1_500_000), MttrRule.defaults());

        assertFalse(v.valid());
        assertFalse(v.successFailed());
        assertEquals("invalid: baseline p99 1500 ms > SLO 1000 ms", v.reason());
        assertTrue(Validity.of(baseline(100, 1_500_000), MttrRule.defaults().withSlo(2000)).valid(), "the SLO is the lever");
    }

    @Test
    void ninetyNinePercentWithinTheSloIsValid() {
        Validity v = Validity.of(baseline(99, 50_000), MttrRule.defaults());

        assertTrue(v.valid());
        assertEquals("valid", v.reason());
        assertFalse(Validity.of(baseline(99, 50_000), MttrRule.defaults().withMinBaselineSuccess(0.995)).valid());
    }
}
