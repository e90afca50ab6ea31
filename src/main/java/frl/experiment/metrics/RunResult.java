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
 * @param phases         the run's timeline (its fault length may differ from the profile's: --trigger)
 * @param gates          warm-up, baseline validity, attempt number
 * @param windows        metrics per window: "baseline", "fault", "recovery", "measured" (all three)
 * @param amplification  amplification per hop per window (same keys)
 * @param telemetry      pattern telemetry over the measured window and the drain
 * @param recovery       the MTTR verdict
 * @param audit          the correctness audit, or null when it could not run ({@code auditNote} says why)
 * @param drain          how the drain before the audit ended
 * @param chaosOnSecond  when the fault was switched on, seconds after the run's start (NaN: no fault)
 * @param chaosOffSecond when it was switched off
 * @param cpu            CPU use over the whole run (per second: in the timeline)
 * @param warnings       anything that makes this run less trustworthy, in words
 */
public record RunResult(RunSpec spec, Phases phases, Gates gates, Map<String, WindowStats> windows,
                        Map<String, Amplification> amplification, Telemetry telemetry, Recovery recovery,
                        AuditResult audit, String auditNote, DrainOutcome drain, List<TimelineRow> timeline,
                        double chaosOnSecond, double chaosOffSecond, CpuSampler.Usage cpu, List<String> warnings) {

    public static final List<String> WINDOWS = List.of("baseline", "fault", "recovery", "measured");

    public WindowStats window(String name) {
        return windows.get(name);
    }

    public boolean valid() {
        return gates.valid();
    }

    /** Seconds of the measured window with the machine's CPUs above {@link TimelineRow#CPU_BOUND}; NaN if CPU was not recorded. */
    public double cpuBoundSeconds() {
        List<TimelineRow> measured = measuredRows();
        if (measured.stream().allMatch(t -> Double.isNaN(t.cpu().machineBusy()))) {
            return Double.NaN;
        }
        return measured.stream().filter(TimelineRow::cpuBound).count();
    }

    /** Mean machine CPU busy share over the measured window's recorded seconds. */
    public double machineCpuMeasured() {
        return measuredRows().stream().mapToDouble(t -> t.cpu().machineBusy()).filter(v -> !Double.isNaN(v))
                .average().orElse(Double.NaN);
    }

    private List<TimelineRow> measuredRows() {
        return timeline.stream().filter(t -> t.second() >= phases.warmup() && t.second() < phases.end()).toList();
    }
}
