package frl.experiment.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import frl.experiment.load.Outcome;
import frl.experiment.metrics.Metric;
import frl.experiment.metrics.RunResult;
import frl.experiment.metrics.WindowStats;
import frl.experiment.plan.RunSpec;
import frl.experiment.plan.Scenario;
import frl.experiment.run.Experiment;

import java.util.List;

/**
 * run.json: everything needed to understand and rerun an experiment, and every run's numbers.
 * Top-level keys: schema_version, id, complete, started_at, success_definition, scenario, chaos
 * (target, on, off), profile, phases_seconds, fault_seconds (one, or the trigger sweep),
 * load_fractions, reps, seed, configs, client (timeout, re-sends, send slack, deadline header,
 * body), mttr_rule (with the baseline gate), gates (warm-up bound, invalid retries, drain bound),
 * capacity (value, source, calibration passes and steps with CPU, or the check of a given
 * capacity), run_order (config, load, fault, rate, rep, schedule seed of every planned run),
 * service_config (each service's GET /admin/config), environment (git revision, JDK, OS, CPUs),
 * stack (service and admin URLs), cpu_watched (the processes whose CPU is recorded),
 * command_line, preflight_not_counted, and runs (per run: gates (warm-up, validity, attempt,
 * discarded attempts), recovery verdict, chaos switch times, every {@link Metric}, windows with
 * outcome counts, amplification, telemetry with refusals per hop, drain, audit, CPU, warnings).
 * Missing values are null, never NaN.
 *
 * <p>Stateless.
 */
final class RunJson {
    private RunJson() {
    }

    static ObjectNode of(Experiment exp, List<RunResult> results, boolean complete) {
        ObjectNode root = ResultsJson.MAPPER.createObjectNode();
        root.put("schema_version", 2);
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
        root.set("phases_seconds", ResultsJson.MAPPER.valueToTree(exp.phases()));
        root.set("fault_seconds", ResultsJson.MAPPER.valueToTree(exp.faults()));
        root.set("load_fractions", ResultsJson.MAPPER.valueToTree(exp.loads()));
        root.put("reps", exp.reps());
        root.put("seed", exp.seed());
        root.set("configs", ResultsJson.MAPPER.valueToTree(exp.configs()));
        ObjectNode client = root.putObject("client");
        client.put("timeout_ms", exp.policy().timeout().toMillis());
        client.put("resends_on_timeout", exp.policy().resends());
        client.put("send_slack_ms", exp.policy().sendSlack().toMillis());
        client.put("deadline_header", exp.policy().deadlineHeader());
        client.put("body", exp.body());
        client.put("arrivals", "Poisson (open model), intended send times precomputed from the schedule seed");
        root.set("mttr_rule", ResultsJson.MAPPER.valueToTree(exp.rule()));
        ObjectNode gates = root.putObject("gates");
        gates.put("warmup_bound_seconds", exp.settings().warmupBoundSeconds());
        gates.put("invalid_retries", exp.settings().invalidRetries());
        gates.put("drain_bound_seconds", exp.settings().drainBound().toSeconds());
        gates.put("min_baseline_success", exp.rule().minBaselineSuccess());
        gates.put("baseline_p99_slo_ms", exp.rule().sloP99Ms());
        ObjectNode capacity = root.putObject("capacity");
        capacity.put("requests_per_second", exp.capacity());
        capacity.put("source", exp.capacitySource());
        capacity.set("calibration", ResultsJson.MAPPER.valueToTree(exp.calibration()));
        capacity.set("check", ResultsJson.MAPPER.valueToTree(exp.capacityCheck()));
        ArrayNode order = root.putArray("run_order");
        exp.plan().forEach(s -> order.add(planEntry(s)));
        root.set("service_config", ResultsJson.MAPPER.valueToTree(exp.serviceConfig()));
        root.set("environment", ResultsJson.MAPPER.valueToTree(exp.environment()));
        root.set("stack", ResultsJson.MAPPER.valueToTree(exp.stack()));
        root.set("cpu_watched", ResultsJson.MAPPER.valueToTree(exp.cpuWatched()));
        root.set("command_line", ResultsJson.MAPPER.valueToTree(exp.commandLine()));
        ObjectNode preflight = root.putObject("preflight_not_counted");
        exp.preflight().forEach((o, n) -> preflight.put(o.label, n));
        ArrayNode runs = root.putArray("runs");
        for (RunResult r : results) {
            ObjectNode run = planEntry(r.spec());
            run.set("gates", ResultsJson.MAPPER.valueToTree(r.gates()));
            run.put("valid", r.valid());
            run.put("recovery", r.recovery().status().words);
            run.put("mttr_seconds", r.recovery().seconds());
            run.put("mttr_censored_at_seconds", r.recovery().censoredAt());
            run.put("recovery_detail", r.recovery().detail());
            run.put("chaos_on_second", r.chaosOnSecond());
            run.put("chaos_off_second", r.chaosOffSecond());
            ObjectNode metrics = run.putObject("metrics");
            Metric.ALL.forEach(m -> metrics.put(m.id(), finite(m.of(r))));
            ObjectNode windows = run.putObject("windows");
            r.windows().forEach((name, w) -> windows.set(name, windowJson(w)));
            run.set("amplification", ResultsJson.MAPPER.valueToTree(r.amplification()));
            run.set("telemetry", ResultsJson.MAPPER.valueToTree(r.telemetry()));
            run.set("drain", ResultsJson.MAPPER.valueToTree(r.drain()));
            run.set("audit", ResultsJson.MAPPER.valueToTree(r.audit()));
            run.put("audit_note", r.auditNote());
            run.set("cpu", ResultsJson.MAPPER.valueToTree(r.cpu()));
            run.set("warnings", ResultsJson.MAPPER.valueToTree(r.warnings()));
            runs.add(run);
        }
        return root;
    }

    /** A window's numbers, with the outcome counts labelled instead of an anonymous array. */
    private static ObjectNode windowJson(WindowStats w) {
        ObjectNode n = ResultsJson.MAPPER.valueToTree(w);
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
        ObjectNode n = ResultsJson.MAPPER.createObjectNode();
        n.put("index", s.index());
        n.put("config", s.config());
        n.put("load_fraction", s.loadFraction());
        n.put("rate_per_second", s.rate());
        n.put("fault_seconds", s.faultSeconds());
        n.put("rep", s.rep());
        n.put("schedule_seed", s.scheduleSeed());
        return n;
    }

    private static Double finite(double d) {
        return Double.isNaN(d) || Double.isInfinite(d) ? null : d;
    }
}
