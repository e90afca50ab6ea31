package frl.experiment;

import frl.experiment.load.ClientPolicy;
import frl.experiment.metrics.MttrRule;
import frl.experiment.plan.Phases;
import frl.experiment.plan.Profile;
import frl.experiment.plan.Scenario;
import frl.experiment.run.Calibrator;
import frl.experiment.run.Drain;
import frl.experiment.run.RunExecutor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * ExperimentMain's command line, parsed and validated. Every default is named here and quoted by
 * {@link #USAGE}; everything chosen ends up in run.json.
 *
 * @param faults            fault lengths in seconds: the phases' own, or the --trigger sweep
 * @param settings          the validity gates' levers
 * @param calibrationPasses passes of the calibration step test
 */
public record ExperimentOptions(Scenario scenario, Profile profile, List<Double> loads, List<Integer> faults, int reps,
                                long seed, Phases phases, Path stack, Path results, List<String> configs, Double capacity,
                                ClientPolicy policy, MttrRule rule, String chaosJson, String calibrationConfig,
                                double calibrationStart, int calibrationPasses, RunExecutor.Settings settings, String body) {
    public static final long DEFAULT_SEED = 42;
    public static final List<String> ALL_CONFIGS = List.of("A", "B", "C", "D", "E", "F");

    public static final String USAGE = """
            usage: java frl.experiment.ExperimentMain --scenario NAME [options]
              --scenario none|payment_errors|payment_slow|inventory_lock|retry_storm   (required)
              --profile quick|standard|paper   timeline, loads, reps, configs, calibration (default standard)
              --load 0.85 | 0.5,0.85           load fraction(s) of measured capacity (default: the profile's)
              --reps N                         paired repetitions per cell (default: the profile's; paper 5)
              --seed N                         master seed: schedules, run order, bootstrap (default 42)
              --duration 120s                  arrival time per run; the profile's phases are scaled to it
              --phases W,B,F,R,D               settle,baseline,fault,recovery,drain seconds (overrides --duration)
              --trigger 6,8,10,12              fault lengths in seconds to sweep (each is a cell; default: one)
              --stack .run/stack.json          where the stack launcher described the running stack
              --results results                results root; writes results/<timestamp>-<scenario>/ and results/latest
              --configs A,B,C,D,E,F            which configs to run (default: the profile's; paper A,B,D,F)
              --capacity R                     skip calibration, take R requests/s as capacity (checked with one short step)
              --client-timeout-ms 3000         client timeout per attempt
              --client-resends N               re-sends on timeout, same Idempotency-Key (default: 4 for retry_storm, else 0)
              --send-slack-ms 100              later than this an arrival is NOT_SENT_ON_TIME
              --no-deadline-header             do not send X-Deadline-Remaining-Ms
              --slo-p99-ms 1000                the p99 SLO of the MTTR rule, the warm-up gate and the baseline gate
              --baseline-gate 0.99             least baseline success for a valid run (and an MTTR verdict)
              --invalid-retries 2              how many times an invalid run is played again
              --warmup-bound 60s               longest adaptive warm-up before each run (default: the profile's; 0 = none)
              --drain-bound 180s               longest wait for PENDING orders and queued payments before the audit
              --chaos JSON                     replace the scenario's fault payload, e.g. '{"slots": 2}'
              --calibration-config A           config used by the calibration step test
              --calibration-start 20           first step's rate, requests/s
              --calibration-passes 3           passes of the step test (capacity = their median)
              --body JSON                      the order sent (default: the contract's example order)
            """;

    private static final List<String> KNOWN = List.of("scenario", "profile", "load", "reps", "seed", "duration", "phases",
            "trigger", "stack", "results", "configs", "capacity", "client-timeout-ms", "client-resends", "send-slack-ms",
            "no-deadline-header!", "slo-p99-ms", "baseline-gate", "invalid-retries", "warmup-bound", "drain-bound", "chaos",
            "calibration-config", "calibration-start", "calibration-passes", "body", "help!");

    public static boolean wantsHelp(String[] argv) {
        return List.of(argv).contains("--help") || List.of(argv).contains("-h");
    }

    public static ExperimentOptions parse(String[] argv) {
        Args a = new Args(argv, KNOWN);
        Scenario scenario = Scenario.of(a.required("scenario"));
        Profile profile = Profile.of(a.string("profile", "standard"));
        List<Double> loads = a.numbers("load", profile.loads);
        for (double l : loads) {
            if (!(l > 0 && l <= 2)) {
                throw new IllegalArgumentException("--load fractions must be in (0, 2], was " + l);
            }
        }
        if (scenario.highLoadOnly) {
            loads = List.of(loads.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
        }
        int reps = (int) a.integer("reps", profile.reps);
        if (reps < 1) {
            throw new IllegalArgumentException("--reps must be >= 1, was " + reps);
        }
        Phases phases = profile.phases;
        if (a.has("phases")) {
            phases = Phases.parse(a.string("phases", ""));
        } else {
            if (a.has("duration")) {
                phases = phases.scaledTo((int) a.duration("duration", null).toSeconds());
            }
            if (scenario.fixedFaultSeconds > 0) {
                phases = phases.withFault(scenario.fixedFaultSeconds);
            }
        }
        List<Integer> faults = List.of(phases.fault());
        if (a.has("trigger")) {
            List<Integer> t = new ArrayList<>();
            for (double d : a.numbers("trigger", List.of())) {
                if (d != Math.rint(d) || d < 1) {
                    throw new IllegalArgumentException("--trigger takes whole seconds >= 1, was " + d);
                }
                t.add((int) d);
            }
            faults = List.copyOf(t);
            phases = phases.withFault(faults.get(0));
        }
        List<String> configs = List.of(a.string("configs", String.join(",", profile.configs)).split(","));
        for (String c : configs) {
            if (!ALL_CONFIGS.contains(c)) {
                throw new IllegalArgumentException("--configs takes letters A..F, was \"" + c + "\"");
            }
        }
        Double capacity = a.has("capacity") ? a.number("capacity", 0) : null;
        if (capacity != null && !(capacity > 0)) {
            throw new IllegalArgumentException("--capacity must be positive requests/s, was " + capacity);
        }
        ClientPolicy policy = new ClientPolicy(
                Duration.ofMillis(a.integer("client-timeout-ms", ClientPolicy.DEFAULT_TIMEOUT.toMillis())),
                (int) a.integer("client-resends", scenario.defaultResends),
                Duration.ofMillis(a.integer("send-slack-ms", ClientPolicy.DEFAULT_SEND_SLACK.toMillis())),
                !a.has("no-deadline-header"));
        MttrRule rule = MttrRule.defaults().withSlo(a.number("slo-p99-ms", MttrRule.DEFAULT_SLO_P99_MS))
                .withMinBaselineSuccess(a.number("baseline-gate", MttrRule.DEFAULT_MIN_BASELINE_SUCCESS));
        String calibrationConfig = a.string("calibration-config", "A");
        if (!ALL_CONFIGS.contains(calibrationConfig)) {
            throw new IllegalArgumentException("--calibration-config takes a letter A..F, was \"" + calibrationConfig + "\"");
        }
        int passes = (int) a.integer("calibration-passes", Profile.CALIBRATION_PASSES);
        if (passes < 1) {
            throw new IllegalArgumentException("--calibration-passes must be >= 1, was " + passes);
        }
        RunExecutor.Settings settings = new RunExecutor.Settings(
                (int) a.duration("warmup-bound", Duration.ofSeconds(profile.warmupBoundSeconds)).toSeconds(),
                (int) a.integer("invalid-retries", RunExecutor.Settings.DEFAULT_INVALID_RETRIES),
                a.duration("drain-bound", Drain.DEFAULT_BOUND));
        return new ExperimentOptions(scenario, profile, loads, faults, reps, a.integer("seed", DEFAULT_SEED), phases,
                Path.of(a.string("stack", ".run/stack.json")), Path.of(a.string("results", "results")), configs, capacity,
                policy, rule, a.string("chaos", scenario.chaosJson), calibrationConfig,
                a.number("calibration-start", Calibrator.DEFAULT_START_RATE), passes, settings,
                a.string("body", RunExecutor.DEFAULT_BODY));
    }
}
