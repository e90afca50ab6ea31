package frl.experiment.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The Kaplan-Meier estimate of a time-to-event distribution with right-censored observations:
 * here, time to recover over the repetitions of a cell, where a run that did not recover within
 * its window is censored at the longest MTTR that window could show.
 *
 * <p>Why not a mean over the runs that recovered: it drops exactly the slow runs, so a
 * configuration that recovered once in five tries looks as good as its one lucky run. A mean that
 * counts the censored runs at their censoring time is biased low too. Kaplan-Meier uses every run
 * for as long as it was observed:
 * <pre>
 *   S(t) = product over event times t_i <= t of (1 - d_i / n_i)
 * </pre>
 * where d_i runs recovered at t_i and n_i were still unrecovered (neither recovered nor censored)
 * just before it. A censoring at the same time as an event counts as still at risk at that event
 * (the usual convention). The median is the smallest t with S(t) <= 0.5; when S never gets there
 * (half the runs or more never recovered) the median is "not reached", NaN here, and reports say so.
 *
 * <p>Pure functions; O(n log n).
 */
public final class KaplanMeier {
    /** One run: the time observed, and whether it was the event (recovered) or a censoring. */
    public record Observation(double time, boolean event) {
    }

    /** One step of the curve: S just after {@code time}. */
    public record Step(double time, int atRisk, int events, double survival) {
    }

    private KaplanMeier() {
    }

    public static List<Step> curve(List<Observation> observations) {
        List<Observation> sorted = new ArrayList<>(observations);
        sorted.sort(Comparator.comparingDouble(Observation::time));
        List<Step> steps = new ArrayList<>();
        double s = 1;
        int atRisk = sorted.size();
        int i = 0;
        while (i < sorted.size()) {
            double t = sorted.get(i).time();
            int events = 0, leaving = 0;
            for (; i < sorted.size() && sorted.get(i).time() == t; i++) {
                events += sorted.get(i).event() ? 1 : 0;
                leaving++;
            }
            if (events > 0) {
                s *= 1 - (double) events / atRisk;
                steps.add(new Step(t, atRisk, events, s));
            }
            atRisk -= leaving;
        }
        return steps;
    }

    /** The median time, or NaN when the curve never falls to 0.5 (not reached). */
    public static double median(List<Observation> observations) {
        for (Step step : curve(observations)) {
            if (step.survival() <= 0.5 + 1e-12) {
                return step.time();
            }
        }
        return Double.NaN;
    }
}
