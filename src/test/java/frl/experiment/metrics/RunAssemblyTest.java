package frl.experiment.metrics;

import frl.experiment.load.BinStats;
import frl.experiment.plan.RunSpec;
import frl.experiment.plan.Scenario;
import frl.experiment.stack.AdminClient;
import frl.experiment.stack.Counters;
import frl.experiment.stack.CpuSampler;
import frl.experiment.stack.StackInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An attempt's observations into its result, on fixture observations (100 arrivals/s, all served). */
class RunAssemblyTest {
    private static final RunSpec SPEC = new RunSpec(0, "E", Scenario.RETRY_STORM, 0.85, 100, 10, 1, 7);

    private static AdminClient.Snapshot counters(long received, double ms) {
        Map<String, Counters> all = new LinkedHashMap<>();
        Map<String, Double> latency = new LinkedHashMap<>();
        StackInfo.SERVICES.forEach(s -> {
            all.put(s, new Counters(s, received, 0, Map.of(), 0, 0, 0, 0));
            latency.put(s, ms);
        });
        return new AdminClient.Snapshot(all, latency, List.of());
    }

    private static AdminClient.Snapshot failed() {
        Map<String, Double> latency = new LinkedHashMap<>();
        StackInfo.SERVICES.forEach(s -> latency.put(s, Double.NaN));
        return new AdminClient.Snapshot(null, latency, List.of("payments: java.net.http.HttpTimeoutException"));
    }

    private static RunAssembly.Observed observed(List<AdminClient.Snapshot> snapshots, int baselineOk, List<CpuSampler.Usage> cpu) {
        List<BinStats> bins = new ArrayList<>();
        for (int k = 0; k < TestRuns.PHASES.end(); k++) {
            int ok = k < TestRuns.PHASES.faultStart() ? baselineOk : 100;
            bins.add(BinStats.synthetic(k, 100, ok, 100 - ok, 50_000));
        }
        return new RunAssembly.Observed(SPEC, TestRuns.PHASES, WarmupOutcome.NONE, 2, List.of("attempt 1: invalid: baseline 90.0%"),
                bins, snapshots, List.of(Map.of(), Map.of()), cpu, CpuSampler.Usage.UNKNOWN, DrainOutcome.NONE, null, "no audit",
                10.0, 20.0, List.of("waited 3 s"));
    }

    @Test
    void aFailedSnapshotMakesTheTelemetryIncompleteAndOnlyItsWindowsUnknown() {
        // Given the snapshot at the fault's end failed (a storm flooding the data plane's port)
        List<AdminClient.Snapshot> snapshots = List.of(counters(0, 12), counters(1000, 40), failed(), counters(9000, 900));

        RunResult r = RunAssembly.result(observed(snapshots, 100, List.of()), MttrRule.defaults());

        assertFalse(r.telemetry().complete());
        assertEquals(1.0, r.amplification().get("baseline").gatewayToOrders(), 1e-12, "its neighbours are still known");
        assertTrue(Double.isNaN(r.amplification().get("fault").gatewayToOrders()));
        assertTrue(Double.isNaN(r.amplification().get("recovery").gatewayToOrders()));
        assertEquals(900, r.telemetry().adminSlowestMs());
        assertTrue(r.warnings().stream().anyMatch(w -> w.startsWith("telemetry incomplete") && w.contains("HttpTimeoutException")));
        assertEquals("waited 3 s", r.warnings().get(0), "the gathering's own warnings come first");
        assertEquals(2, r.gates().attempt());
    }

    @Test
    void anInvalidBaselineIsJudgedAndSaidAndEachSecondGetsItsCpu() {
        List<AdminClient.Snapshot> snapshots = List.of(counters(0, 5), counters(1000, 5), counters(2000, 5), counters(9000, 1500));
        CpuSampler.Usage busy = new CpuSampler.Usage(0.3, 0.95, 1, Map.of("payments", 0.5), 2);
        CpuSampler.Usage calm = new CpuSampler.Usage(0.1, 0.40, 1, Map.of("payments", 0.2), 2);

        RunResult r = RunAssembly.result(observed(snapshots, 90, List.of(calm, busy, busy)), MttrRule.defaults());

        assertFalse(r.valid());
        assertEquals("invalid: baseline 90.0%", r.gates().validity().reason());
        assertEquals(Recovery.Status.INVALID_BASELINE, r.recovery().status(), "the MTTR rule refuses the same baseline");
        assertTrue(r.warnings().contains("invalid: baseline 90.0%: no numbers are reported for this run"));
        assertTrue(r.warnings().stream().anyMatch(w -> w.startsWith("the admin plane answered a counters call in 1500 ms")));
        assertEquals(0.40, r.timeline().get(0).cpu().machineBusy());
        assertTrue(r.timeline().get(1).cpuBound());
        assertTrue(Double.isNaN(r.timeline().get(3).cpu().machineBusy()), "no recording for that second: unknown, not 0");
        assertEquals(2, r.cpuBoundSeconds(), "seconds 1 and 2 of the measured window");
    }
}
