package frl.experiment.report;

import frl.experiment.load.BinStats;
import frl.experiment.load.ClientPolicy;
import frl.experiment.load.Outcome;
import frl.experiment.metrics.Amplification;
import frl.experiment.metrics.AuditResult;
import frl.experiment.metrics.MttrRule;
import frl.experiment.metrics.Recovery;
import frl.experiment.metrics.RunResult;
import frl.experiment.metrics.Telemetry;
import frl.experiment.metrics.TimelineRow;
import frl.experiment.metrics.WindowStats;
import frl.experiment.plan.Phases;
import frl.experiment.plan.Profile;
import frl.experiment.plan.RunPlan;
import frl.experiment.plan.RunSpec;
import frl.experiment.plan.Scenario;
import frl.experiment.run.Calibrator;
import frl.experiment.run.Experiment;
import frl.experiment.run.RunExecutor;
import frl.experiment.stack.CpuSampler;
import frl.experiment.stack.StackJson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A made-up but internally consistent experiment (no services involved) for report tests: bins
 * are generated from a seeded random dip during the fault and fed through the same code paths as
 * a real run (BinStats -> WindowStats, MttrRule, TimelineRow), so the fixture cannot drift from
 * what the harness writes.
 */
final class Fixtures {
    static final Phases PHASES = new Phases(2, 10, 10, 50, 1);

    private Fixtures() {
    }

    static Experiment experiment(List<RunSpec> plan) {
        return new Experiment("20250101T000000Z-payment_errors", "2025-01-01T00:00:00Z", Scenario.PAYMENT_ERRORS,
                Scenario.PAYMENT_ERRORS.chaosJson, Profile.STANDARD, PHASES, List.of(0.5, 0.85), 2, 42,
                List.of("A", "B"), ClientPolicy.defaults(), MttrRule.defaults(), RunExecutor.DEFAULT_BODY, 100,
                "calibrated", calibration(), plan, Map.of("payments", StackJson.MAPPER.getNodeFactory().textNode("stub")),
                Map.of("git_revision", "abc123", "git_dirty", "false", "jdk", "test", "cpu_count", "2"),
                Map.of("gateway", "http://127.0.0.1:8000"), List.of("--scenario", "payment_errors"),
                Map.of(Outcome.SUCCESS, 20));
    }

    static Calibrator.Calibration calibration() {
        CpuSampler.Usage cpu = new CpuSampler.Usage(0.1, 0.3, 0.5, Map.of(), 2);
        List<Calibrator.StepResult> steps = List.of(new Calibrator.StepResult(40, 40, 40, 60, cpu),
                new Calibrator.StepResult(60, 61, 60, 70, cpu), new Calibrator.StepResult(90, 90, 100, 900, cpu),
                new Calibrator.StepResult(135, 134, 101, 2500, cpu));
        return new Calibrator.Calibration("A", 40, 1.5, 4, 0.10, 42, steps, true, 101, 3, false);
    }

    /** Config A at two loads x two reps, config B likewise; B's second high-load run never recovers. */
    static List<RunResult> results(List<RunSpec> plan) {
        List<RunResult> out = new ArrayList<>();
        for (RunSpec s : plan) {
            boolean stuck = s.config().equals("B") && s.loadFraction() > 0.8 && s.rep() == 2;
            out.add(result(s, stuck));
        }
        return out;
    }

    static List<RunSpec> plan() {
        return RunPlan.interleaved(List.of("A", "B"), List.of(0.5, 0.85), 2, Scenario.PAYMENT_ERRORS, 100, 42);
    }

    static RunResult result(RunSpec s, boolean stuck) {
        Random random = new Random(s.index());
        int rate = (int) s.rate();
        List<BinStats> bins = new ArrayList<>();
        for (int k = 0; k < PHASES.end(); k++) {
            boolean fault = k >= PHASES.faultStart() && (k < PHASES.faultEnd() || (stuck) || k < PHASES.faultEnd() + 3);
            int ok = fault ? (int) (rate * (0.5 + 0.2 * random.nextDouble())) : rate - random.nextInt(2);
            bins.add(BinStats.synthetic(k, rate, ok, rate - ok, fault ? 2_500_000 : 40_000 + random.nextInt(20_000)));
        }
        Map<String, WindowStats> windows = new LinkedHashMap<>();
        windows.put("baseline", WindowStats.of(bins, PHASES.warmup(), PHASES.faultStart()));
        windows.put("fault", WindowStats.of(bins, PHASES.faultStart(), PHASES.faultEnd()));
        windows.put("recovery", WindowStats.of(bins, PHASES.faultEnd(), PHASES.end()));
        windows.put("measured", WindowStats.of(bins, PHASES.warmup(), PHASES.end()));
        Map<String, Amplification> amp = new LinkedHashMap<>();
        double payments = s.config().equals("B") ? 2.4 + random.nextDouble() * 0.3 : 1.0;
        RunResult.WINDOWS.forEach(w -> amp.put(w, new Amplification(1.0, 1.0, w.equals("baseline") ? 1.0 : payments, 1.0)));
        Recovery recovery = MttrRule.defaults().evaluate(bins, windows.get("baseline").successRate(), PHASES.faultEnd(), PHASES.end());
        AuditResult audit = s.config().equals("B")
                ? new AuditResult(3, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1, 0, 900, 800)
                : new AuditResult(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 900, 850);
        return new RunResult(s, PHASES, windows, amp, new Telemetry(4, 0, 0, 0, 120, Map.of("payments", 4L)), recovery,
                s.rep() == 2 && s.config().equals("A") ? null : audit, s.rep() == 2 ? "databases unreachable, \"quoted\", with comma" : "",
                bins.stream().map(b -> TimelineRow.of(b, PHASES)).toList(), 12.01, 22.02,
                new CpuSampler.Usage(0.2, 0.4, 0.7, Map.of(), 2), stuck ? List.of("a warning, with a comma") : List.of());
    }

}
