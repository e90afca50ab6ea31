package frl.experiment.load;

import org.HdrHistogram.Histogram;

/**
 * One second of a run, keyed by the intended send time of its arrivals: what was scheduled in
 * that second and what became of it.
 *
 * <p>Why bin by intended time and not by completion time: every arrival lands in exactly one bin,
 * so each bin satisfies {@code scheduled = succeeded + sum(failed by kind)} once the run is over
 * (an invariant the tests check), and a request's latency is charged to the moment its user
 * arrived, which is what "were users served well again at time t" (the MTTR rule) asks.
 *
 * <p>Latencies go into two HdrHistograms (all arrivals, and successes only) in microseconds with 3
 * significant digits (values exact to within 0.1%), auto-resizing so an idle bin costs little.
 *
 * <p>Thread-safe: every method is synchronized on the bin; a bin is touched a few hundred times a
 * second at most, so a lock is cheaper than a lock-free recorder and far simpler.
 */
public final class Bin {
    /** Precision of every latency histogram: the bins' own, and the merged ones of windows and the MTTR rule. */
    public static final int SIGNIFICANT_DIGITS = 3;

    private final int second;
    private final long scheduled;
    private final long[] byOutcome = new long[Outcome.values().length]; // guarded by "this"
    private long sent;                                                  // guarded by "this"
    private long attempts;                                              // guarded by "this"
    private final Histogram all = new Histogram(SIGNIFICANT_DIGITS);   // guarded by "this"
    private final Histogram ok = new Histogram(SIGNIFICANT_DIGITS);    // guarded by "this"

    Bin(int second, long scheduled) {
        this.second = second;
        this.scheduled = scheduled;
    }

    synchronized void add(RequestResult r) {
        byOutcome[r.outcome().ordinal()]++;
        attempts += r.attempts();
        if (r.sent()) {
            sent++;
        }
        long micros = Math.max(1, r.latencyNanos() / 1_000);
        all.recordValue(micros);
        if (r.outcome() == Outcome.SUCCESS) {
            ok.recordValue(micros);
        }
    }

    /** A consistent copy (the histograms are copied too: later adds do not change it). */
    synchronized BinStats snapshot() {
        return new BinStats(second, scheduled, sent, byOutcome.clone(), attempts, all.copy(), ok.copy());
    }
}
