package frl.experiment;

import frl.experiment.plan.Phases;
import frl.experiment.plan.Profile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExperimentOptionsTest {
    private static ExperimentOptions parse(String... argv) {
        return ExperimentOptions.parse(argv);
    }

    @Test
    void defaultsComeFromTheProfileAndTheScenario() {
        ExperimentOptions o = parse("--scenario", "payment_errors");

        assertEquals(Profile.STANDARD, o.profile());
        assertEquals(List.of(0.5, 0.85), o.loads());
        assertEquals(1, o.reps());
        assertEquals(42, o.seed());
        assertEquals(Profile.STANDARD.phases, o.phases());
        assertEquals(Profile.STANDARD.configs, o.configs());
        assertNull(o.capacity(), "calibrate unless told the capacity");
        assertEquals(0, o.policy().resends());
        assertEquals("{\"error_rate\": 0.2}", o.chaosJson());
    }

    @Test
    void retryStormRunsAtTheHighLoadForTenSecondsWithHuangsClients() {
        ExperimentOptions o = parse("--scenario", "retry_storm", "--profile", "quick", "--load", "0.5,0.85");

        assertEquals(List.of(0.85), o.loads());
        assertEquals(10, o.phases().fault());
        assertEquals(4, o.policy().resends());
        assertEquals("{\"slots\": 2}", o.chaosJson(), "a capacity drop, as in Huang's reproduction");
        assertEquals(Duration.ofSeconds(3), o.policy().timeout());
    }

    @Test
    void overridesAreTaken() {
        ExperimentOptions o = parse("--scenario=none", "--profile", "paper", "--reps", "3", "--seed", "9",
                "--phases", "1,2,3,4,5", "--configs", "A,F", "--capacity", "120", "--client-timeout-ms", "2000",
                "--client-resends", "2", "--slo-p99-ms", "500", "--no-deadline-header", "--chaos", "{\"slots\": 2}");

        assertEquals(new Phases(1, 2, 3, 4, 5), o.phases());
        assertEquals(List.of("A", "F"), o.configs());
        assertEquals(120.0, o.capacity());
        assertEquals(Duration.ofSeconds(2), o.policy().timeout());
        assertEquals(2, o.policy().resends());
        assertEquals(500, o.rule().sloP99Ms());
        assertEquals(false, o.policy().deadlineHeader());
        assertEquals(3, o.reps());
    }

    @Test
    void durationScalesTheProfilesPhases() {
        ExperimentOptions o = parse("--scenario", "payment_slow", "--duration", "140s");
        assertEquals(140, o.phases().end(), 2);
        assertEquals(Profile.STANDARD.phases.drain(), o.phases().drain());
    }

    @Test
    void mistakesAreRefusedQuotingTheBadValue() {
        for (String[] bad : List.of(new String[]{"--scenario", "payment_erors"}, new String[]{"--scenario", "none", "--load", "x"},
                new String[]{"--scenario", "none", "--configs", "A,H"}, new String[]{"--scenario", "none", "--reps", "0"},
                new String[]{"--scenario", "none", "--frobnicate", "1"}, new String[]{"--profile", "quick"})) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(bad));
            assertTrue(e.getMessage().length() > 10, e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--scenario", "none", "--configs", "A,H"))
                .getMessage().contains("H"));
    }

    @Test
    void thePaperProfileIsFourConfigsAtOneLoadWithFivePairedRepetitions() {
        ExperimentOptions o = parse("--scenario", "payment_errors", "--profile", "paper");

        assertEquals(List.of("A", "B", "D", "F"), o.configs());
        assertEquals(List.of(0.85), o.loads());
        assertEquals(5, o.reps());
        assertEquals(List.of("A", "F"), parse("--scenario", "payment_errors", "--profile", "paper", "--configs", "A,F").configs(),
                "CONFIGS overrides the profile's");
        // and its ETA, printed before anything runs, fits a working session
        assertTrue(ExperimentMain.eta(o).startsWith("ETA about "), ExperimentMain.eta(o));
        long minutes = Long.parseLong(ExperimentMain.eta(o).replaceAll("ETA about (\\d+) min.*", "$1"));
        assertTrue(minutes <= 60, ExperimentMain.eta(o));
    }

    @Test
    void triggerSweepsTheFaultLengthAndGatesHaveNamedLevers() {
        ExperimentOptions o = parse("--scenario", "retry_storm", "--trigger", "6,8,10,12", "--warmup-bound", "0",
                "--invalid-retries", "1", "--drain-bound", "60s", "--baseline-gate", "0.98", "--calibration-passes", "5");

        assertEquals(List.of(6, 8, 10, 12), o.faults());
        assertEquals(6, o.phases().fault());
        assertEquals(0, o.settings().warmupBoundSeconds());
        assertEquals(1, o.settings().invalidRetries());
        assertEquals(Duration.ofSeconds(60), o.settings().drainBound());
        assertEquals(0.98, o.rule().minBaselineSuccess());
        assertEquals(5, o.calibrationPasses());
        assertEquals(List.of(10), parse("--scenario", "retry_storm").faults(), "without --trigger: the scenario's one length");
        assertEquals(Profile.STANDARD.warmupBoundSeconds, parse("--scenario", "none").settings().warmupBoundSeconds());
        for (String bad : List.of("6,x", "0", "7.5")) {
            assertThrows(IllegalArgumentException.class, () -> parse("--scenario", "retry_storm", "--trigger", bad), bad);
        }
    }
}
