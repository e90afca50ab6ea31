package frl.experiment.plan;

import java.util.List;

/**
 * How long and how often: the three profiles of EXPERIMENTS.md.
 * <ul>
 *   <li>{@code quick}: A..F of one scenario in a few minutes, one load (0.85). A smoke test: the
 *       recovery window is shorter than the MTTR rule's 30 s hold, so MTTR reads "window too short".
 *   <li>{@code standard}: about 25 minutes; both loads (0.5 and 0.85 of capacity), one run each,
 *       90 s per run with a 30 s fault: long enough for a queue that a retry storm feeds to build
 *       (a 10 s fault hides it).
 *   <li>{@code paper}: A, B, D and F (the baseline, naive retries, breakers, everything) at one load
 *       (0.85), 5 paired repetitions, 130 s of arrivals per run: about 55 minutes for one scenario,
 *       so repetitions fit a working session. Paired differences against A, the fraction not
 *       recovered and the Kaplan-Meier median MTTR become meaningful.
 * </ul>
 * Every run is preceded by an adaptive warm-up (until the stack is warm, at most
 * {@link #warmupBoundSeconds}); the phases' own warm-up seconds come after it, discarded too.
 * The recovery window bounds what MTTR can show: the rule needs the condition held 30 s inside
 * it, so the longest measurable MTTR is recovery - 30 + 1 s (standard: 16 s; paper: 61 s); a
 * slower recovery reads "did not recover in N s" and is censored there. And since the rolling
 * window is 10 s, a fault that cut goodput cannot show an MTTR much under 10 s, whatever the config.
 * Calibration is part of the profile: {@link #CALIBRATION_PASSES} passes of the step test, with
 * steps long enough for a queue to show.
 */
public enum Profile {
    QUICK(new Phases(2, 4, 4, 5, 2), List.of(0.85), 1, 3, 1.5, 30, List.of("A", "B", "C", "D", "E", "F", "G")),
    STANDARD(new Phases(3, 10, 30, 45, 2), List.of(0.5, 0.85), 1, 5, 1.3, 60, List.of("A", "B", "C", "D", "E", "F", "G")),
    PAPER(new Phases(5, 15, 20, 90, 5), List.of(0.85), 5, 8, 1.25, 60, List.of("A", "B", "D", "F"));

    /** Passes of the calibration step test; the capacity is their median, the spread their range. */
    public static final int CALIBRATION_PASSES = 3;

    public final Phases phases;
    public final List<Double> loads;
    public final int reps;
    public final int calibrationStepSeconds;
    public final double calibrationFactor;
    public final int warmupBoundSeconds;
    public final List<String> configs;

    Profile(Phases phases, List<Double> loads, int reps, int calibrationStepSeconds, double calibrationFactor,
            int warmupBoundSeconds, List<String> configs) {
        this.phases = phases;
        this.loads = loads;
        this.reps = reps;
        this.calibrationStepSeconds = calibrationStepSeconds;
        this.calibrationFactor = calibrationFactor;
        this.warmupBoundSeconds = warmupBoundSeconds;
        this.configs = configs;
    }

    public static Profile of(String name) {
        try {
            return valueOf(name.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown profile \"" + name + "\"; known: quick, standard, paper");
        }
    }

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
