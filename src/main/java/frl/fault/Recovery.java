package frl.fault;

import frl.experiment.load.BinStats;

import java.util.List;
import java.util.OptionalInt;

/**
 * Reading a case's one-second bins: how much succeeded while the fault was on, and when service
 * came back. Pure functions of the bins, tested on tables.
 *
 * <p>Success is orders confirmed (201 within the client timeout) over scheduled arrivals, as
 * everywhere in the lab. Recovery is the first second, at or after the fault's end, that starts a
 * {@link #WINDOW_SECONDS}-second window whose success is at least {@link #FRACTION} of the
 * baseline's (the load before the fault, its first {@link #SKIP_SECONDS} left out); the answer is
 * that second minus the fault's end. A rolling window, not a single second, because at a few
 * dozen arrivals a second one slow answer would otherwise decide it.
 *
 * <p>Stateless; thread-safe.
 */
public final class Recovery {
    public static final int WINDOW_SECONDS = 5;
    public static final double FRACTION = 0.95;
    public static final int SKIP_SECONDS = 3;

    private Recovery() {
    }

    /** Success over the bins with {@code from <= second < to}; NaN when nothing was scheduled there. */
    public static double success(List<BinStats> bins, int from, int to) {
        long scheduled = 0, succeeded = 0;
        for (BinStats b : bins) {
            if (b.second() >= from && b.second() < to) {
                scheduled += b.scheduled();
                succeeded += b.succeeded();
            }
        }
        return scheduled == 0 ? Double.NaN : (double) succeeded / scheduled;
    }

    /** The baseline: success before the fault, the first seconds of the load left out. */
    public static double baseline(List<BinStats> bins, int faultStart) {
        return success(bins, Math.min(SKIP_SECONDS, Math.max(0, faultStart - 1)), faultStart);
    }

    /**
     * Seconds from {@code faultEnd} to the first window that holds {@link #FRACTION} of the
     * baseline; empty when no whole window after the fault does (the load ended first).
     */
    public static OptionalInt seconds(List<BinStats> bins, int faultStart, int faultEnd) {
        double target = FRACTION * baseline(bins, faultStart);
        int last = bins.stream().mapToInt(BinStats::second).max().orElse(-1);
        for (int s = faultEnd; s + WINDOW_SECONDS - 1 <= last; s++) {
            double w = success(bins, s, s + WINDOW_SECONDS);
            if (!Double.isNaN(w) && w >= target) {
                return OptionalInt.of(s - faultEnd);
            }
        }
        return OptionalInt.empty();
    }
}
