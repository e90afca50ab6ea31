package frl.experiment.metrics;

import java.util.List;

/**
 * Capacity from an open-loop step test, as a pure function of the steps: the rate where goodput
 * stops following the offered rate.
 *
 * <p>A step "follows" when {@code goodput >= (1 - tolerance) x offered}. Goodput here is 201s
 * completed per second during the step (completion time, not arrival time: past capacity a queue
 * builds and completions flatten at capacity while arrivals keep rising). The knee is the first
 * step that does not follow. Capacity = the highest goodput seen up to and including the knee:
 * past the knee, goodput can fall below capacity (collapse), so later steps would understate it,
 * and the knee step itself may be the one that pushed goodput highest.
 *
 * <p>If every step follows, capacity was not found: the answer is "at least the last goodput",
 * and the caller must not pretend otherwise.
 *
 * <p>Tolerance (default 0.10) absorbs Poisson noise and the lag between arrivals and completions
 * in a short step; too small and noise stops the test early, too large and the knee is found late
 * (capacity itself is still read from the goodput, so it is robust to either).
 */
public final class Knee {
    public static final double DEFAULT_TOLERANCE = 0.10;

    /** One step: mean offered arrivals per second and 201s completed per second. */
    public record Step(double offeredPerSecond, double goodputPerSecond) {
    }

    /**
     * @param found      whether some step failed to follow
     * @param capacity   requests per second the stack completed successfully at most
     * @param kneeIndex  index of the first step that did not follow, or -1
     */
    public record Result(boolean found, double capacity, int kneeIndex) {
    }

    private Knee() {
    }

    /** True when a step's goodput is within {@code tolerance} of its offered rate. */
    public static boolean follows(Step s, double tolerance) {
        return s.goodputPerSecond() >= (1 - tolerance) * s.offeredPerSecond();
    }

    public static Result find(List<Step> steps, double tolerance) {
        if (!(tolerance >= 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance must be in [0, 1), was " + tolerance);
        }
        double best = 0;
        for (int i = 0; i < steps.size(); i++) {
            best = Math.max(best, steps.get(i).goodputPerSecond());
            if (!follows(steps.get(i), tolerance)) {
                return new Result(true, best, i);
            }
        }
        return new Result(false, best, -1);
    }
}
