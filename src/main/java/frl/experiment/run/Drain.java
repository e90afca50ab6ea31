package frl.experiment.run;

import frl.experiment.metrics.DrainOutcome;
import frl.resilience.NanoClock;
import frl.resilience.Sleeper;

import java.io.IOException;
import java.time.Duration;

/**
 * The drain between a run's last answer and its audit: wait until the stack has settled, so the
 * audit judges outcomes, not work in progress.
 *
 * <p>Settled means no order PENDING and no payment queued or in progress. The rule, once a second:
 * <pre>
 *   payments busy                       -> wait (its answers will settle their orders)
 *   payments idle, orders PENDING       -> trigger the recovery sweep (at most every sweepEvery), wait
 *   payments idle, nothing PENDING      -> settled
 *   bound reached                       -> stop; what is still PENDING is reported as such
 * </pre>
 * The sweep is triggered only once payments is idle: an order whose charge is still queued would
 * otherwise be failed by the sweep and charged a moment later, an orphan the drain itself made.
 * A stack without {@code POST /admin/sweep} leaves the orders to its own sweep's horizon; the
 * bound still holds. A probe that fails (an admin call timing out) counts as "not yet known" and
 * the drain keeps waiting; -1 from a probe means "this stack does not report it", which cannot
 * be waited for and is not.
 *
 * <p>Not thread-safe; one drain at a time. Time is injected, so the rule is tested on a fake clock.
 */
public final class Drain {
    public static final Duration DEFAULT_BOUND = Duration.ofSeconds(180);
    public static final Duration SWEEP_EVERY = Duration.ofSeconds(5);

    /** What the drain asks the stack. */
    public interface Probe {
        /** Orders of the run still PENDING, or -1 when not reported. */
        long pendingOrders() throws IOException, InterruptedException;

        /** Payments queued or in progress, or -1 when not reported. */
        long paymentsQueued() throws IOException, InterruptedException;

        /** Runs the recovery sweep now; false when the stack has no such call. */
        boolean sweep() throws IOException, InterruptedException;
    }

    private final NanoClock clock;
    private final Sleeper sleeper;
    private final Duration minimum;
    private final Duration bound;

    /**
     * @param minimum waited in any case (the profile's drain seconds: the outbox relay's lag)
     * @param bound   the longest the whole drain may take
     */
    public Drain(NanoClock clock, Sleeper sleeper, Duration minimum, Duration bound) {
        if (bound.compareTo(minimum) < 0) {
            throw new IllegalArgumentException("drain bound " + bound + " is shorter than its minimum " + minimum);
        }
        this.clock = clock;
        this.sleeper = sleeper;
        this.minimum = minimum;
        this.bound = bound;
    }

    public DrainOutcome run(Probe probe) throws InterruptedException {
        long start = clock.nanoTime();
        if (!minimum.isZero()) {
            sleeper.sleep(minimum);
        }
        int sweeps = 0;
        boolean canSweep = true;
        long lastSweep = Long.MIN_VALUE;
        long pending = -1, queued = -1;
        String note = "";
        while (true) {
            boolean known = true;
            try {
                queued = probe.paymentsQueued();
                pending = probe.pendingOrders();
            } catch (IOException e) {
                known = false;
                note = "last probe failed: " + e.getMessage();
            }
            long now = clock.nanoTime();
            double waited = (now - start) / 1e9;
            if (known && queued <= 0 && pending <= 0) {
                return new DrainOutcome(waited, true, pending, queued, sweeps, settledText(waited, sweeps, pending, queued));
            }
            if (now - start >= bound.toNanos()) {
                return new DrainOutcome(waited, false, pending, queued, sweeps, String.format(java.util.Locale.ROOT,
                        "not settled after %.0f s: %s orders PENDING, %s payments queued%s%s", waited, known(pending), known(queued),
                        sweeps > 0 ? ", " + sweeps + " sweep(s) triggered" : "", note.isEmpty() ? "" : "; " + note));
            }
            if (known && queued <= 0 && pending > 0 && canSweep && (lastSweep == Long.MIN_VALUE || now - lastSweep >= SWEEP_EVERY.toNanos())) {
                try {
                    canSweep = probe.sweep();
                    if (canSweep) {
                        sweeps++;
                    } else {
                        note = "no POST /admin/sweep on this stack: waiting for the sweep's own horizon";
                    }
                } catch (IOException e) {
                    note = "sweep failed: " + e.getMessage();
                }
                lastSweep = now;
            }
            sleeper.sleep(Duration.ofSeconds(1));
        }
    }

    private static String settledText(double waited, int sweeps, long pending, long queued) {
        String unknown = (pending < 0 ? " (PENDING orders not reported)" : "") + (queued < 0 ? " (payments queue not reported)" : "");
        return String.format(java.util.Locale.ROOT, "settled after %.0f s%s%s", waited,
                sweeps > 0 ? " with " + sweeps + " sweep(s)" : "", unknown);
    }

    private static String known(long n) {
        return n < 0 ? "unknown" : Long.toString(n);
    }
}
