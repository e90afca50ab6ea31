package frl.experiment.metrics;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cells over fixture runs ({@link TestRuns}): validity, Kaplan-Meier MTTR, paired differences. */
class CellSummaryTest {
    private static CellSummary cell(List<CellSummary> cells, String config) {
        return cells.stream().filter(c -> c.config().equals(config)).findFirst().orElseThrow();
    }

    @Test
    void differencesAgainstAArePairedByRepetition() {
        // Given five repetitions whose fault-window success swings from 50% to 90% with the
        // repetition, and B serving exactly 5 more arrivals per fault second than A in each
        List<RunResult> runs = new ArrayList<>();
        int[] level = {50, 90, 60, 80, 70};
        for (int rep = 1; rep <= 5; rep++) {
            runs.add(TestRuns.run("A", rep, 100, level[rep - 1], 22));
            runs.add(TestRuns.run("B", rep, 100, level[rep - 1] + 5, 22));
        }

        List<CellSummary> cells = CellSummary.of(runs, 42);

        // Then B - A is +0.05 with a zero-width interval, though each config alone spans 0.5..0.9
        Ci diff = cell(cells, "B").versus().get("success_fault");
        assertEquals(0.05, diff.estimate(), 1e-9);
        assertEquals(0.05, diff.low(), 1e-9);
        assertEquals(0.05, diff.high(), 1e-9);
        assertEquals(5, diff.n());
        assertTrue(cell(cells, "A").versus().isEmpty(), "A is the baseline");
        assertTrue(cell(cells, "B").metric("success_fault").high() - cell(cells, "B").metric("success_fault").low() > 0.1);
    }

    @Test
    void mttrOverRepetitionsIsTheKaplanMeierMedianWithCensoredRuns() {
        // Given 4 runs: recovered at 12 s and 14 s (first good second 22, 24 -> MTTR 12, 14 with the
        // 10 s window), and 2 that never recovered (censored at the 60 s window's longest MTTR, 31 s)
        List<RunResult> runs = List.of(TestRuns.run("A", 1, 100, 0, 22), TestRuns.run("A", 2, 100, 0, 24),
                TestRuns.run("A", 3, 100, 0, 99), TestRuns.run("A", 4, 100, 0, 99));

        CellSummary c = CellSummary.of(runs, 42).get(0);

        assertEquals(2, c.censored());
        assertEquals(0.5, c.notRecovered().estimate(), 1e-12);
        assertEquals(runs.get(1).recovery().seconds(), c.kmMedianMttr(), "S falls to 0.5 at the second recovery");
        assertTrue(c.mttrText().startsWith("KM median "), c.mttrText());
        assertTrue(c.mttrText().endsWith("(2 of 4 recovered)"), c.mttrText());
        assertFalse(Metric.byId("mttr_s").summarised(), "no mean over the recovered runs is offered");
    }

    @Test
    void aCellWithNoValidRunHasNoNumbersOnlyItsReason() {
        List<RunResult> runs = List.of(TestRuns.run("E", 1, 1, 0, 22), TestRuns.run("E", 2, 3, 0, 22));

        CellSummary c = CellSummary.of(runs, 42).get(0);

        assertTrue(c.invalid());
        assertEquals("invalid: baseline 2.0%", c.status());
        assertEquals(c.status(), c.mttrText());
        assertTrue(Double.isNaN(c.metric("success_fault").estimate()));
        assertEquals(0, c.notRecovered().n());
    }

    @Test
    void invalidRunsAreLeftOutOfAValidCellAndOfItsPairs() {
        List<RunResult> runs = List.of(TestRuns.run("A", 1, 100, 60, 22), TestRuns.run("A", 2, 100, 80, 22),
                TestRuns.run("B", 1, 100, 70, 22), TestRuns.run("B", 2, 50, 90, 22));

        List<CellSummary> cells = CellSummary.of(runs, 42);

        CellSummary b = cell(cells, "B");
        assertEquals(1, b.validRuns());
        assertEquals("1 of 2 runs invalid, excluded", b.status());
        assertEquals(0.7, b.metric("success_fault").estimate(), 1e-9, "only the valid run");
        assertEquals(1, b.versus().get("success_fault").n(), "repetition 2 has no valid pair");
        assertEquals(0.1, b.versus().get("success_fault").estimate(), 1e-9);
    }
}
