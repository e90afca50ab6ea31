package frl.experiment;

import java.util.List;

/**
 * How long and how often: the three profiles of EXPERIMENTS.md.
 * <ul>
 *   <li>{@code quick}: A..F of one scenario in about 2 minutes, one load (0.85). A smoke test: the
 *       recovery window is shorter than the MTTR rule's 30 s hold, so MTTR reads "window too short".
 *   <li>{@code standard}: about 15 minutes; both loads (0.5 and 0.85 of capacity), one run each;
 *       a 45 s recovery window so the MTTR rule can give a verdict.
 *   <li>{@code paper}: 5 repetitions of every cell at both loads, long windows; CIs and the
 *       fraction not recovered become meaningful.
 * </ul>
 * Calibration steps are part of the profile: short steps suffice for a smoke test, not for a paper.
 */
public enum Profile {
    QUICK(new Phases(2, 4, 4, 5, 2), List.of(0.85), 1, 2, 1.5),
    STANDARD(new Phases(5, 10, 10, 45, 4), List.of(0.5, 0.85), 1, 4, 1.3),
    PAPER(new Phases(10, 30, 30, 120, 10), List.of(0.5, 0.85), 5, 6, 1.25);

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
