package frl.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import frl.experiment.metrics.Ci;
import frl.experiment.metrics.KaplanMeier;
import frl.experiment.metrics.RunResult;
import frl.experiment.load.ClientPolicy;
import frl.experiment.stack.Environment;
import frl.experiment.report.ResultsJson;
import frl.experiment.metrics.MttrRule;
import frl.experiment.plan.Phases;
import frl.experiment.metrics.Recovery;
import frl.experiment.plan.RunPlan;
import frl.experiment.plan.RunSpec;
import frl.experiment.plan.Scenario;
import frl.experiment.metrics.Stats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;

/**
 * {@code make metastability-map}: where the simulated stack stops recovering. For each
 * configuration, a grid of offered load (fraction of capacity) x trigger length (seconds of the
 * retry_storm capacity drop, payments cut to 2 of 4 slots), with {@code seeds} runs per cell; a
 * cell's value is the fraction of runs the MTTR rule judged "did not recover" (Wilson 95%
 * interval), over runs whose baseline was valid.
 *
 * <p>The method: Huang et al. (OSDI 2022) show that the line between recovering and staying down
 * can be one second of trigger, so the map is a grid with many seeds per cell, not one run per
 * point. Clients as in their reproduction: 3 s timeout, up to 4 immediate re-sends with the same
 * key. Trigger 0 is the control column: the same timeline with nothing switched, so a red cell
 * there means the load alone is too much, not that the stack is metastable. Runs of one (load,
 * repetition) share their arrival schedule across configurations and triggers.
 *
 * <p>Options: {@code --configs A,B,D,F --loads 0.3,0.4,...,1.1 --triggers 0,5,...,30 --seeds 20
 * --seed 42 --recovery 90 --results results --threads N}. Writes
 * {@code results/<timestamp>-metastability-map/}: report.html (a heatmap per configuration, the
 * numbers on hover and in tables), summary.md, map.csv, run.json.
 */
public final class MetastabilityMap {
    public static final List<String> DEFAULT_CONFIGS = List.of("A", "B", "D", "F");
    public static final List<Double> DEFAULT_LOADS = List.of(0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1);
    public static final List<Integer> DEFAULT_TRIGGERS = List.of(0, 5, 10, 15, 20, 25, 30);
    public static final int DEFAULT_SEEDS = 20;
    public static final int DEFAULT_RECOVERY_SECONDS = 90;
    static final int WARMUP = 5;
    static final int BASELINE = 20;
    static final int DRAIN = 2;

    /** The grid and its knobs. */
    record Grid(List<String> configs, List<Double> loads, List<Integer> triggers, int seeds, long seed, int recovery) {
        Grid {
            if (configs.isEmpty() || loads.isEmpty() || triggers.isEmpty() || seeds < 1 || recovery < MttrRule.DEFAULT_HOLD_SECONDS) {
                throw new IllegalArgumentException("need configs, loads, triggers, seeds >= 1 and recovery >= "
                        + MttrRule.DEFAULT_HOLD_SECONDS + " s (the MTTR rule's hold); were " + configs + ", " + loads + ", "
                        + triggers + ", " + seeds + ", " + recovery);
            }
            for (int t : triggers) {
                if (t < 0) {
                    throw new IllegalArgumentException("trigger lengths are seconds >= 0, was " + t);
                }
            }
        }

        Phases phases(int trigger) {
            return new Phases(WARMUP, BASELINE, Math.max(1, trigger), recovery, DRAIN);
        }
    }

    /**
     * One point of the map. {@code notRecovered} is over runs with a valid baseline and a verdict;
     * {@code medianMttr} is their Kaplan-Meier median, a run that did not recover censored at the
     * longest MTTR its window could show (NaN: not reached, or no verdict).
     */
    record Cell(String config, double load, int trigger, int runs, int validBaselines, Ci notRecovered, double medianMttr) {
        boolean judged() {
            return notRecovered.n() > 0;
        }
    }

    private record Job(String config, double load, int trigger, RunSpec spec) {
    }

    private MetastabilityMap() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                System.err.println("metastability-map: expected --option value pairs, got '" + argv[i] + "'\n" + usage());
                System.exit(2);
            }
            a.put(argv[i].substring(2), argv[++i]);
        }
        Grid grid;
        int threads;
        try {
            for (String k : a.keySet()) {
                if (!List.of("configs", "loads", "triggers", "seeds", "seed", "recovery", "results", "threads").contains(k)) {
                    throw new IllegalArgumentException("unknown option --" + k);
                }
            }
            grid = new Grid(a.containsKey("configs") ? List.of(a.get("configs").split(",")) : DEFAULT_CONFIGS,
                    a.containsKey("loads") ? numbers(a.get("loads")).stream().map(Double::valueOf).toList() : DEFAULT_LOADS,
                    a.containsKey("triggers") ? numbers(a.get("triggers")).stream().map(d -> (int) Math.round(d)).toList() : DEFAULT_TRIGGERS,
                    Integer.parseInt(a.getOrDefault("seeds", Integer.toString(DEFAULT_SEEDS))),
                    Long.parseLong(a.getOrDefault("seed", "42")),
                    Integer.parseInt(a.getOrDefault("recovery", Integer.toString(DEFAULT_RECOVERY_SECONDS))));
            threads = Integer.parseInt(a.getOrDefault("threads", Integer.toString(Batch.defaultThreads())));
            Knobs knobs = Knobs.fromEnv(System.getenv());
            grid.configs().forEach(knobs::setup); // an unknown configuration fails here, before any run
            run(grid, knobs, threads, Path.of(a.getOrDefault("results", "results")));
        } catch (IllegalArgumentException e) {
            System.err.println("metastability-map: " + e.getMessage() + "\n" + usage());
            System.exit(2);
        }
    }

    private static String usage() {
        return "usage: java frl.sim.MetastabilityMap [--configs A,B,D,F] [--loads 0.3,...,1.1] [--triggers 0,5,...,30]"
                + " [--seeds 20] [--seed 42] [--recovery 90] [--results results] [--threads N]";
    }

    private static List<Double> numbers(String csv) {
        List<Double> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            try {
                out.add(Double.parseDouble(s.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number: '" + s + "' in '" + csv + "'");
            }
        }
        return out;
    }

    /** Runs the grid and writes its folder; returns the cells in (config, load, trigger) order. */
    static List<Cell> run(Grid grid, Knobs knobs, int threads, Path resultsRoot) throws IOException, InterruptedException {
        double capacity = knobs.model().capacity();
        // The harness's pairing: one arrival schedule per (repetition, load), shared by every
        // configuration and trigger; the seed of each is the one RunPlan gives for the map's seed.
        long[][] scheduleSeeds = new long[grid.loads().size()][grid.seeds()];
        for (RunSpec s : RunPlan.interleaved(grid.configs().subList(0, 1), grid.loads(), grid.seeds(), Scenario.RETRY_STORM,
                capacity, grid.seed(), 1)) {
            scheduleSeeds[grid.loads().indexOf(s.loadFraction())][s.rep() - 1] = s.scheduleSeed();
        }
        List<Job> jobs = new ArrayList<>();
        for (String c : grid.configs()) {
            for (int l = 0; l < grid.loads().size(); l++) {
                for (int t : grid.triggers()) {
                    for (int r = 0; r < grid.seeds(); r++) {
                        double load = grid.loads().get(l);
                        jobs.add(new Job(c, load, t, new RunSpec(jobs.size(), c, Scenario.RETRY_STORM, load, load * capacity,
                                grid.phases(t).fault(), r + 1, scheduleSeeds[l][r])));
                    }
                }
            }
        }
        ClientPolicy client = ClientPolicy.defaults().withResends(Scenario.RETRY_STORM.defaultResends);
        MttrRule rule = MttrRule.defaults();
        Fault trigger = Fault.parse(Scenario.RETRY_STORM.target, Scenario.RETRY_STORM.chaosJson);
        Instant started = Instant.now();
        String id = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(started) + "-metastability-map";
        System.out.printf(Locale.ROOT, "metastability map %s: %d configs x %d loads x %d triggers x %d seeds = %d runs, %d thread(s)%n",
                id, grid.configs().size(), grid.loads().size(), grid.triggers().size(), grid.seeds(), jobs.size(), threads);
        long wall0 = System.nanoTime();
        int every = Math.max(1, jobs.size() / 20);
        List<SimRun.Result> results = Batch.map(jobs, threads, j -> SimRun.run(j.spec(), grid.phases(j.trigger()), client, rule,
                j.trigger() == 0 ? Fault.NONE : trigger, knobs, Watcher.NONE, true), n -> {
            if (n % every == 0 || n == jobs.size()) {
                System.out.printf(Locale.ROOT, "  %d/%d runs, %.0f s%n", n, jobs.size(), (System.nanoTime() - wall0) / 1e9);
            }
        });
        Speed speed = Speed.of(results, (System.nanoTime() - wall0) / 1e9);

        List<Cell> cells = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i += grid.seeds()) {
            cells.add(cell(jobs.get(i), results.subList(i, i + grid.seeds())));
        }
        Path dir = resultsRoot.resolve(id);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("map.csv"), Heatmap.csv(cells));
        Files.writeString(dir.resolve("summary.md"), Heatmap.markdown(grid, cells, client, rule));
        Files.writeString(dir.resolve("report.html"), Heatmap.html(id, grid, cells, client, rule));
        Files.writeString(dir.resolve("run.json"), ResultsJson.MAPPER.writeValueAsString(runJson(id, started, grid, knobs, client, rule, speed, threads)));
        System.out.println();
        System.out.print(Heatmap.boundaries(grid, cells));
        System.out.println(speed.line());
        System.out.println("results: " + dir);
        return cells;
    }

    /** As the harness summarises a cell ({@code metrics.CellSummary}): valid runs only, Wilson, Kaplan-Meier. */
    private static Cell cell(Job job, List<SimRun.Result> runs) {
        List<RunResult> valid = runs.stream().filter(SimRun.Result::valid).map(SimRun.Result::run).toList();
        List<KaplanMeier.Observation> verdicts = valid.stream().map(RunResult::recovery).filter(Recovery::hasVerdict)
                .map(r -> r.status() == Recovery.Status.RECOVERED
                        ? new KaplanMeier.Observation(r.seconds(), true)
                        : new KaplanMeier.Observation(r.censoredAt(), false)).toList();
        long notRecovered = verdicts.stream().filter(o -> !o.event()).count();
        return new Cell(job.config(), job.load(), job.trigger(), runs.size(), valid.size(), Stats.wilson(notRecovered, verdicts.size()),
                verdicts.isEmpty() ? Double.NaN : KaplanMeier.median(verdicts));
    }

    private static ObjectNode runJson(String id, Instant started, Grid grid, Knobs knobs, ClientPolicy client, MttrRule rule,
                                      Speed speed, int threads) {
        ObjectNode root = ResultsJson.MAPPER.createObjectNode();
        root.put("schema_version", 1);
        root.put("engine", "simulation");
        root.put("id", id);
        root.put("started_at", started.toString());
        root.put("what", "fraction of runs that did not recover (MTTR rule) per configuration x offered load x trigger length");
        ObjectNode g = root.putObject("grid");
        g.set("configs", ResultsJson.MAPPER.valueToTree(grid.configs()));
        g.set("loads", ResultsJson.MAPPER.valueToTree(grid.loads()));
        g.set("trigger_seconds", ResultsJson.MAPPER.valueToTree(grid.triggers()));
        g.put("seeds_per_cell", grid.seeds());
        g.put("seed", grid.seed());
        ObjectNode phases = g.putObject("phases_seconds");
        phases.put("warmup", WARMUP);
        phases.put("baseline", BASELINE);
        phases.put("fault", "the trigger length (trigger 0: a 1 s window with nothing switched)");
        phases.put("recovery", grid.recovery());
        phases.put("drain", DRAIN);
        root.put("trigger", "POST payments /admin/chaos " + Scenario.RETRY_STORM.chaosJson + " for the trigger length, then {\"reset\": true}");
        root.put("valid_baseline", "baseline success >= " + rule.minBaselineSuccess() + " and p99 <= the SLO (metrics.Validity);"
                + " other runs are not in the fractions");
        ObjectNode c = root.putObject("client");
        c.put("timeout_ms", client.timeout().toMillis());
        c.put("resends_on_timeout", client.resends());
        c.put("deadline_header", client.deadlineHeader());
        root.set("mttr_rule", ResultsJson.MAPPER.valueToTree(rule));
        root.set("model", ResultsJson.MAPPER.valueToTree(knobs.model().describe()));
        ObjectNode configs = root.putObject("configs");
        grid.configs().forEach(name -> configs.set(name, ResultsJson.MAPPER.valueToTree(knobs.describe(name))));
        root.set("speed", ResultsJson.MAPPER.valueToTree(speed.describe(threads)));
        root.set("environment", ResultsJson.MAPPER.valueToTree(Environment.describe()));
        return root;
    }
}
