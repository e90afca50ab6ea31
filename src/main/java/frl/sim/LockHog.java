package frl.sim;

/**
 * The inventory_lock fault in virtual time, as {@code LockContention} does it for real: a
 * background transaction locks the hot products' rows in id order ({@code SELECT ... ORDER BY id
 * FOR UPDATE}, queueing behind reservations like anyone else), holds them for {@code holdNanos},
 * rolls back, pauses {@code gapNanos} and does it again, until switched off. Switching off ends
 * a hold at once (the real worker is interrupted and its transaction rolled back).
 *
 * <p>Not thread-safe: one run, one thread.
 */
final class LockHog {
    private final EventLoop loop;
    private final RowLocks locks;
    private final int hotRows;
    private final long gapNanos;
    private long holdNanos;
    private int round;       // bumps on every start and stop: events of an older round do nothing
    private int lockedRows;  // rows 0 .. lockedRows-1 are ours
    private RowLocks.Waiter waiting;

    LockHog(EventLoop loop, RowLocks locks, int hotRows, long gapNanos) {
        this.loop = loop;
        this.locks = locks;
        this.hotRows = hotRows;
        this.gapNanos = gapNanos;
    }

    void start(long holdNanos) {
        stop();
        this.holdNanos = holdNanos;
        if (holdNanos > 0 && hotRows > 0) {
            lockNext(++round);
        }
    }

    void stop() {
        round++;
        if (waiting != null) {
            waiting.cancel();
            waiting = null;
        }
        releaseAll();
    }

    private void lockNext(int r) {
        if (r != round) {
            return;
        }
        if (lockedRows == hotRows) {
            loop.after(holdNanos, () -> {
                if (r == round) {
                    releaseAll();
                    loop.after(gapNanos, () -> lockNext(r));
                }
            });
            return;
        }
        // A free row is granted at once, inside lock(): the callback then runs (and may queue for
        // the next row) before lock() returns, so only a waiter still queued is remembered.
        RowLocks.Waiter w = locks.lock(lockedRows, -1, granted -> {
            waiting = null;
            lockedRows++;
            lockNext(r);
        });
        if (!w.granted()) {
            waiting = w;
        }
    }

    private void releaseAll() {
        while (lockedRows > 0) {
            locks.unlock(--lockedRows);
        }
    }
}
