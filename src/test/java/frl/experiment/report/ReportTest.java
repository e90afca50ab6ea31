package frl.experiment.report;

import com.fasterxml.jackson.databind.JsonNode;
import frl.experiment.metrics.Metric;
import frl.experiment.metrics.RunResult;
import frl.experiment.plan.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Report generation from a fixture experiment: every file present and well-formed. */
class ReportTest {
    @TempDir
    Path dir;

    @Test
    void writesEveryFileWellFormed() throws Exception {
        List<RunSpec> plan = Fixtures.plan();
        List<RunResult> results = Fixtures.results(plan);
        ResultsWriter writer = new ResultsWriter(dir, "20250101T000000Z-payment_errors");

        writer.write(Fixtures.experiment(plan), results, true);

        Path out = dir.resolve("20250101T000000Z-payment_errors");
        assertEquals(out.getFileName(), Files.readSymbolicLink(dir.resolve("latest")));
        JsonNode run = ResultsChecks.assertWellFormed(out);
        assertEquals(8, run.path("runs").size());
        assertEquals(42, run.path("seed").asLong());
        assertEquals("abc123", run.path("environment").path("git_revision").asText());
        assertEquals(8, run.path("run_order").size());
        assertEquals(3000, run.path("client").path("timeout_ms").asInt());
        assertEquals(20, run.path("preflight_not_counted").path("succeeded").asInt());
        assertEquals(4, run.path("capacity").path("calibration").path("steps").size());
        assertTrue(run.path("runs").get(0).path("windows").path("fault").path("outcomes").has("timeout"));

        // timeline.csv: one row per second per run
        long rows = Files.readAllLines(out.resolve("timeline.csv")).size() - 1;
        assertEquals(8L * Fixtures.PHASES.end(), rows);
        // summary.csv: per cell, every metric and the Wilson row
        assertEquals(1 + 4L * (Metric.ALL.size() + 1), Files.readAllLines(out.resolve("summary.csv")).size());

        // plots: per load, three per config (success, goodput, latency) and two bar charts
        assertEquals(2 * (3 * 2 + 2), ResultsChecks.svgCount(out));
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("class=\"fault\""), "fault window shaded");
        String md = Files.readString(out.resolve("summary.md"));
        assertTrue(md.contains(" ["), "two runs per cell: intervals shown");
        assertTrue(md.contains("Bound (1-p) x amp"), "the error-rate bound is printed for payment_errors");
        assertTrue(md.contains("did not recover"), "a stuck run is named, not averaged into a number");
        assertTrue(md.contains("no audit"), "a missing audit is said out loud");
        assertFalse(md.contains("NaN"));
    }

    @Test
    void aPartialExperimentSaysSo() throws Exception {
        List<RunSpec> plan = Fixtures.plan();
        ResultsWriter writer = new ResultsWriter(dir, "x");

        writer.write(Fixtures.experiment(plan), Fixtures.results(plan).subList(0, 3), false);

        JsonNode run = ResultsChecks.assertWellFormed(dir.resolve("x"));
        assertFalse(run.path("complete").asBoolean());
        assertTrue(Files.readString(dir.resolve("x/summary.md")).contains("3 of 8 runs"));
        assertTrue(Files.readString(dir.resolve("x/report.html")).contains("Partial results"));
    }

    @Test
    void anEmptyExperimentStillWritesValidFiles() throws Exception {
        List<RunSpec> plan = Fixtures.plan();
        new ResultsWriter(dir, "empty").write(Fixtures.experiment(plan), List.of(), false);
        assertTrue(Files.isRegularFile(dir.resolve("empty/run.json")));
        assertEquals(0, new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("empty/run.json").toFile()).path("runs").size());
    }
}
