package frl.experiment.plan;

/**
 * One run of the matrix: a config under a scenario at a load, one repetition.
 *
 * @param index          position in the run order (0-based)
 * @param loadFraction   load as a fraction of measured capacity
 * @param rate           arrivals per second (loadFraction x capacity)
 * @param scheduleSeed   seed of the arrival schedule: the same for every config of one
 *                       (repetition, load), so configs face identical arrivals (common random numbers)
 */
public record RunSpec(int index, String config, Scenario scenario, double loadFraction, double rate, int rep,
                      long scheduleSeed) {

    /** Identifies the run in keys, files and progress lines, e.g. "C-0.85-r1". */
    public String tag() {
        return config + "-" + loadFraction + "-r" + rep;
    }
}
