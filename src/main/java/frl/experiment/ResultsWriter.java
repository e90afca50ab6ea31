package frl.experiment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
 *   <li>{@code timeline.csv}: one row per second per run (the raw material of every plot);
 *   <li>{@code runs.csv}: one row per run, one column per {@link Metric};
 *   <li>{@code summary.csv}: one row per (config, load, metric): mean and 95% CI over runs;
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
        put("run.json", Json.MAPPER.writeValueAsString(runJson(exp, results, complete)));
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

    static ObjectNode runJson(Experiment exp, List<RunResult> results, boolean complete) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("schema_version", 1);
        root.put("id", exp.id());
        root.put("complete", complete);
        root.put("started_at", exp.startedAt());
        root.put("success_definition", Metric.SUCCESS_DEFINITION);
        root.put("scenario", exp.scenario().id);
        ObjectNode chaos = root.putObject("chaos");
        chaos.put("target", exp.scenario().target);
        chaos.put("on", exp.chaosJson());
        chaos.put("off", exp.scenario().injectsFault() ? Scenario.CHAOS_OFF : null);
        root.put("profile", exp.profile().id());
        root.set("phases_seconds", Json.MAPPER.valueToTree(exp.phases()));
        root.set("load_fractions", Json.MAPPER.valueToTree(exp.loads()));
        root.put("reps", exp.reps());
        root.put("seed", exp.seed());
        root.set("configs", Json.MAPPER.valueToTree(exp.configs()));
        ObjectNode client = root.putObject("client");
        client.put("timeout_ms", exp.policy().timeout().toMillis());
        client.put("resends_on_timeout", exp.policy().resends());
        client.put("send_slack_ms", exp.policy().sendSlack().toMillis());
        client.put("deadline_header", exp.policy().deadlineHeader());
        client.put("body", exp.body());
        client.put("arrivals", "Poisson (open model), intended send times precomputed from the schedule seed");
        root.set("mttr_rule", Json.MAPPER.valueToTree(exp.rule()));
        ObjectNode capacity = root.putObject("capacity");
        capacity.put("requests_per_second", exp.capacity());
        capacity.put("source", exp.capacitySource());
        capacity.set("calibration", Json.MAPPER.valueToTree(exp.calibration()));
        ArrayNode order = root.putArray("run_order");
        exp.plan().forEach(s -> order.add(planEntry(s)));
        root.set("service_config", Json.MAPPER.valueToTree(exp.serviceConfig()));
        root.set("environment", Json.MAPPER.valueToTree(exp.environment()));
        root.set("stack", Json.MAPPER.valueToTree(exp.stack()));
        root.set("command_line", Json.MAPPER.valueToTree(exp.commandLine()));
        ObjectNode preflight = root.putObject("preflight_not_counted");
        exp.preflight().forEach((o, n) -> preflight.put(o.label, n));
        ArrayNode runs = root.putArray("runs");
        for (RunResult r : results) {
            ObjectNode run = planEntry(r.spec());
            run.put("recovery", r.recovery().status().words);
            run.put("mttr_seconds", r.recovery().seconds());
            run.put("recovery_detail", r.recovery().detail());
            run.put("chaos_on_second", r.chaosOnSecond());
            run.put("chaos_off_second", r.chaosOffSecond());
            ObjectNode metrics = run.putObject("metrics");
            Metric.ALL.forEach(m -> metrics.put(m.id(), finite(m.of(r))));
            ObjectNode windows = run.putObject("windows");
            r.windows().forEach((name, w) -> windows.set(name, windowJson(w)));
            run.set("amplification", Json.MAPPER.valueToTree(r.amplification()));
            run.set("telemetry", Json.MAPPER.valueToTree(r.telemetry()));
            run.set("audit", Json.MAPPER.valueToTree(r.audit()));
            run.put("audit_note", r.auditNote());
            run.set("cpu", Json.MAPPER.valueToTree(r.cpu()));
            run.set("warnings", Json.MAPPER.valueToTree(r.warnings()));
            runs.add(run);
        }
        return root;
    }

    /** A window's numbers, with the outcome counts labelled instead of an anonymous array. */
    private static ObjectNode windowJson(WindowStats w) {
        ObjectNode n = Json.MAPPER.valueToTree(w);
        n.remove("by_outcome");
        ObjectNode outcomes = n.putObject("outcomes");
        for (Outcome o : Outcome.values()) {
            outcomes.put(o.label, w.count(o));
        }
        n.put("success_rate", finite(w.successRate()));
        n.put("goodput_per_second", finite(w.goodputPerSecond()));
        return n;
    }

    private static ObjectNode planEntry(RunSpec s) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("index", s.index());
        n.put("config", s.config());
        n.put("load_fraction", s.loadFraction());
        n.put("rate_per_second", s.rate());
        n.put("rep", s.rep());
        n.put("schedule_seed", s.scheduleSeed());
        return n;
    }

    private static Double finite(double d) {
        return Double.isNaN(d) || Double.isInfinite(d) ? null : d;
    }

    static final List<String> TIMELINE_HEADER = timelineHeader();

    private static List<String> timelineHeader() {
        List<String> h = new ArrayList<>(List.of("run", "config", "scenario", "load_fraction", "rate", "rep", "second",
                "phase", "fault_active", "scheduled", "sent", "succeeded"));
        for (Outcome o : Outcome.values()) {
            if (o.isFailure()) {
                h.add("failed_" + o.label);
            }
        }
        h.addAll(List.of("client_attempts", "success_rate", "p50_ms", "p95_ms", "p99_ms", "p99_ok_ms"));
        return List.copyOf(h);
    }

    static String timelineCsv(List<RunResult> results) {
        Csv csv = new Csv(TIMELINE_HEADER);
        for (RunResult r : results) {
            RunSpec s = r.spec();
            for (TimelineRow t : r.timeline()) {
                List<Object> f = new ArrayList<>(List.of(s.index(), s.config(), s.scenario().id, s.loadFraction(), s.rate(),
                        s.rep(), t.second(), t.phase(), faultActive(r, t.second()) ? 1 : 0, t.scheduled(), t.sent(), t.succeeded()));
                for (Outcome o : Outcome.values()) {
                    if (o.isFailure()) {
                        f.add(t.count(o));
                    }
                }
                f.addAll(List.of(t.attempts(), t.successRate(), t.p50Ms(), t.p95Ms(), t.p99Ms(), t.p99OkMs()));
                csv.row(f);
            }
        }
        return csv.toString();
    }

    static boolean faultActive(RunResult r, int second) {
        return r.spec().scenario().injectsFault() && second >= r.phases().faultStart() && second < r.phases().faultEnd();
    }

    static String runsCsv(List<RunResult> results) {
        List<String> header = new ArrayList<>(List.of("run", "config", "scenario", "load_fraction", "rate", "rep",
                "schedule_seed", "recovery", "warnings"));
        Metric.ALL.forEach(m -> header.add(m.id()));
        Csv csv = new Csv(header);
        for (RunResult r : results) {
            RunSpec s = r.spec();
            List<Object> f = new ArrayList<>(List.of(s.index(), s.config(), s.scenario().id, s.loadFraction(), s.rate(),
                    s.rep(), s.scheduleSeed(), r.recovery().status().words, String.join("; ", r.warnings())));
            Metric.ALL.forEach(m -> f.add(m.of(r)));
            csv.row(f);
        }
        return csv.toString();
    }

    static String summaryCsv(List<CellSummary> cells) {
        Csv csv = new Csv(List.of("config", "load_fraction", "rate", "runs", "metric", "mean", "ci95_low", "ci95_high", "n"));
        for (CellSummary c : cells) {
            for (Metric m : Metric.ALL) {
                Ci ci = c.metric(m.id());
                csv.row(List.of(c.config(), c.loadFraction(), c.rate(), c.runs(), m.id(), ci.estimate(), ci.low(), ci.high(), ci.n()));
            }
            Ci nr = c.notRecovered();
            csv.row(List.of(c.config(), c.loadFraction(), c.rate(), c.runs(), "not_recovered_fraction_wilson",
                    nr.estimate(), nr.low(), nr.high(), nr.n()));
        }
        return csv.toString();
    }
}
