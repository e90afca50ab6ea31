package frl.fault;

import frl.experiment.metrics.AuditResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The suite's table with the baseline gate: a clean case on a broken stack is shown, and not passed. */
class FaultSuiteReportTest {
    private static final AuditResult CLEAN = new AuditResult(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100, 98);
    private static final FaultCase KILL = FaultCase.suite(Duration.ofSeconds(10), Duration.ofSeconds(30)).get(1);

    @Test
    void aCleanCaseWithAValidBaselinePassesAndOneOnABrokenStackIsMarkedInvalid() {
        CaseResult valid = new CaseResult(KILL, 2800, 1.0, 0.4, 0.99, OptionalInt.of(31), 5.7, CLEAN, 0, "settled after 5 s");
        CaseResult broken = new CaseResult(KILL, 2800, 0.166, 0.0, 0.166, OptionalInt.of(0), 0.2, CLEAN, 0, "settled after 5 s");
        FaultSuite.Settings s = new FaultSuite.Settings(40.5, Duration.ofSeconds(60), Duration.ofSeconds(35), Duration.ofSeconds(75),
                Duration.ofSeconds(3), 1, 42, Duration.ofSeconds(5), Duration.ofSeconds(180), Duration.ofSeconds(5));

        String md = FaultSuiteReport.markdown(s, List.of(valid, broken), List.of(), 1500);

        assertTrue(valid.passed());
        assertTrue(md.contains("| kill -9 orders | 2800 | 99.0% (100.0%) | 40.0% | 31 s | 0 |"), md);
        assertTrue(md.contains("NO: baseline invalid (probe 16.6%, before the fault 16.6%) |"), md);
        assertTrue(md.contains("1 of 2 cases passed"), md);
        assertTrue(md.contains("at least 35 s before the fault and 75 s after its end"), md);
        assertTrue(md.contains("again until >= 95% or 60 s have passed"), md);
        assertTrue(md.contains("baseline success 16.6% (probe 16.6%)"), md);
        String csv = FaultSuiteReport.csv(List.of(valid, broken));
        assertEquals(CaseResult.CSV_HEADER.size(), csv.lines().skip(2).findFirst().orElseThrow().split(",", -1).length, csv);
        assertTrue(csv.lines().skip(2).findFirst().orElseThrow().endsWith(",false,false"), csv);
    }
}
