package frl.experiment.report;

import frl.experiment.load.BinStats;
import frl.experiment.load.ClientPolicy;
import frl.experiment.load.Outcome;
import frl.experiment.metrics.Amplification;
import frl.experiment.metrics.AuditResult;
import frl.experiment.metrics.DrainOutcome;
import frl.experiment.metrics.Gates;
import frl.experiment.metrics.MttrRule;
import frl.experiment.metrics.Recovery;
import frl.experiment.metrics.Rejections;
import frl.experiment.metrics.RunResult;
import frl.experiment.metrics.Telemetry;
import frl.experiment.metrics.TimelineRow;
import frl.experiment.metrics.Validity;
import frl.experiment.metrics.WarmupOutcome;
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

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A made-up but internally consistent experiment (no services involved) for report tests: bins
 * are generated from a seeded random dip during the fault and fed through the same code paths as
 * a real run (BinStats -> WindowStats, Validity, MttrRule, TimelineRow), so the fixture cannot
 * drift from what the harness writes.
 *
 * <p>Config A at two loads x two reps, config B likewise. B's second high-load run never recovers;
 * every B run at the low load has a broken baseline (40% served), so that cell is invalid; seconds
 * 15 and 16 of every run are CPU-bound.
 */
final class Fixtures {
    static final Phases PHASES = new Phases(2, 10, 10, 50, 1);
    static final MttrRule RULE = MttrRule.defaults();

    private Fixtures() {
    }

    static Experiment experiment(List<RunSpec> plan) {
        return new Experiment("20250101T000000Z-payment_errors", "2025-01-01T00:00:00Z", Scenario.PAYMENT_ERRORS,
                Scenario.PAYMENT_ERRORS.chaosJson, Profile.STANDARD, PHASES, List.of(0.5, 0.85), List.of(PHASES.fault()), 2, 42,
                List.of("A", "B"), ClientPolicy.defaults(), RULE, RunExecutor.DEFAULT_BODY, 100,
                "calibrated", calibration(), null, new RunExecutor.Settings(60, 2, Duration.ofSeconds(180)), plan,
                Map.of("payments", StackJson.MAPPER.getNodeFactory().textNode("stub")),
                Map.of("git_revision", "abc123", "git_dirty", "false", "jdk", "test", "cpu_count", "2"),
                Map.of("gateway", "http://127.0.0.1:8000"), Map.of("postgres", List.of(11L, 12L)),
                List.of("--scenario", "payment_errors"), Map.of(Outcome.SUCCESS, 20));
    }

    static Calibrator.Calibration calibration() {
        CpuSampler.Usage cpu = new CpuSampler.Usage(0.1, 0.3, 0.5, Map.of("payments", 0.2), 2);
        CpuSampler.Usage busy = new CpuSampler.Usage(0.1, 0.75, 0.5, Map.of("payments", 0.4), 2);
        List<Calibrator.StepResult> steps = List.of(new Calibrator.StepResult(40, 40, 40, 60, cpu),
                new Calibrator.StepResult(60, 61, 60, 70, cpu), new Calibrator.StepResult(90, 90, 100, 900, cpu),
                new Calibrator.StepResult(135, 134, 101, 2500, busy));
        Calibrator.Pass pass = new Calibrator.Pass(steps, true, 101, 3);
        Calibrator.Pass other = new Calibrator.Pass(steps.subList(0, 3), true, 95, 2);
        return new Calibrator.Calibration("A", 40, 1.5, 4, 0.10, 42, List.of(pass, other, pass), true, 101, 95, 101, 0.75, true);
    }

    static List<RunResult> results(List<RunSpec> plan) {
        List<RunResult> out = new ArrayList<>();
        for (RunSpec s : plan) {
            boolean stuck = s.config().equals("B") && s.loadFraction() > 0.8 && s.rep() == 2;
            boolean broken = s.config().equals("B") && s.loadFraction() < 0.8;
            out.add(result(s, stuck, broken));
        }
        return out;
    }

    static List<RunSpec> plan() {
        return RunPlan.interleaved(List.of("A", "B"), List.of(0.5, 0.85), 2, Scenario.PAYMENT_ERRORS, 100, 42, PHASES.fault());
    }

    static RunResult result(RunSpec s, boolean stuck, boolean brokenBaseline) {
        Random random = new Random(s.index());
        int rate = (int) s.rate();
        List<BinStats> bins = new ArrayList<>();
        for (int k = 0; k < PHASES.end(); k++) {
            boolean fault = k >= PHASES.faultStart() && (k < PHASES.faultEnd() || stuck || k < PHASES.faultEnd() + 3);
            int ok = fault ? (int) (rate * (0.5 + 0.2 * random.nextDouble())) : brokenBaseline ? (int) (rate * 0.4) : rate;
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
        Recovery recovery = RULE.evaluate(bins, windows.get("baseline").successRate(), PHASES.faultEnd(), PHASES.end());
        AuditResult audit = s.config().equals("B")
                ? new AuditResult(1, 3, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1, 0, 900, 800)
                : new AuditResult(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 900, 850);
        Map<String, Double> split = new LinkedHashMap<>();
        for (String kind : Rejections.KINDS) {
            for (String hop : Rejections.HOPS) {
                split.put(kind + " " + hop, kind.equals("breaker_refused") ? Double.NaN : hop.equals("orders->payments") ? 7.0 : 0.0);
            }
        }
        List<TimelineRow> rows = new ArrayList<>();
        for (BinStats b : bins) {
            double busy = b.second() == 15 || b.second() == 16 ? 0.95 : 0.4;
            rows.add(TimelineRow.of(b, PHASES, new CpuSampler.Usage(0.2, busy, 0.7,
                    Map.of("gateway", 0.1, "orders", 0.2, "payments", 0.1, "postgres", 0.3), 2)));
        }
        Validity validity = Validity.of(windows.get("baseline"), RULE);
        Gates gates = new Gates(new WarmupOutcome(12, true, 60, "success 100.0%"), validity, validity.valid() ? 1 : 3,
                validity.valid() ? List.of() : List.of("attempt 1: " + validity.reason(), "attempt 2: " + validity.reason()));
        return new RunResult(s, PHASES, gates, windows, amp,
                new Telemetry(4, 0, 0, 0, 120, 0, Map.of("payments", 4L), new Rejections(split), 35, true), recovery,
                s.rep() == 2 && s.config().equals("A") ? null : audit, s.rep() == 2 ? "databases unreachable, \"quoted\", with comma" : "",
                new DrainOutcome(3, true, 0, 0, 0, "settled after 3 s"), List.copyOf(rows), 12.01, 22.02,
                new CpuSampler.Usage(0.2, 0.4, 0.7, Map.of(), 2), stuck ? List.of("a warning, with a comma") : List.of());
    }
}
