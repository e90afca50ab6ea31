package frl.experiment.run;

import com.fasterxml.jackson.databind.JsonNode;
import frl.experiment.load.ClientPolicy;
import frl.experiment.load.Outcome;
import frl.experiment.metrics.MttrRule;
import frl.experiment.plan.Phases;
import frl.experiment.plan.Profile;
import frl.experiment.plan.RunSpec;
import frl.experiment.plan.Scenario;

import java.util.List;
import java.util.Map;

/**
 * Every knob of one experiment, fixed before the first run: what run.json records so the
 * experiment can be rerun exactly (the same seed gives the same schedules, run order and
 * bootstrap intervals; the services' own randomness is theirs, recorded under service_config).
 *
 * @param id              also the results folder name: {@code <UTC timestamp>-<scenario>}
 * @param chaosJson       the fault payload actually sent (the scenario's, or --chaos)
 * @param loads           load fractions actually run (retry_storm: the highest only)
 * @param faults          fault lengths in seconds (one, or the --trigger sweep)
 * @param capacity        requests/s that loads are fractions of
 * @param capacitySource  "calibrated", "calibrated (lower bound: no knee found)" or "given (--capacity)"
 * @param calibration     the step test, or null when capacity was given
 * @param capacityCheck   the one-step check of a given capacity, or null when calibrated
 * @param settings        the validity gates' levers (warm-up bound, invalid retries, drain bound)
 * @param serviceConfig   {@code GET /admin/config} of every service before the first run
 * @param cpuWatched      the processes whose CPU is recorded, by group (services, postgres, redis)
 * @param commandLine     the arguments ExperimentMain was given
 * @param preflight       outcomes of the untimed requests sent before calibration ({@link Preflight})
 */
public record Experiment(String id, String startedAt, Scenario scenario, String chaosJson, Profile profile,
                         Phases phases, List<Double> loads, List<Integer> faults, int reps, long seed, List<String> configs,
                         ClientPolicy policy, MttrRule rule, String body, double capacity, String capacitySource,
                         Calibrator.Calibration calibration, Calibrator.Check capacityCheck, RunExecutor.Settings settings,
                         List<RunSpec> plan, Map<String, JsonNode> serviceConfig, Map<String, String> environment,
                         Map<String, String> stack, Map<String, List<Long>> cpuWatched, List<String> commandLine,
                         Map<Outcome, Integer> preflight) {

    /** True when the experiment sweeps the fault length (--trigger): reports then name it per cell. */
    public boolean sweepsTrigger() {
        return faults.size() > 1;
    }
}
