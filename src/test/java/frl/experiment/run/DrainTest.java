package frl.experiment.run;

import frl.experiment.metrics.DrainOutcome;
import frl.testing.FakeClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The drain's rule on a fake clock, against a scripted stack. */
class DrainTest {
    private final FakeClock clock = new FakeClock();
    private final long t0 = clock.nanoTime();

    /** A stack whose payments queue empties at {@code queueEmptyAt} s and whose PENDING orders the n-th sweep settles. */
    private final class Scripted implements Drain.Probe {
        final List<Double> sweepsAt = new ArrayList<>();
        long queueEmptyAt = 0;
        int settlingSweep = Integer.MAX_VALUE;
        boolean sweepSupported = true;
        long pending = 3;
        int failFirstProbes = 0;

        double now() {
            return (clock.nanoTime() - t0) / 1e9;
        }

        @Override
        public long pendingOrders() {
            return pending;
        }

        @Override
        public long paymentsQueued() throws IOException {
            if (failFirstProbes-- > 0) {
                throw new IOException("counters timed out");
            }
            return now() < queueEmptyAt ? 5 : 0;
        }

        @Override
        public boolean sweep() {
            if (!sweepSupported) {
                return false;
            }
            sweepsAt.add(now());
            if (sweepsAt.size() >= settlingSweep) {
                pending = 0;
            }
            return true;
        }
    }

    @Test
    void sweepsOnlyOncePaymentsIsIdleThenSettles() throws Exception {
        // Given payments busy until 10 s, and PENDING orders that the second sweep settles
        Scripted stack = new Scripted();
        stack.queueEmptyAt = 10;
        stack.settlingSweep = 2;

        DrainOutcome d = new Drain(clock, clock, Duration.ofSeconds(2), Duration.ofSeconds(180)).run(stack);

        // Then no sweep while charges were queued (it would fail orders about to be charged),
        // the first at 10 s, the next SWEEP_EVERY later, and the drain ends when nothing is left
        assertEquals(List.of(10.0, 15.0), stack.sweepsAt);
        assertTrue(d.settled());
        assertEquals(2, d.sweeps());
        assertEquals(16, d.seconds(), 1e-9);
        assertEquals(0, d.pendingAtEnd());
    }

    @Test
    void atTheBoundWhatIsStillPendingIsReportedNotJudged() throws Exception {
        // Given a stack without POST /admin/sweep whose PENDING orders never settle
        Scripted stack = new Scripted();
        stack.sweepSupported = false;

        DrainOutcome d = new Drain(clock, clock, Duration.ZERO, Duration.ofSeconds(30)).run(stack);

        assertFalse(d.settled());
        assertEquals(3, d.pendingAtEnd());
        assertEquals(0, d.sweeps());
        assertEquals(30, d.seconds(), 1e-9, "bounded");
        assertTrue(d.detail().contains("3 orders PENDING") && d.detail().contains("no POST /admin/sweep"), d.detail());
    }

    @Test
    void aFailedProbeIsWaitedOutNotTakenAsSettledAndTheMinimumAlwaysHolds() throws Exception {
        Scripted stack = new Scripted();
        stack.pending = 0;
        stack.failFirstProbes = 3;

        DrainOutcome d = new Drain(clock, clock, Duration.ofSeconds(2), Duration.ofSeconds(180)).run(stack);

        assertTrue(d.settled());
        assertEquals(5, d.seconds(), 1e-9, "2 s minimum, then 3 failed probes a second apart");
        assertEquals(Duration.ofSeconds(2), clock.sleeps().get(0));
    }
}
