package frl.experiment.report;

import frl.experiment.load.Outcome;
import frl.experiment.metrics.CellSummary;
import frl.experiment.metrics.Ci;
import frl.experiment.metrics.Metric;
import frl.experiment.metrics.RunResult;
import frl.experiment.metrics.TimelineRow;
import frl.experiment.plan.RunSpec;
import frl.experiment.run.Experiment;
import frl.experiment.stack.CpuSampler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an experiment's results folder, {@code results/<timestamp>-<scenario>/}:
 * <ul>
 *   <li>{@code run.json}: every knob, the calibration, the environment, and every run's numbers;
 *   <li>{@code timeline.csv}: one row per second per run (the raw material of every plot), with
 *       the machine's and each watched process's CPU in that second;
 *   <li>{@code runs.csv}: one row per run, one column per {@link Metric}, with its validity;
 *   <li>{@code summary.csv}: one row per (config, load, fault length, metric): mean and 95% CI over
 *       valid runs, the cell's status ("invalid: baseline X%" and no numbers when none was valid),
 *       the Kaplan-Meier median MTTR, and paired differences against the baseline config;
 *   <li>{@code summary.md} and {@code report.html}: for people.
 * </ul>
 * It is called after every run, so a stopped experiment leaves a consistent partial folder
 * ({@code "complete": false} in run.json and a banner in the reports). Each file is written to a
 * temporary name and moved into place, so a reader never sees half a file. Finally
 * {@code results/latest} is pointed at the folder.
 *
 * <p>Not thread-safe: one writer per experiment, called from the experiment's thread.
 */
public final class ResultsWriter {
    private final Path root;
    private final Path dir;

    public ResultsWriter(Path resultsRoot, String experimentId) {
        this.root = resultsRoot;
        this.dir = resultsRoot.resolve(experimentId);
    }

    public Path directory() {
        return dir;
    }

    public void write(Experiment exp, List<RunResult> results, boolean complete) throws IOException {
        Files.createDirectories(dir);
        List<CellSummary> cells = CellSummary.of(results, exp.seed());
        put("run.json", ResultsJson.MAPPER.writeValueAsString(RunJson.of(exp, results, complete)));
        put("timeline.csv", timelineCsv(results));
        put("runs.csv", runsCsv(results));
        put("summary.csv", summaryCsv(cells));
        put("summary.md", SummaryMarkdown.render(exp, results, cells, complete));
        put("report.html", HtmlReport.render(exp, results, cells, complete));
        pointLatest();
    }

    private void put(String name, String content) throws IOException {
        Path tmp = dir.resolve(name + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void pointLatest() throws IOException {
        Path latest = root.resolve("latest");
        Path tmp = root.resolve("latest.tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createSymbolicLink(tmp, dir.getFileName());
            Files.move(tmp, latest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (UnsupportedOperationException | IOException e) {
            Files.deleteIfExists(tmp); // a file system without symlinks: the folder names still sort by time
        }
    }

    static final List<String> TIMELINE_HEADER = timelineHeader();

    private static List<String> timelineHeader() {
        List<String> h = new ArrayList<>(List.of("run", "config", "scenario", "load_fraction", "rate", "fault_seconds", "rep",
                "attempt", "valid", "second", "phase", "fault_active", "scheduled", "sent", "succeeded"));
        for (Outcome o : Outcome.values()) {
            if (o.isFailure()) {
                h.add("failed_" + o.label);
            }
        }
        h.addAll(List.of("client_attempts", "success_rate", "p50_ms", "p95_ms", "p99_ms", "p99_ok_ms",
                "machine_cpu_busy", "cpu_bound"));
        CpuSampler.GROUPS.forEach(g -> h.add("cpu_cores_" + g));
        h.add("cpu_cores_driver");
        return List.copyOf(h);
    }

    static String timelineCsv(List<RunResult> results) {
        Csv csv = new Csv(TIMELINE_HEADER);
        for (RunResult r : results) {
            RunSpec s = r.spec();
            for (TimelineRow t : r.timeline()) {
                List<Object> f = new ArrayList<>(List.of(s.index(), s.config(), s.scenario().id, s.loadFraction(), s.rate(),
                        s.faultSeconds(), s.rep(), r.gates().attempt(), r.valid() ? 1 : 0, t.second(), t.phase(),
                        faultActive(r, t.second()) ? 1 : 0, t.scheduled(), t.sent(), t.succeeded()));
                for (Outcome o : Outcome.values()) {
                    if (o.isFailure()) {
                        f.add(t.count(o));
                    }
                }
                f.addAll(List.of(t.attempts(), t.successRate(), t.p50Ms(), t.p95Ms(), t.p99Ms(), t.p99OkMs(),
                        t.cpu().machineBusy(), Double.isNaN(t.cpu().machineBusy()) ? "" : t.cpuBound() ? 1 : 0));
                CpuSampler.GROUPS.forEach(g -> f.add(t.cpu().cores(g)));
                f.add(t.cpu().driverCores());
                csv.row(f);
            }
        }
        return csv.toString();
    }

    static boolean faultActive(RunResult r, int second) {
        return r.spec().scenario().injectsFault() && second >= r.phases().faultStart() && second < r.phases().faultEnd();
    }

    static String runsCsv(List<RunResult> results) {
        List<String> header = new ArrayList<>(List.of("run", "config", "scenario", "load_fraction", "rate", "fault_seconds",
                "rep", "schedule_seed", "attempt", "valid", "validity", "warm", "drain_settled", "telemetry_complete",
                "recovery", "mttr_censored_at_s", "warnings"));
        Metric.ALL.forEach(m -> header.add(m.id()));
        Csv csv = new Csv(header);
        for (RunResult r : results) {
            RunSpec s = r.spec();
            List<Object> f = new ArrayList<>(List.of(s.index(), s.config(), s.scenario().id, s.loadFraction(), s.rate(),
                    s.faultSeconds(), s.rep(), s.scheduleSeed(), r.gates().attempt(), r.valid() ? 1 : 0, r.gates().validity().reason(),
                    r.gates().warmup().warm() ? 1 : 0, r.drain().settled() ? 1 : 0, r.telemetry().complete() ? 1 : 0,
                    r.recovery().status().words, r.recovery().censoredAt(), String.join("; ", r.warnings())));
            Metric.ALL.forEach(m -> f.add(m.of(r)));
            csv.row(f);
        }
        return csv.toString();
    }

    /**
     * One row per cell and metric. An invalid cell keeps its rows, with empty numbers and its
     * status ("invalid: baseline X%"), so a script reading the file cannot mistake it for data.
     */
    static String summaryCsv(List<CellSummary> cells) {
        Csv csv = new Csv(List.of("config", "load_fraction", "fault_seconds", "rate", "runs", "valid_runs", "status", "metric",
                "mean", "ci95_low", "ci95_high", "n"));
        for (CellSummary c : cells) {
            for (Metric m : Metric.ALL) {
                if (m.summarised()) {
                    row(csv, c, m.id(), c.metric(m.id()));
                }
            }
            row(csv, c, "not_recovered_fraction_wilson", c.notRecovered());
            row(csv, c, "mttr_km_median_s", new Ci(c.kmMedianMttr(), Double.NaN, Double.NaN,
                    c.notRecovered().n()));
            c.versus().forEach((id, ci) -> row(csv, c, "diff_vs_" + c.baselineConfig() + "_" + id, ci));
        }
        return csv.toString();
    }

    private static void row(Csv csv, CellSummary c, String metric, Ci ci) {
        boolean numbers = !c.invalid();
        csv.row(List.of(c.config(), c.loadFraction(), c.faultSeconds(), c.rate(), c.runs(), c.validRuns(), c.status(), metric,
                numbers ? ci.estimate() : Double.NaN, numbers ? ci.low() : Double.NaN, numbers ? ci.high() : Double.NaN, numbers ? ci.n() : 0));
    }
}
