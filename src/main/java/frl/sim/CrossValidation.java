package frl.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import frl.experiment.ExperimentOptions;
import frl.experiment.metrics.Ci;
import frl.experiment.metrics.Metric;
import frl.experiment.metrics.Recovery;
import frl.experiment.metrics.RunResult;
import frl.experiment.metrics.Stats;
import frl.experiment.plan.RunPlan;
import frl.experiment.report.ResultsCsv;
import frl.experiment.report.ResultsJson;
import frl.experiment.report.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code make crossval REAL=results/<folder>}: the simulator against one real-stack experiment.
 * The simulator is only worth what its agreement with the real stack is, so this plays the real
 * folder's experiment again in virtual time (its scenario, chaos payload, phases, loads, configs,
 * client settings and seed, read from its run.json) over many seeds, and sets each real number
 * beside the simulator's spread.
 *
 * <p><b>Calibration</b>, from the real folder's own measurements and recorded in run.json:
 * <ul>
 *   <li><b>capacity</b>: the real calibration's requests per second; the loads' rates follow it;
 *   <li><b>processor service time</b>: the mean that gives that capacity with the model's slots
 *       ({@code slots / capacity}; the service-time shape, log-normal sigma, stays the model's);
 *   <li><b>per-hop latency</b>: the one free number. A pilot of {@link #PILOT_SEEDS} seeds with
 *       the default hop gives the model's baseline median latency; the hop mean moves by the gap
 *       to the real baseline median, spread over the {@link #HOP_CROSSINGS} network crossings of
 *       an order. Fitted on the baseline only: the fault and recovery windows, the ones compared,
 *       are never fitted.
 * </ul>
 *
 * <p><b>The comparison</b>, per configuration, load and fault length, for success and p95 in the
 * fault window, orders-&gt;payments amplification in the fault window, and the recovery verdict:
 * the simulator's values over its seeds give a 95% <em>prediction</em> interval (2.5th to 97.5th
 * percentile: where one real run should fall if the model is right), and a 95% bootstrap interval
 * for its mean (where the real mean should fall, once the real folder has repetitions). A
 * recovery verdict is "within" when the simulator gave the real verdict in at least 2.5% of seeds.
 * The real numbers are read as the harness wrote them (run.json's per-run metrics and verdicts,
 * summary.csv's means and intervals); the simulated ones are computed by the same
 * {@link Metric} definitions.
 *
 * <p>Writes {@code results/<timestamp>-crossval/}: summary.md, summary.csv, run.json, and the
 * simulator's own summary under {@code sim/} (summary.md, summary.csv, runs.csv, run.json). Options: {@code --real DIR} (required),
 * {@code --seeds 50}, {@code --results results}, {@code --threads N}.
 */
public final class CrossValidation {
    public static final int DEFAULT_SEEDS = 50;
    static final int PILOT_SEEDS = 10;
    /** Network crossings on an order's path: gateway-orders, orders-inventory, orders-payments, orders-notifications, there and back. */
    static final int HOP_CROSSINGS = 8;
    static final Duration MIN_HOP = Duration.ofNanos(10_000);
    static final Duration MAX_HOP = Duration.ofMillis(50);
    static final List<String> METRICS = List.of("success_fault", "p95_fault_ms", "amp_orders_payments_fault");
    private static final String USAGE = "usage: java frl.sim.CrossValidation --real results/<folder> [--seeds 50] [--results results] [--threads N]";

    private CrossValidation() {
    }

    /** One cell of the real folder: configuration, load fraction, fault length. */
    record Cell(String config, double load, int fault) {
        static Cell of(RunResult r) {
            return new Cell(r.spec().config(), r.spec().loadFraction(), r.spec().faultSeconds());
        }

        static Cell of(JsonNode run) {
            return new Cell(run.path("config").asText(), run.path("load_fraction").asDouble(), run.path("fault_seconds").asInt());
        }

        String key() {
            return String.format(Locale.ROOT, "%s,%.2f,%d", config, load, fault);
        }
    }

    /** One compared number: the real value(s), the simulator's per-seed values. */
    record Row(Cell cell, String metric, double[] real, double[] realSummary, double[] sim, String realVerdict,
               long simVerdicts, long simRuns) {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length
                    || !List.of("--real", "--seeds", "--results", "--threads").contains(argv[i])) {
                System.err.println("crossval: unknown or incomplete option '" + argv[i] + "'\n" + USAGE);
                System.exit(2);
            }
            a.put(argv[i].substring(2), argv[++i]);
        }
        if (!a.containsKey("real")) {
            System.err.println("crossval: --real is required\n" + USAGE);
            System.exit(2);
        }
        try {
            int seeds = Integer.parseInt(a.getOrDefault("seeds", Integer.toString(DEFAULT_SEEDS)));
            int threads = a.containsKey("threads") ? Integer.parseInt(a.get("threads")) : Batch.defaultThreads();
            Path out = run(Path.of(a.get("real")), seeds, Path.of(a.getOrDefault("results", "results")), threads,
                    Knobs.fromEnv(System.getenv()));
            System.out.println("crossval: " + out);
        } catch (IllegalArgumentException e) {
            System.err.println("crossval: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
        }
    }

    /** Cross-validates the real folder {@code real}; returns the crossval folder written under {@code resultsRoot}. */
    static Path run(Path real, int seeds, Path resultsRoot, int threads, Knobs knobs) throws IOException, InterruptedException {
        if (seeds < 2) {
            throw new IllegalArgumentException("--seeds must be at least 2 for an interval, was " + seeds);
        }
        Path runJsonPath = real.resolve("run.json");
        if (!Files.isRegularFile(runJsonPath) || !Files.isRegularFile(real.resolve("summary.csv"))) {
            throw new IllegalArgumentException(real + " is not a results folder (needs run.json and summary.csv)");
        }
        JsonNode realJson = ResultsJson.MAPPER.readTree(Files.readString(runJsonPath));
        if ("simulation".equals(realJson.path("engine").asText())) {
            throw new IllegalArgumentException(real + " is a simulation; cross-validation needs a real-stack folder");
        }
        double capacity = realJson.path("capacity").path("requests_per_second").asDouble(Double.NaN);
        if (!(capacity > 0)) {
            throw new IllegalArgumentException(real + "/run.json has no capacity.requests_per_second");
        }
        String id = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now()) + "-crossval";
        Path dir = resultsRoot.resolve(id);
        Files.createDirectories(dir);

        // Calibration: capacity and service time from the real calibration, then the hop from a baseline pilot.
        Model byCapacity = knobs.model().calibrated(capacity, knobs.model().hopMean());
        double realBaselineP50 = median(realJson.path("runs"), run -> run.path("windows").path("baseline").path("p50_ms").asDouble(Double.NaN));
        ExperimentOptions pilotOptions = options(realJson, PILOT_SEEDS, capacity, dir);
        Fault fault = Fault.parse(pilotOptions.scenario().target, pilotOptions.chaosJson());
        double pilotP50 = medianOf(Batch.map(RunPlan.interleaved(pilotOptions.configs(), pilotOptions.loads(), pilotOptions.faults(),
                        PILOT_SEEDS, pilotOptions.scenario(), capacity, pilotOptions.seed()), threads,
                spec -> SimRun.run(spec, pilotOptions.phases(), pilotOptions.policy(), pilotOptions.rule(), fault,
                        knobs.withModel(byCapacity), Watcher.NONE).run().window("baseline").p50Ms(), n -> { }));
        long shiftNanos = Math.round((realBaselineP50 - pilotP50) * 1e6 / HOP_CROSSINGS);
        Duration hop = clamp(byCapacity.hopMean().plusNanos(shiftNanos));
        Knobs calibrated = knobs.withModel(byCapacity.calibrated(capacity, hop));

        ExperimentOptions o = options(realJson, seeds, capacity, dir);
        SimMain.Simulated sim = SimMain.simulate(o, calibrated, fault, threads, List.of("--real", real.toString()));
        Files.deleteIfExists(dir.resolve("latest"));
        Files.move(sim.directory(), dir.resolve("sim"));
        keepSummaryOnly(dir.resolve("sim"));

        List<RunResult> simRuns = sim.results().stream().map(SimRun.Result::run).toList();
        double simBaselineP50 = medianOf(simRuns.stream().map(r -> r.window("baseline").p50Ms()).toList());
        List<Row> rows = compare(realJson, readSummary(real.resolve("summary.csv")), simRuns);

        Map<String, Object> calibration = new LinkedHashMap<>();
        calibration.put("capacity_per_second", capacity);
        calibration.put("capacity_source", "real calibration (run.json capacity.requests_per_second)");
        calibration.put("payment_service_mean_ms", calibrated.model().paymentServiceMean().toNanos() / 1e6);
        calibration.put("payment_service_source", calibrated.model().paymentSlots() + " slots / measured capacity");
        calibration.put("hop_mean_ms", hop.toNanos() / 1e6);
        calibration.put("hop_source", String.format(Locale.ROOT, "model default %.3f ms + (real baseline p50 %.1f ms - pilot baseline p50"
                        + " %.1f ms over %d seeds) / %d crossings, within [%.2f, %.0f] ms", knobs.model().hopMean().toNanos() / 1e6,
                realBaselineP50, pilotP50, PILOT_SEEDS, HOP_CROSSINGS, MIN_HOP.toNanos() / 1e6, MAX_HOP.toNanos() / 1e6));
        calibration.put("real_baseline_p50_ms", realBaselineP50);
        calibration.put("sim_baseline_p50_ms_after_calibration", simBaselineP50);
        writeRunJson(dir, realJson, real, seeds, calibrated, calibration, sim.speed(), threads);
        Files.writeString(dir.resolve("summary.csv"), csv(rows));
        Files.writeString(dir.resolve("summary.md"), markdown(realJson, real, seeds, calibration, rows));
        System.out.print(table(rows).text());
        return dir;
    }

    /**
     * The simulator's folder, kept small enough to commit: its summary.md, summary.csv, runs.csv and
     * run.json without the per-run records and the run order. The timeline and report.html go;
     * the same command rebuilds them byte for byte (the simulation is deterministic).
     */
    static void keepSummaryOnly(Path simDir) throws IOException {
        Files.deleteIfExists(simDir.resolve("timeline.csv"));
        Files.deleteIfExists(simDir.resolve("report.html"));
        Path runJson = simDir.resolve("run.json");
        ObjectNode root = (ObjectNode) ResultsJson.MAPPER.readTree(Files.readString(runJson));
        root.remove(List.of("runs", "run_order"));
        root.put("trimmed", "per-run records, run order, timeline.csv and report.html left out to keep the crossval folder"
                + " small; rerun the crossval to rebuild them (deterministic)");
        Files.writeString(runJson, ResultsJson.MAPPER.writeValueAsString(root));
    }

    /** The real folder's experiment as the simulator's command line, with {@code seeds} repetitions. */
    static ExperimentOptions options(JsonNode r, int seeds, double capacity, Path results) {
        JsonNode p = r.path("phases_seconds");
        JsonNode client = r.path("client");
        JsonNode rule = r.path("mttr_rule");
        List<String> argv = new ArrayList<>(List.of(
                "--scenario", r.path("scenario").asText(), "--profile", r.path("profile").asText("standard"),
                "--phases", p.path("warmup").asInt() + "," + p.path("baseline").asInt() + "," + p.path("fault").asInt()
                        + "," + p.path("recovery").asInt() + "," + p.path("drain").asInt(),
                "--load", join(r.path("load_fractions")), "--configs", join(r.path("configs")),
                "--seed", r.path("seed").asText(), "--reps", Integer.toString(seeds),
                "--capacity", Double.toString(capacity),
                "--client-timeout-ms", client.path("timeout_ms").asText(),
                "--client-resends", client.path("resends_on_timeout").asText(),
                "--send-slack-ms", client.path("send_slack_ms").asText(),
                "--slo-p99-ms", rule.path("slo_p99_ms").asText(), "--baseline-gate", rule.path("min_baseline_success").asText(),
                "--chaos", r.path("chaos").path("on").asText(), "--results", results.toString()));
        if (r.path("fault_seconds").size() > 1) {
            argv.addAll(List.of("--trigger", join(r.path("fault_seconds"))));
        }
        if (!client.path("deadline_header").asBoolean(true)) {
            argv.add("--no-deadline-header");
        }
        return ExperimentOptions.parse(argv.toArray(String[]::new));
    }

    /** Every compared number, cell by cell, in the order of configurations (A first). */
    static List<Row> compare(JsonNode realJson, Map<String, double[]> summary, List<RunResult> simRuns) {
        Map<String, List<JsonNode>> real = new java.util.TreeMap<>(); // by configuration, then load and fault length
        realJson.path("runs").forEach(run -> real.computeIfAbsent(Cell.of(run).key(), k -> new ArrayList<>()).add(run));
        Map<String, List<RunResult>> simulated = new LinkedHashMap<>();
        simRuns.forEach(r -> simulated.computeIfAbsent(Cell.of(r).key(), k -> new ArrayList<>()).add(r));
        List<Row> rows = new ArrayList<>();
        for (var e : real.entrySet()) {
            List<JsonNode> runs = e.getValue().stream().filter(run -> run.path("valid").asBoolean()).toList();
            List<RunResult> sims = simulated.getOrDefault(e.getKey(), List.of()).stream().filter(RunResult::valid).toList();
            Cell cell = Cell.of(e.getValue().getFirst());
            for (String id : METRICS) {
                Metric m = Metric.byId(id);
                rows.add(new Row(cell, id, runs.stream().mapToDouble(run -> run.path("metrics").path(id).asDouble(Double.NaN)).toArray(),
                        summary.get(cell.key() + "," + id), sims.stream().mapToDouble(m::of).filter(d -> !Double.isNaN(d)).toArray(),
                        null, 0, 0));
            }
            String verdict = runs.isEmpty() ? "no valid run" : runs.getFirst().path("recovery").asText();
            long same = sims.stream().filter(r -> r.recovery().status().words.equals(verdict)).count();
            rows.add(new Row(cell, "recovery", new double[0], null, new double[0], verdict, same, sims.size()));
        }
        return rows;
    }

    /** summary.csv as the harness writes it: "config,load,fault,metric" -&gt; {mean, ci95_low, ci95_high, n}. */
    static Map<String, double[]> readSummary(Path csv) {
        ResultsCsv summary = ResultsCsv.read(csv);
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Map<String, String> r : summary.rows()) {
            String key = new Cell(r.get("config"), ResultsCsv.num(r, "load_fraction"), (int) ResultsCsv.num(r, "fault_seconds")).key()
                    + "," + r.get("metric");
            out.put(key, new double[]{ResultsCsv.num(r, "mean"), ResultsCsv.num(r, "ci95_low"), ResultsCsv.num(r, "ci95_high"),
                    ResultsCsv.num(r, "n")});
        }
        return out;
    }

    static String csv(List<Row> rows) {
        StringBuilder out = new StringBuilder("config,load_fraction,fault_seconds,metric,real_runs,real_value,real_mean_ci95_low,"
                + "real_mean_ci95_high,sim_seeds,sim_mean,sim_p2_5,sim_p97_5,sim_mean_ci95_low,sim_mean_ci95_high,"
                + "real_in_prediction_interval,real_mean_in_sim_mean_interval,real_verdict,sim_same_verdict_fraction\n");
        for (Row r : rows) {
            List<String> f = new ArrayList<>(List.of(r.cell().config(), fmt(r.cell().load()), Integer.toString(r.cell().fault()), r.metric()));
            if (r.realVerdict() != null) {
                f.addAll(List.of("", "", "", "", Long.toString(r.simRuns()), "", "", "", "", "", within(r), "", r.realVerdict(),
                        r.simRuns() == 0 ? "" : fmt((double) r.simVerdicts() / r.simRuns())));
            } else {
                double[] pi = prediction(r.sim());
                Ci mean = simMean(r);
                f.addAll(List.of(Integer.toString(r.real().length), fmt(Stats.mean(r.real())),
                        r.realSummary() == null ? "" : fmt(r.realSummary()[1]), r.realSummary() == null ? "" : fmt(r.realSummary()[2]),
                        Integer.toString(r.sim().length), fmt(Stats.mean(r.sim())), fmt(pi[0]), fmt(pi[1]),
                        fmt(mean.low()), fmt(mean.high()), within(r), meanWithin(r), "", ""));
            }
            out.append(String.join(",", f)).append('\n');
        }
        return out.toString();
    }

    /** The side-by-side table of summary.md and the terminal. */
    static Table table(List<Row> rows) {
        List<List<String>> cells = new ArrayList<>();
        for (Row r : rows) {
            String cell = r.cell().config() + " @ " + fmt(r.cell().load()) + (r.cell().fault() > 0 ? ", " + r.cell().fault() + " s" : "");
            if (r.realVerdict() != null) {
                cells.add(List.of(cell, "recovered?", r.realVerdict(), r.simRuns() == 0 ? "no valid run"
                        : String.format(Locale.ROOT, "%d/%d seeds: %s", r.simVerdicts(), r.simRuns(), r.realVerdict()), within(r), ""));
                continue;
            }
            String format = r.metric().startsWith("success") ? "%.1f%%" : r.metric().startsWith("amp") ? "%.2fx" : "%.0f";
            double scale = r.metric().startsWith("success") ? 100 : 1;
            double[] pi = prediction(r.sim());
            Ci mean = simMean(r);
            String real = r.real().length == 0 ? "no valid run" : String.format(Locale.ROOT, format, scale * Stats.mean(r.real()))
                    + (r.real().length > 1 ? " (mean of " + r.real().length + ")" : "");
            String simulated = r.sim().length == 0 ? "no valid run" : String.format(Locale.ROOT, format + " [" + format + ", " + format
                    + "] (mean [" + format + ", " + format + "])", scale * Stats.mean(r.sim()), scale * pi[0], scale * pi[1],
                    scale * mean.low(), scale * mean.high());
            cells.add(List.of(cell, label(r.metric()), real, simulated, within(r), meanWithin(r)));
        }
        return new Table(List.of("Config @ load", "Metric", "Real", "Simulator: mean [95% prediction] (95% CI of mean)",
                "Real in prediction?", "Real mean in CI of mean?"), cells);
    }

    static String markdown(JsonNode realJson, Path real, int seeds, Map<String, Object> calibration, List<Row> rows) {
        long compared = rows.stream().filter(r -> !within(r).equals("n/a")).count();
        long inside = rows.stream().filter(r -> within(r).equals("yes")).count();
        StringBuilder md = new StringBuilder("# Cross-validation: simulator vs real stack\n\n");
        md.append(String.format(Locale.ROOT, "Real: `%s` (%s, profile %s, loads %s, configs %s, %d run(s), seed %s). "
                        + "Simulator: the same experiment over %d seeds (`sim/`), calibrated as below.%n%n",
                real.getFileName(), realJson.path("scenario").asText(), realJson.path("profile").asText(), join(realJson.path("load_fractions")),
                join(realJson.path("configs")), realJson.path("runs").size(), realJson.path("seed").asText(), seeds));
        md.append("## Calibration (from the real folder's measurements)\n\n");
        calibration.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v instanceof Double d ? fmt(d) : v).append('\n'));
        md.append(String.format(Locale.ROOT, "%n## Side by side%n%n%d of %d compared values fall within the simulator's 95%% interval.%n%n",
                inside, compared));
        md.append(table(rows).markdown());
        md.append("""

                Prediction interval: the 2.5th to 97.5th percentile of the simulator's per-seed values, where one real run \
                should fall if the model is right. CI of mean: a 95% bootstrap interval of the simulator's mean, where the \
                mean of repeated real runs should fall; with one real run it is not a fair test ("n/a"). Recovered: \
                "yes" when the simulator gave the real verdict in at least 2.5% of its seeds ("n/a" when the real run \
                has no verdict, e.g. a recovery window shorter than the MTTR rule's). Fault-window values; \
                amplification = attempts payments received / client requests. Metric definitions: the harness's \
                (frl.experiment.metrics.Metric), for both sides.
                """);
        return md.toString();
    }

    static String within(Row r) {
        if (r.realVerdict() != null) {
            boolean verdict = r.realVerdict().equals(Recovery.Status.RECOVERED.words)
                    || r.realVerdict().equals(Recovery.Status.DID_NOT_RECOVER.words);
            return !verdict || r.simRuns() == 0 ? "n/a" : r.simVerdicts() >= Math.ceil(0.025 * r.simRuns()) ? "yes" : "no";
        }
        if (r.real().length == 0 || r.sim().length < 2) {
            return "n/a";
        }
        double[] pi = prediction(r.sim());
        double v = r.real().length == 1 ? r.real()[0] : Stats.mean(r.real());
        return v >= pi[0] && v <= pi[1] ? "yes" : "no";
    }

    static String meanWithin(Row r) {
        if (r.real().length < 2 || r.sim().length < 2) {
            return "n/a";
        }
        Ci mean = simMean(r);
        double v = Stats.mean(r.real());
        return v >= mean.low() && v <= mean.high() ? "yes" : "no";
    }

    static double[] prediction(double[] values) {
        if (values.length == 0) {
            return new double[]{Double.NaN, Double.NaN};
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new double[]{Stats.quantile(sorted, 0.025), Stats.quantile(sorted, 0.975)};
    }

    private static Ci simMean(Row r) {
        return r.sim().length < 2 ? new Ci(Double.NaN, Double.NaN, Double.NaN, r.sim().length)
                : Stats.bootstrapMean(r.sim(), Stats.DEFAULT_RESAMPLES, (r.cell().key() + r.metric()).hashCode());
    }

    private static void writeRunJson(Path dir, JsonNode realJson, Path real, int seeds, Knobs knobs, Map<String, Object> calibration,
                                     Speed speed, int threads) throws IOException {
        ObjectNode root = ResultsJson.MAPPER.createObjectNode();
        root.put("engine", "crossval");
        root.put("what", "the simulator (frl.sim) against a real-stack results folder, same experiment, many seeds");
        root.put("real_folder", real.toString());
        root.put("real_id", realJson.path("id").asText());
        root.put("real_git_revision", realJson.path("environment").path("git_revision").asText());
        root.put("seeds", seeds);
        root.set("calibration", ResultsJson.MAPPER.valueToTree(calibration));
        root.set("model", ResultsJson.MAPPER.valueToTree(knobs.model().describe()));
        root.set("speed", ResultsJson.MAPPER.valueToTree(speed.describe(threads)));
        root.put("compared_metrics", String.join(",", METRICS) + ",recovery");
        Files.writeString(dir.resolve("run.json"), ResultsJson.MAPPER.writeValueAsString(root));
    }

    private static String label(String metric) {
        return switch (metric) {
            case "success_fault" -> "success";
            case "p95_fault_ms" -> "p95 ms";
            case "amp_orders_payments_fault" -> "orders->payments";
            default -> metric;
        };
    }

    private static Duration clamp(Duration d) {
        return d.compareTo(MIN_HOP) < 0 ? MIN_HOP : d.compareTo(MAX_HOP) > 0 ? MAX_HOP : d;
    }

    private static double median(JsonNode runs, java.util.function.ToDoubleFunction<JsonNode> f) {
        List<Double> xs = new ArrayList<>();
        runs.forEach(run -> xs.add(f.applyAsDouble(run)));
        return medianOf(xs);
    }

    private static double medianOf(List<Double> xs) {
        double[] sorted = xs.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no baseline latency to calibrate the network from");
        }
        return Stats.quantile(sorted, 0.5);
    }

    private static String join(JsonNode array) {
        List<String> xs = new ArrayList<>();
        array.forEach(x -> xs.add(x.asText()));
        return String.join(",", xs);
    }

    private static String fmt(double d) {
        return Double.isNaN(d) ? "" : d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d)
                : String.format(Locale.ROOT, "%.6f", d).replaceAll("0+$", "");
    }
}
