package frl.experiment.metrics;

import frl.experiment.load.BinStats;
import frl.experiment.plan.Phases;
import frl.experiment.plan.RunSpec;
import frl.experiment.plan.Scenario;
import frl.experiment.stack.CpuSampler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fixture runs for the metrics over runs: one-second bins at 100 arrivals/s with a chosen baseline
 * and fault-window success, fed through the same functions as a real run (WindowStats, Validity,
 * MttrRule), so a fixture cannot claim what the harness would not compute.
 */
final class TestRuns {
    static final Phases PHASES = new Phases(0, 10, 10, 60, 0);
    static final MttrRule RULE = MttrRule.defaults();

    private TestRuns() {
    }

    /**
     * @param baselineOk successes per baseline second (of 100)
     * @param faultOk    successes per fault second (of 100)
     * @param recoverAt  first good second after the fault (>= PHASES.end(): never)
     */
    static RunResult run(String config, int rep, int baselineOk, int faultOk, int recoverAt) {
        RunSpec spec = new RunSpec(rep, config, Scenario.PAYMENT_ERRORS, 0.85, 100, PHASES.fault(), rep, 1000 + rep);
        List<BinStats> bins = new ArrayList<>();
        for (int k = 0; k < PHASES.end(); k++) {
            int ok = k < PHASES.faultStart() ? baselineOk : k < recoverAt ? faultOk : 100;
            bins.add(BinStats.synthetic(k, 100, ok, 100 - ok, 50_000));
        }
        Map<String, WindowStats> windows = new LinkedHashMap<>();
        windows.put("baseline", WindowStats.of(bins, PHASES.warmup(), PHASES.faultStart()));
        windows.put("fault", WindowStats.of(bins, PHASES.faultStart(), PHASES.faultEnd()));
        windows.put("recovery", WindowStats.of(bins, PHASES.faultEnd(), PHASES.end()));
        windows.put("measured", WindowStats.of(bins, PHASES.warmup(), PHASES.end()));
        Map<String, Amplification> amp = new LinkedHashMap<>();
        RunResult.WINDOWS.forEach(w -> amp.put(w, new Amplification(1, 1, 1, 1)));
        Validity validity = Validity.of(windows.get("baseline"), RULE);
        return new RunResult(spec, PHASES, new Gates(WarmupOutcome.NONE, validity, 1, List.of()), windows, amp,
                Telemetry.of(Map.of()), RULE.evaluate(bins, windows.get("baseline").successRate(), PHASES.faultEnd(), PHASES.end()),
                null, "fixture", DrainOutcome.NONE, bins.stream().map(b -> TimelineRow.of(b, PHASES)).toList(),
                PHASES.faultStart(), PHASES.faultEnd(), CpuSampler.Usage.UNKNOWN, List.of());
    }
}
