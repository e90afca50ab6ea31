package frl.experiment.metrics;

import frl.experiment.plan.Phases;
import frl.experiment.plan.RunSpec;
import frl.experiment.stack.CpuSampler;

import java.util.List;
import java.util.Map;

/**
 * Everything one run measured, as plain numbers (no histograms): the unit that statistics are
 * computed over, since runs, not requests, are the independent samples.
 *
 * @param windows        metrics per window: "baseline", "fault", "recovery", "measured" (all three)
 * @param amplification  amplification per hop per window (same keys)
 * @param telemetry      pattern telemetry over the measured window and the drain
 * @param recovery       the MTTR verdict
 * @param audit          the correctness audit, or null when it could not run ({@code auditNote} says why)
 * @param chaosOnSecond  when the fault was switched on, seconds after the run's start (NaN: no fault)
 * @param chaosOffSecond when it was switched off
 * @param cpu            CPU use over the whole run
 * @param warnings       anything that makes this run less trustworthy, in words
 */
public record RunResult(RunSpec spec, Phases phases, Map<String, WindowStats> windows,
                        Map<String, Amplification> amplification, Telemetry telemetry, Recovery recovery,
                        AuditResult audit, String auditNote, List<TimelineRow> timeline,
                        double chaosOnSecond, double chaosOffSecond, CpuSampler.Usage cpu, List<String> warnings) {

    public static final List<String> WINDOWS = List.of("baseline", "fault", "recovery", "measured");

    public WindowStats window(String name) {
        return windows.get(name);
    }
}
