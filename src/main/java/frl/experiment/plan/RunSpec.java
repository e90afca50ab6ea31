package frl.experiment.plan;

/**
 * One run of the matrix: a config under a scenario at a load and a fault length, one repetition.
 *
 * @param index          position in the run order (0-based)
 * @param loadFraction   load as a fraction of measured capacity
 * @param rate           arrivals per second (loadFraction x capacity)
 * @param faultSeconds   the fault window's length for this run (--trigger sweeps it)
 * @param scheduleSeed   seed of the arrival schedule: the same for every config of one
 *                       (repetition, load), so configs face identical arrivals (paired, common
 *                       random numbers); different across repetitions
 */
public record RunSpec(int index, String config, Scenario scenario, double loadFraction, double rate, int faultSeconds,
                      int rep, long scheduleSeed) {

    /** Identifies the run in keys, files and progress lines, e.g. "C-0.85-f10-r1". */
    public String tag() {
        return config + "-" + loadFraction + "-f" + faultSeconds + "-r" + rep;
    }

    /** The cell this run belongs to: runs of one cell differ only in their repetition. */
    public String cell() {
        return config + "|" + cellOfLoad();
    }

    /** The (load, fault length) part of the cell, which every config shares. */
    public String cellOfLoad() {
        return String.format(java.util.Locale.ROOT, "%08.4f|%04d", loadFraction, faultSeconds);
    }

    /** This run's phases: the experiment's, with this run's fault length. */
    public Phases phases(Phases experiment) {
        return faultSeconds == experiment.fault() ? experiment : experiment.withFault(faultSeconds);
    }
}
