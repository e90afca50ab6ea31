package frl.experiment.plan;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunPlanTest {
    private static final List<String> CONFIGS = List.of("A", "B", "C", "D", "E", "F");

    @Test
    void everyRoundPlaysEveryCellOnceAndRepetitionsNeverBunch() {
        List<RunSpec> plan = RunPlan.interleaved(CONFIGS, List.of(0.5, 0.85), 3, Scenario.PAYMENT_ERRORS, 200, 42, 30);

        assertEquals(36, plan.size());
        for (int round = 0; round < 3; round++) {
            Set<String> cells = new HashSet<>();
            for (RunSpec s : plan.subList(round * 12, round * 12 + 12)) {
                assertEquals(round + 1, s.rep());
                cells.add(s.config() + s.loadFraction());
            }
            assertEquals(12, cells.size(), "round " + round + " holds every (config, load) once");
        }
        for (int i = 0; i < plan.size(); i++) {
            assertEquals(i, plan.get(i).index());
            assertEquals(plan.get(i).loadFraction() * 200, plan.get(i).rate(), 1e-9);
        }
    }

    @Test
    void theSameSeedGivesTheSamePlanAndConfigsShareTheirCellsSchedule() {
        List<RunSpec> a = RunPlan.interleaved(CONFIGS, List.of(0.5, 0.85), 2, Scenario.NONE, 100, 7, 30);
        assertEquals(a, RunPlan.interleaved(CONFIGS, List.of(0.5, 0.85), 2, Scenario.NONE, 100, 7, 30));
        assertNotEquals(a, RunPlan.interleaved(CONFIGS, List.of(0.5, 0.85), 2, Scenario.NONE, 100, 8, 30));

        // common random numbers: one schedule seed per (rep, load), different across reps and loads
        Set<Long> seeds = new HashSet<>();
        for (RunSpec s : a) {
            long expected = a.stream().filter(o -> o.rep() == s.rep() && o.loadFraction() == s.loadFraction())
                    .findFirst().orElseThrow().scheduleSeed();
            assertEquals(expected, s.scheduleSeed());
            seeds.add(s.scheduleSeed());
        }
        assertEquals(4, seeds.size());
        assertTrue(a.subList(0, 12).stream().map(RunSpec::config).distinct().count() == 6);
    }

    @Test
    void triggerLengthsAreCellsOfTheirOwnAndShareTheirRepetitionsSchedule() {
        List<RunSpec> plan = RunPlan.interleaved(List.of("A", "F"), List.of(0.85), List.of(6, 8, 10, 12), 2,
                Scenario.RETRY_STORM, 80, 42);

        assertEquals(2 * 4 * 2, plan.size());
        for (int round = 0; round < 2; round++) {
            Set<String> cells = new HashSet<>();
            plan.subList(round * 8, round * 8 + 8).forEach(s -> cells.add(s.cell()));
            assertEquals(8, cells.size(), "every (config, trigger) once per round");
        }
        for (RunSpec s : plan) {
            assertEquals(plan.stream().filter(o -> o.rep() == s.rep()).findFirst().orElseThrow().scheduleSeed(), s.scheduleSeed(),
                    "one schedule per repetition, whatever the config or trigger");
            assertEquals(s.faultSeconds(), s.phases(Profile.QUICK.phases).fault());
        }
        assertNotEquals(plan.get(0).scheduleSeed(), plan.get(8).scheduleSeed(), "repetitions differ");
    }
}
