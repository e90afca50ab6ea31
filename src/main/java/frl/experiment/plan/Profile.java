package frl.experiment.plan;

import java.util.List;

/**
 * How long and how often: the three profiles of EXPERIMENTS.md.
 * <ul>
 *   <li>{@code quick}: A..F of one scenario in about 2 minutes, one load (0.85). A smoke test: the
 *       recovery window is shorter than the MTTR rule's 30 s hold, so MTTR reads "window too short".
 *   <li>{@code standard}: about 18 minutes; both loads (0.5 and 0.85 of capacity), one run
 *       each, 90 s per run with a 30 s fault: long enough for a queue that a retry storm feeds
 *       to build (a 10 s fault hides it).
 *   <li>{@code paper}: 5 repetitions of every cell at both loads, 210 s per run (about 3.5 hours
 *       for A..F); CIs and the fraction not recovered become meaningful.
 * </ul>
 * The recovery window bounds what MTTR can show: the rule needs the condition held 30 s inside
 * it, so the longest measurable MTTR is recovery - 30 + 1 s (standard: 16 s; paper: 121 s). A
 * slower recovery reads "did not recover in N s", with N stated. And since the rolling window
 * is 10 s, a fault that cut goodput cannot show an MTTR much under 10 s, whatever the config.
 * Calibration steps are part of the profile: short steps suffice for a smoke test, not for a paper.
 */
public enum Profile {
    QUICK(new Phases(2, 4, 4, 5, 2), List.of(0.85), 1, 2, 1.5),
    STANDARD(new Phases(3, 10, 30, 45, 2), List.of(0.5, 0.85), 1, 4, 1.3),
    PAPER(new Phases(10, 20, 20, 150, 10), List.of(0.5, 0.85), 5, 6, 1.25);

    public final Phases phases;
    public final List<Double> loads;
    public final int reps;
    public final int calibrationStepSeconds;
    public final double calibrationFactor;

    Profile(Phases phases, List<Double> loads, int reps, int calibrationStepSeconds, double calibrationFactor) {
        this.phases = phases;
        this.loads = loads;
        this.reps = reps;
        this.calibrationStepSeconds = calibrationStepSeconds;
        this.calibrationFactor = calibrationFactor;
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
