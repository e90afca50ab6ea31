package frl.experiment.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The order of the runs: interleaved, shuffled, seeded.
 *
 * <p>Why. Running every repetition of A, then every repetition of B, confounds config with time:
 * a machine that warms up, a database that grows, a noisy neighbour at minute 10 would all look like
 * a difference between configs. So the matrix is played in rounds (one round = every config at
 * every load and fault length once), each round in a freshly shuffled order from one seeded
 * {@link Random}.
 *
 * <p>Schedule seeds (pairing): every config in the same (repetition, load) gets the same arrival
 * schedule (common random numbers), so config differences are never arrival-luck differences,
 * and a difference between two configs can be taken repetition by repetition; repetitions get
 * different schedules. Fault lengths share their (repetition, load)'s seed too: a schedule is
 * drawn sequentially, so a longer run sees the same arrivals as a shorter one for as long as both last.
 */
public final class RunPlan {
    private RunPlan() {
    }

    /** One fault length: the phases' own. */
    public static List<RunSpec> interleaved(List<String> configs, List<Double> loads, int reps, Scenario scenario,
                                            double capacity, long seed, int faultSeconds) {
        return interleaved(configs, loads, List.of(faultSeconds), reps, scenario, capacity, seed);
    }

    public static List<RunSpec> interleaved(List<String> configs, List<Double> loads, List<Integer> faults, int reps,
                                            Scenario scenario, double capacity, long seed) {
        if (configs.isEmpty() || loads.isEmpty() || faults.isEmpty() || reps < 1) {
            throw new IllegalArgumentException("need at least one config, one load, one fault length and one repetition; were "
                    + configs + ", " + loads + ", " + faults + ", " + reps);
        }
        if (!(capacity > 0)) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        for (int f : faults) {
            if (f < 1) {
                throw new IllegalArgumentException("fault lengths must be >= 1 s, were " + faults);
            }
        }
        Random random = new Random(seed);
        long[][] scheduleSeeds = new long[reps][loads.size()];
        for (long[] row : scheduleSeeds) {
            for (int l = 0; l < row.length; l++) {
                row[l] = random.nextLong();
            }
        }
        List<RunSpec> plan = new ArrayList<>();
        for (int rep = 1; rep <= reps; rep++) {
            List<int[]> round = new ArrayList<>(); // {config index, load index, fault index}
            for (int c = 0; c < configs.size(); c++) {
                for (int l = 0; l < loads.size(); l++) {
                    for (int f = 0; f < faults.size(); f++) {
                        round.add(new int[]{c, l, f});
                    }
                }
            }
            Collections.shuffle(round, random);
            for (int[] cell : round) {
                double load = loads.get(cell[1]);
                plan.add(new RunSpec(plan.size(), configs.get(cell[0]), scenario, load, load * capacity, faults.get(cell[2]),
                        rep, scheduleSeeds[rep - 1][cell[1]]));
            }
        }
        return List.copyOf(plan);
    }
}
