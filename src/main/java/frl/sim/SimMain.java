package frl.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import frl.experiment.stack.Environment;
import frl.experiment.run.Experiment;
import frl.experiment.ExperimentOptions;
import frl.experiment.report.ResultsJson;
import frl.experiment.report.ResultsWriter;
import frl.experiment.run.RunExecutor;
import frl.experiment.plan.Phases;
import frl.experiment.plan.RunPlan;
import frl.experiment.metrics.RunResult;
import frl.experiment.plan.RunSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code make simulate}: the experiment matrix in virtual time. The same command line as
 * {@code make experiment} ({@link ExperimentOptions}: scenario, profile, loads, reps, seed,
 * configs, phases, client timeout and re-sends, chaos payload), the same run plan
 * ({@link RunPlan}: interleaved, common arrival schedules), the same metrics and the same results
 * folder ({@link ResultsWriter}: summary.md, summary.csv, runs.csv, timeline.csv, report.html,
 * run.json), with {@code "engine": "simulation"} and the model's knobs in run.json.
 *
 * <p>Capacity is the model's, {@code slots / mean service time} (80/s by default), unless
 * {@code --capacity} gives one. {@code --threads N} (or {@code LAB_SIM_THREADS}) sets how many
 * runs go side by side; the numbers do not depend on it.
 *
 * <p>Same seed and knobs, same files, byte for byte, except run.json's timestamps, environment
 * and measured speed. Exit status: 0, or 2 for a bad command line.
 */
public final class SimMain {
    /**
     * The validity gates' levers as the simulation plays them: no adaptive warm-up (no JIT to
     * warm), no second attempt for an invalid run (the model is deterministic: the same seed plays
     * the same run again), the phases' fixed drain.
     */
    static RunExecutor.Settings settings(Phases phases) {
        return new RunExecutor.Settings(0, 0, Duration.ofSeconds(phases.drain()));
    }

    private SimMain() {
    }

    public static void main(String[] argv) throws Exception {
        if (ExperimentOptions.wantsHelp(argv)) {
            System.out.print(ExperimentOptions.USAGE.replace("java frl.experiment.ExperimentMain", "java frl.sim.SimMain")
                    + "  --threads N                      runs simulated side by side (default: CPUs)\n"
                    + "(--stack, --calibration-* and --body are accepted and ignored: the simulation needs no stack)\n");
            return;
        }
        List<String> args = new ArrayList<>(List.of(argv));
        int threads = Batch.defaultThreads();
        int t = args.indexOf("--threads");
        try {
            if (t >= 0) {
                if (t + 1 >= args.size() || !args.get(t + 1).matches("[1-9][0-9]{0,2}")) {
                    throw new IllegalArgumentException("--threads takes a whole number from 1 to 999");
                }
                threads = Integer.parseInt(args.get(t + 1));
                args.subList(t, t + 2).clear();
            }
            ExperimentOptions o = ExperimentOptions.parse(args.toArray(String[]::new));
            Knobs knobs = Knobs.fromEnv(System.getenv());
            Fault fault = Fault.parse(o.scenario().target, o.chaosJson());
            System.exit(run(o, knobs, fault, threads, List.of(argv)) == null ? 1 : 0);
        } catch (IllegalArgumentException e) {
            System.err.println("simulate: " + e.getMessage() + "\n\n" + ExperimentOptions.USAGE);
            System.exit(2);
        }
    }

    /** A simulated matrix: its results folder, every run (in the plan's order), and what it cost. */
    record Simulated(Path directory, List<SimRun.Result> results, Speed speed) {
    }

    /** Runs the matrix and writes its results folder; returns the folder. */
    static Path run(ExperimentOptions o, Knobs knobs, Fault fault, int threads, List<String> commandLine)
            throws IOException, InterruptedException {
        return simulate(o, knobs, fault, threads, commandLine).directory();
    }

    /** As {@link #run}, and hands back the runs too (the cross-validation compares them one by one). */
    static Simulated simulate(ExperimentOptions o, Knobs knobs, Fault fault, int threads, List<String> commandLine)
            throws IOException, InterruptedException {
        double capacity = o.capacity() != null ? o.capacity() : knobs.model().capacity();
        String source = o.capacity() != null ? "given (--capacity)" : String.format(Locale.ROOT,
                "model: %d slots / %.0f ms mean service time", knobs.model().paymentSlots(), knobs.model().paymentServiceMean().toNanos() / 1e6);
        List<RunSpec> plan = RunPlan.interleaved(o.configs(), o.loads(), o.faults(), o.reps(), o.scenario(), capacity, o.seed());
        Instant now = Instant.now();
        String id = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(now)
                + "-sim-" + o.scenario().id;
        Map<String, JsonNode> serviceConfig = new LinkedHashMap<>();
        serviceConfig.put("model", ResultsJson.MAPPER.valueToTree(knobs.model().describe()));
        for (String c : o.configs()) {
            serviceConfig.put(c, ResultsJson.MAPPER.valueToTree(knobs.describe(c)));
        }
        Experiment exp = new Experiment(id, now.toString(), o.scenario(), o.chaosJson(), o.profile(), o.phases(), o.loads(),
                o.faults(), o.reps(), o.seed(), o.configs(), o.policy(), o.rule(), RunExecutor.DEFAULT_BODY, capacity, source,
                null, null, settings(o.phases()), plan, serviceConfig, Environment.describe(), Map.of("engine", "simulation"),
                Map.of(), commandLine, Map.of());
        System.out.printf(Locale.ROOT, "simulate %s: %d runs of %d s (%s), %d thread(s)%n", id, plan.size(),
                o.phases().end() + o.phases().drain(), source, threads);

        long wall0 = System.nanoTime();
        int every = Math.max(1, plan.size() / 10);
        List<SimRun.Result> results = Batch.map(plan, threads,
                spec -> SimRun.run(spec, o.phases(), o.policy(), o.rule(), fault, knobs, Watcher.NONE),
                n -> {
                    if (n % every == 0 || n == plan.size()) {
                        System.out.printf(Locale.ROOT, "  %d/%d runs%n", n, plan.size());
                    }
                });
        double wall = (System.nanoTime() - wall0) / 1e9;
        Speed speed = Speed.of(results, wall);

        List<RunResult> runs = results.stream().map(SimRun.Result::run).toList();
        ResultsWriter writer = new ResultsWriter(o.results(), id);
        writer.write(exp, runs, true);
        markAsSimulation(writer.directory(), knobs, speed, threads);

        System.out.println();
        System.out.print(resultsTable(writer.directory().resolve("summary.md")));
        System.out.println(speed.line());
        System.out.println("results: " + writer.directory() + " (also " + o.results().resolve("latest") + ")");
        return new Simulated(writer.directory(), results, speed);
    }

    /**
     * The harness writes the files; this says in each that they come from the simulator:
     * {@code "engine": "simulation"} and the model in run.json, a banner in summary.md and report.html.
     */
    static void markAsSimulation(Path dir, Knobs knobs, Speed speed, int threads) throws IOException {
        Path runJson = dir.resolve("run.json");
        ObjectNode old = (ObjectNode) ResultsJson.MAPPER.readTree(Files.readString(runJson));
        ObjectNode root = ResultsJson.MAPPER.createObjectNode();
        root.put("schema_version", old.path("schema_version").asInt());
        root.put("engine", "simulation");
        ObjectNode sim = root.putObject("simulation");
        sim.put("what", "frl.sim: a discrete-event model of the stack in virtual time, driven by the real pattern classes;"
                + " not a measurement of the real stack");
        sim.set("model", ResultsJson.MAPPER.valueToTree(knobs.model().describe()));
        sim.put("cpu_not_applicable", "per-run cpu figures are null: there are no processes to sample");
        sim.set("speed", ResultsJson.MAPPER.valueToTree(speed.describe(threads)));
        old.fields().forEachRemaining(e -> {
            if (!root.has(e.getKey())) {
                root.set(e.getKey(), e.getValue());
            }
        });
        Files.writeString(runJson, ResultsJson.MAPPER.writeValueAsString(root));
        String banner = "Simulation (frl.sim, virtual time, the real pattern classes): a model of the stack, not a measurement of it.";
        Path md = dir.resolve("summary.md");
        String text = Files.readString(md);
        int firstLine = text.indexOf('\n') + 1;
        Files.writeString(md, text.substring(0, firstLine) + "\n> **" + banner + "**\n" + text.substring(firstLine));
        Path html = dir.resolve("report.html");
        Files.writeString(html, Files.readString(html).replaceFirst("<body>\n", "<body>\n<p class=\"banner\">" + banner + "</p>\n"));
    }

    /** The results table of summary.md (the harness's own table; its text renderer is not public). */
    static String resultsTable(Path summaryMd) throws IOException {
        StringBuilder out = new StringBuilder();
        boolean in = false;
        for (String line : Files.readAllLines(summaryMd)) {
            if (line.startsWith("## Results")) {
                in = true;
            } else if (in && line.startsWith("## ")) {
                break;
            }
            if (in) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }
}
