package frl.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import frl.experiment.load.Outcome;
import frl.experiment.load.Transport;
import frl.experiment.metrics.CellSummary;
import frl.experiment.metrics.Knee;
import frl.experiment.metrics.Metric;
import frl.experiment.metrics.RunResult;
import frl.experiment.metrics.WarmupGate;
import frl.experiment.plan.Phases;
import frl.experiment.plan.RunPlan;
import frl.experiment.plan.RunSpec;
import frl.experiment.plan.Scenario;
import frl.experiment.report.ResultsWriter;
import frl.experiment.report.SummaryMarkdown;
import frl.experiment.run.Calibrator;
import frl.experiment.run.Experiment;
import frl.experiment.run.Preflight;
import frl.experiment.run.Progress;
import frl.experiment.run.RunExecutor;
import frl.experiment.stack.AdminClient;
import frl.experiment.stack.AuditLoader;
import frl.experiment.stack.CpuSampler;
import frl.experiment.stack.Environment;
import frl.experiment.stack.HttpTransport;
import frl.experiment.stack.StackInfo;
import frl.resilience.NanoClock;
import frl.resilience.Sleeper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code make experiment}: configs A..F against one scenario on the running stack, per
 * EXPERIMENTS.md. Print the ETA; calibrate (three passes), or check a given --capacity with one
 * short step; plan the interleaved, paired runs; play each run (reset, adaptive warm-up, settle,
 * baseline, fault, recovery, drain until settled, audit), again when its baseline is invalid;
 * write the results folder after every run; print the final table.
 *
 * <p>Exit status: 0 when every run finished; 1 when the experiment stopped early (the results
 * folder then holds the finished runs, marked partial); 2 for a bad command line or a stack that
 * is not running.
 */
public final class ExperimentMain {
    private ExperimentMain() {
    }

    public static void main(String[] argv) throws Exception {
        if (ExperimentOptions.wantsHelp(argv)) {
            System.out.print(ExperimentOptions.USAGE);
            return;
        }
        ExperimentOptions o;
        try {
            o = ExperimentOptions.parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println("experiment: " + e.getMessage() + "\n\n" + ExperimentOptions.USAGE);
            System.exit(2);
            return;
        }
        System.exit(run(o, List.of(argv)));
    }

    static int run(ExperimentOptions o, List<String> commandLine) throws InterruptedException {
        StackInfo stack;
        String token;
        try {
            stack = StackInfo.read(o.stack());
            token = stack.adminToken();
        } catch (IOException e) {
            System.err.println("experiment: " + e.getMessage());
            return 2;
        }
        NanoClock clock = NanoClock.system();
        Sleeper sleeper = Sleeper.system();
        HttpClient load = HttpTransport.newClient(o.policy().timeout());
        AdminClient admin = new AdminClient(HttpTransport.newClient(AdminClient.DEFAULT_TIMEOUT), stack, token, clock);
        for (String s : StackInfo.SERVICES) {
            if (!admin.healthy(s)) {
                System.err.println("experiment: " + s + " at " + stack.url(s) + " is not healthy (GET /health); is the stack running?");
                return 2;
            }
        }
        if (!stack.hasManagementListeners()) {
            System.out.println("note: stack.json names no management listener (\"admin\"); counters are read on the service ports,"
                    + " which a storm can flood");
        }
        CpuSampler cpu = CpuSampler.forStack(clock, stack);
        System.out.println("CPU recorded per second for: machine, driver, " + cpu.watched().keySet());
        String startedAt = Instant.now().toString();
        String id = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now())
                + "-" + o.scenario().id;
        System.out.println(eta(o));
        try {
            Map<String, JsonNode> serviceConfig = admin.configs();
            admin.resetAll();
            Transport preflight = new HttpTransport(load, URI.create(stack.url("gateway") + "/orders"), o.calibrationConfig(),
                    o.body(), o.policy().deadlineHeader());
            Map<Outcome, Integer> pre = Preflight.run(preflight, Preflight.DEFAULT_REQUESTS, o.policy().timeout(), id);
            System.out.println("preflight (" + Preflight.DEFAULT_REQUESTS + " requests, config " + o.calibrationConfig()
                    + ", not counted): " + pre);
            if (!pre.containsKey(Outcome.SUCCESS)) {
                System.err.println("experiment: the gateway confirmed none of " + Preflight.DEFAULT_REQUESTS
                        + " preflight orders (" + pre + "); is the stack healthy and stocked?");
                return 1;
            }
            Calibrator calibrator = new Calibrator(preflight, o.policy().withResends(0), clock, sleeper, cpu, id);
            Calibrator.Calibration calibration = null;
            Calibrator.Check check = null;
            double capacity;
            String source;
            if (o.capacity() != null) {
                capacity = o.capacity();
                source = "given (--capacity)";
                admin.awaitQuiet(clock, sleeper);
                admin.resetAll();
                check = calibrator.check(capacity, o.seed());
                System.out.println(check.message());
            } else {
                admin.resetAll();
                calibration = calibrator.run(o.calibrationConfig(), o.calibrationStart(), o.profile().calibrationFactor,
                        o.profile().calibrationStepSeconds, Calibrator.DEFAULT_MAX_STEPS, Knee.DEFAULT_TOLERANCE,
                        o.calibrationPasses(), o.seed(), System.out::println, () -> {
                            admin.awaitQuiet(clock, sleeper);
                            admin.resetAll();
                        });
                capacity = calibration.capacity();
                source = calibration.found() ? "calibrated" : "calibrated (lower bound: not every pass found a knee)";
                System.out.println("capacity " + calibration.describe());
                if (calibration.machineBound()) {
                    System.out.println("warning: " + SummaryMarkdown.machineBoundText(calibration));
                }
                if (!(capacity > 0)) {
                    System.err.println("experiment: calibration measured no goodput at all; is the stack answering 201?");
                    return 1;
                }
            }
            List<RunSpec> plan = RunPlan.interleaved(o.configs(), o.loads(), o.faults(), o.reps(), o.scenario(), capacity, o.seed());
            Map<String, String> environment = new java.util.LinkedHashMap<>(Environment.describe());
            Long gatewayPid = stack.pids().get("gateway");
            if (gatewayPid != null) {
                // a storm's leftovers (queues, JIT state, database bloat) are part of a stack's history:
                // say how fresh this one is, so runs on a long-lived stack can be told apart
                environment.put("stack_age_seconds", Environment.processAgeSeconds(gatewayPid));
                System.out.println("the stack has been up for " + environment.get("stack_age_seconds") + " s");
            }
            Experiment exp = new Experiment(id, startedAt, o.scenario(), o.chaosJson(), o.profile(), o.phases(), o.loads(),
                    o.faults(), o.reps(), o.seed(), o.configs(), o.policy(), o.rule(), o.body(), capacity, source, calibration,
                    check, o.settings(), plan, serviceConfig, environment, stack.publicView(), cpu.watched(), commandLine, pre);
            return play(exp, stack, admin, load, clock, sleeper, cpu, o.results());
        } catch (IOException e) {
            System.err.println("experiment: " + e.getMessage());
            return 1;
        }
    }

    /** Seconds one run is expected to take: warm-up (the gate's window plus answers), arrivals, drain, reset. */
    static double expectedRunSeconds(Phases phases, RunExecutor.Settings settings) {
        double warmup = settings.warmupBoundSeconds() == 0 ? 0 : Math.min(settings.warmupBoundSeconds(), WarmupGate.DEFAULT_WINDOW_SECONDS + 3);
        return warmup + phases.end() + phases.drain() + 3;
    }

    /** The line printed before anything runs: how long the whole experiment should take. */
    static String eta(ExperimentOptions o) {
        int runs = o.configs().size() * o.loads().size() * o.faults().size() * o.reps();
        double perRun = o.faults().stream().mapToDouble(f -> expectedRunSeconds(o.phases().withFault(f), o.settings()))
                .average().orElse(0);
        double calibration;
        if (o.capacity() != null) {
            calibration = Calibrator.CHECK_STEP_SECONDS + 2;
        } else {
            // steps until a capacity near the documented one (80 req/s) is passed, per pass
            int steps = (int) Math.ceil(Math.log(EXPECTED_CAPACITY / o.calibrationStart()) / Math.log(o.profile().calibrationFactor)) + 2;
            calibration = o.calibrationPasses() * (Math.max(1, steps) * (o.profile().calibrationStepSeconds + 1.0) + 3);
        }
        double total = calibration + runs * perRun;
        return String.format(java.util.Locale.ROOT, "ETA about %d min: %s about %.0f s, then %d runs x about %.0f s"
                        + " (an invalid run is played again, up to %d times, and adds to it)",
                Math.round(total / 60), o.capacity() != null ? "capacity check" : o.calibrationPasses() + " calibration passes",
                calibration, runs, perRun, o.settings().invalidRetries());
    }

    /** What the ETA assumes calibration will find, before it has: the capacity the docs quote. */
    static final double EXPECTED_CAPACITY = 80;

    /**
     * A Ctrl-C in the middle of a fault window must not leave the stack broken for whoever uses
     * it next: on exit, switch the scenario's chaos off (best effort, once).
     */
    private static Thread chaosOffOnExit(Experiment exp, AdminClient admin) {
        return Thread.ofPlatform().unstarted(() -> {
            if (!exp.scenario().injectsFault()) {
                return;
            }
            try {
                admin.chaos(exp.scenario().target, Scenario.CHAOS_OFF);
                System.err.println("\nexperiment interrupted: chaos switched off on " + exp.scenario().target
                        + "; partial results are in results/" + exp.id());
            } catch (IOException | InterruptedException e) {
                System.err.println("\nexperiment interrupted and chaos could not be switched off on "
                        + exp.scenario().target + ": " + e.getMessage() + "; POST /admin/reset before using the stack");
            }
        });
    }

    private static int play(Experiment exp, StackInfo stack, AdminClient admin, HttpClient load, NanoClock clock,
                            Sleeper sleeper, CpuSampler cpu, Path resultsRoot) throws IOException, InterruptedException {
        ResultsWriter writer = new ResultsWriter(resultsRoot, exp.id());
        AuditLoader audit = stack.hasDatabases() ? new AuditLoader(stack.databases()) : null;
        RunExecutor executor = new RunExecutor(stack, admin, audit, load, clock, sleeper, cpu, exp.body(), exp.id(), exp.settings());
        double planned = expectedRunSeconds(exp.phases(), exp.settings());
        Progress progress = new Progress(System.out, exp.plan(), planned, Progress.stdoutIsTerminal(), clock);
        System.out.printf("experiment %s: %d runs, about %.0f s each; %s%n", exp.id(), exp.plan().size(), planned,
                Metric.SUCCESS_DEFINITION);
        List<RunResult> results = new ArrayList<>();
        writer.write(exp, results, false);
        Thread cleanup = chaosOffOnExit(exp, admin);
        Runtime.getRuntime().addShutdownHook(cleanup);
        for (RunSpec spec : exp.plan()) {
            long t0 = clock.nanoTime();
            try {
                results.add(executor.execute(spec, exp.phases(), exp.policy(), exp.rule(), exp.chaosJson(), progress));
            } catch (IOException e) {
                writer.write(exp, results, false);
                System.err.println("\nexperiment stopped: " + e.getMessage()
                        + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : "")
                        + "\npartial results: " + writer.directory());
                return 1;
            }
            progress.finish(results.get(results.size() - 1), (clock.nanoTime() - t0) / 1e9);
            writer.write(exp, results, false);
        }
        writer.write(exp, results, true);
        Runtime.getRuntime().removeShutdownHook(cleanup);
        System.out.println();
        System.out.println(Metric.SUCCESS_DEFINITION + "; fault window unless stated.");
        System.out.print(SummaryMarkdown.mainTable(exp, CellSummary.of(results, exp.seed())).text());
        System.out.println("\nresults: " + writer.directory() + " (also results/latest)");
        return 0;
    }
}
