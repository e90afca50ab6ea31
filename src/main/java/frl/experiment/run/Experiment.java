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
 * @param capacity        requests/s that loads are fractions of
 * @param capacitySource  "calibrated", "calibrated (lower bound: no knee found)" or "given (--capacity)"
 * @param calibration     the step test, or null when capacity was given
 * @param serviceConfig   {@code GET /admin/config} of every service before the first run
 * @param commandLine     the arguments ExperimentMain was given
 * @param preflight       outcomes of the untimed requests sent before calibration ({@link Preflight})
 */
public record Experiment(String id, String startedAt, Scenario scenario, String chaosJson, Profile profile,
                         Phases phases, List<Double> loads, int reps, long seed, List<String> configs,
                         ClientPolicy policy, MttrRule rule, String body, double capacity, String capacitySource,
                         Calibrator.Calibration calibration, List<RunSpec> plan, Map<String, JsonNode> serviceConfig,
                         Map<String, String> environment, Map<String, String> stack, List<String> commandLine,
                         Map<Outcome, Integer> preflight) {
}
