package frl.fault;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The baseline gate's rule: which probe and pre-fault successes make a case's recovery mean something. */
class CaseResultTest {
    @ParameterizedTest(name = "probe {0}, before the fault {1} -> valid {2}")
    @CsvSource({
            "1.0, 0.99, true",
            "0.95, 0.90, true",    // both exactly at their thresholds
            "0.949, 0.99, false",  // the probe short of the gate: the stack was still broken
            "1.0, 0.899, false",   // passed the probe, then sagged under the case's own load
            "1.0, 0.0, false",     // the Redis case of the busy run: a "0 s" recovery to nothing
            "0.166, 0.166, false", // PostgreSQL (orders)' in the same run
            "NaN, 1.0, false",     // no probe arrivals: nothing shown, nothing valid
            "1.0, NaN, false"})
    void aBaselineIsValidWhenTheProbeReachesTheGateAndTheLoadBeforeTheFaultTheFloor(double probe, double baseline, boolean valid) {
        assertEquals(valid, CaseResult.baselineValid(probe, baseline));
    }
}
