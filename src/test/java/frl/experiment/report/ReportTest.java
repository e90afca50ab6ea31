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
import java.util.Map;

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
        assertEquals(3, run.path("capacity").path("calibration").path("passes").size());
        assertEquals(4, run.path("capacity").path("calibration").path("passes").get(0).path("steps").size());
        assertTrue(run.path("runs").get(0).path("windows").path("fault").path("outcomes").has("timeout"));

        // timeline.csv: one row per second per run
        long rows = Files.readAllLines(out.resolve("timeline.csv")).size() - 1;
        assertEquals(8L * Fixtures.PHASES.end(), rows);
        // summary.csv: per cell, every summarised metric, the Wilson row, the KM median, and (for B)
        // the paired differences against A
        long summarised = Metric.ALL.stream().filter(Metric::summarised).count();
        assertEquals(1 + 4L * (summarised + 2) + 2L * Metric.PAIRED.size(), Files.readAllLines(out.resolve("summary.csv")).size());
        // timeline.csv carries the CPU of every second
        assertTrue(Files.readAllLines(out.resolve("timeline.csv")).get(0).contains("machine_cpu_busy,cpu_bound,cpu_cores_gateway"));

        // plots: per load, four per config (success, goodput, latency, CPU) and two bar charts
        assertEquals(2 * (4 * 2 + 2), ResultsChecks.svgCount(out));
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("class=\"fault\""), "fault window shaded");
        assertTrue(html.contains("class=\"cpu\""), "CPU-bound seconds shaded");
        String md = Files.readString(out.resolve("summary.md"));
        assertTrue(md.contains(" ["), "two runs per cell: intervals shown");
        assertTrue(md.contains("Bound (1-p) x amp"), "the error-rate bound is printed for payment_errors");
        assertTrue(md.matches("(?s).*KM median \\d+ s \\(1 of 2 recovered\\).*"), "a stuck run is censored, not averaged away");
        assertTrue(md.contains("no audit"), "a missing audit is said out loud");
        assertTrue(md.contains("Differences against A"), "paired differences are reported");
        assertTrue(md.contains("the machine, not the simulated payment processor, set this capacity"));
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

    @Test
    void anInvalidCellPrintsWhyInsteadOfNumbersInEveryFile() throws Exception {
        // Given config B at the low load: both runs served 40% of their baseline (Fixtures)
        List<RunSpec> plan = Fixtures.plan();
        new ResultsWriter(dir, "inv").write(Fixtures.experiment(plan), Fixtures.results(plan), true);
        Path out = dir.resolve("inv");

        // Then summary.md and report.html print the status where the numbers would be...
        String invalidRow = "| B | 0.50 (50/s) | invalid: baseline 40.0% | -";
        assertTrue(Files.readString(out.resolve("summary.md")).contains(invalidRow), "summary.md");
        assertTrue(Files.readString(out.resolve("report.html")).contains("<td>invalid: baseline 40.0%</td><td>-</td>"), "report.html");
        assertTrue(Files.readString(out.resolve("report.html")).contains("Config B (2 runs): invalid: baseline 40.0%"), "plot titles");
        // ...summary.csv carries the status and no number for any of the cell's metrics...
        List<Map<String, String>> rows = ResultsCsv.read(out.resolve("summary.csv")).rows().stream()
                .filter(r -> r.get("config").equals("B") && r.get("load_fraction").equals("0.5")).toList();
        assertFalse(rows.isEmpty());
        for (Map<String, String> r : rows) {
            assertEquals("invalid: baseline 40.0%", r.get("status"), r.toString());
            assertEquals("", r.get("mean"), "no mean for " + r.get("metric"));
        }
        // ...while the valid cells keep theirs, and the runs stay in runs.csv to see why
        assertTrue(Files.readAllLines(out.resolve("runs.csv")).stream().anyMatch(l -> l.contains("invalid: baseline 40.0%")));
        assertTrue(Files.readString(out.resolve("summary.md")).contains("after 3 attempt(s)"), "the retries are listed");
    }
}
