package frl.experiment.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one-second bins of a run: a {@link ResultSink} that files every arrival under the second of
 * its intended send time (see {@link Bin} for why), and keeps live totals for the progress line.
 *
 * <p>Bin {@code k} is created up front with the schedule's arrivals in {@code [k, k+1)} s, so a bin
 * whose requests never come back still shows what was scheduled.
 *
 * <p>Thread-safe: bins lock themselves; live totals are {@link LongAdder}s.
 */
public final class Timeline implements ResultSink {
    private final Bin[] bins;
    private final LongAdder finished = new LongAdder();
    private final LongAdder succeeded = new LongAdder();

    public Timeline(Schedule schedule) {
        int[] perSecond = schedule.perSecond();
        bins = new Bin[perSecond.length];
        for (int k = 0; k < bins.length; k++) {
            bins[k] = new Bin(k, perSecond[k]);
        }
    }

    @Override
    public void record(RequestResult r) {
        bins[(int) (r.intendedNanos() / 1_000_000_000L)].add(r);
        finished.increment();
        if (r.outcome() == Outcome.SUCCESS) {
            succeeded.increment();
        }
    }

    /** Success so far over arrivals finished so far (live; the final figure is over scheduled). */
    public double liveSuccessRate() {
        long n = finished.sum();
        return n == 0 ? Double.NaN : (double) succeeded.sum() / n;
    }

    public List<BinStats> snapshot() {
        List<BinStats> out = new ArrayList<>(bins.length);
        for (Bin b : bins) {
            out.add(b.snapshot());
        }
        return out;
    }
}
