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
        assertEquals(ExperimentOptions.ALL_CONFIGS, o.configs());
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
                new String[]{"--scenario", "none", "--configs", "A,G"}, new String[]{"--scenario", "none", "--reps", "0"},
                new String[]{"--scenario", "none", "--frobnicate", "1"}, new String[]{"--profile", "quick"})) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(bad));
            assertTrue(e.getMessage().length() > 10, e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--scenario", "none", "--configs", "A,G"))
                .getMessage().contains("G"));
    }
}
