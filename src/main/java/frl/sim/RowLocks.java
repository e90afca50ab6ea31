package frl.sim;

import java.util.ArrayDeque;

/**
 * PostgreSQL row locks on the products table, in virtual time: one holder per row, and a FIFO
 * queue of waiters behind it, each with its own {@code lock_timeout} (none: wait as long as it
 * takes, as A and B do; C..F set it to what is left of the deadline).
 *
 * <p>This is where the inventory_lock fault bites: while {@link LockHog} holds the hot rows,
 * reservations of those products queue here, and with no timeout they wait out the whole hold.
 *
 * <p>Not thread-safe: one run, one thread.
 */
final class RowLocks {

    /** Told whether the lock was granted (true) or the timeout came first (false). */
    @FunctionalInterface
    interface Grant {
        void granted(boolean locked);
    }

    /** A place in a row's queue, until granted or given up. */
    final class Waiter {
        private final Grant grant;
        private EventLoop.Event timer;
        private boolean left;
        private boolean granted;

        private Waiter(Grant grant) {
            this.grant = grant;
        }

        /** Whether the lock is (or was) this waiter's; true at once when the row was free. */
        boolean granted() {
            return granted;
        }

        /** Leaves the queue without the lock and without being told (the waiter's transaction was rolled back). */
        void cancel() {
            left = true;
            if (timer != null) {
                timer.cancel();
            }
        }
    }

    private final EventLoop loop;
    private final boolean[] held;
    private final ArrayDeque<Waiter>[] queues;

    @SuppressWarnings("unchecked")
    RowLocks(EventLoop loop, int rows) {
        this.loop = loop;
        this.held = new boolean[rows];
        this.queues = new ArrayDeque[rows];
        for (int i = 0; i < rows; i++) {
            queues[i] = new ArrayDeque<>();
        }
    }

    /**
     * Asks for {@code row}'s lock; {@code grant} is told when it is ours, or that
     * {@code timeoutNanos} (negative: no timeout) passed first.
     */
    Waiter lock(int row, long timeoutNanos, Grant grant) {
        Waiter w = new Waiter(grant);
        if (!held[row]) {
            held[row] = true;
            w.granted = true;
            grant.granted(true);
            return w;
        }
        queues[row].add(w);
        if (timeoutNanos >= 0) {
            w.timer = loop.after(timeoutNanos, () -> {
                if (!w.left) {
                    w.left = true;
                    w.grant.granted(false); // lock_not_available: the statement fails, the queue moves on
                }
            });
        }
        return w;
    }

    /** The holder commits or rolls back: the row goes to the longest waiter still waiting. */
    void unlock(int row) {
        if (!held[row]) {
            throw new IllegalStateException("row " + row + " unlocked while not locked");
        }
        ArrayDeque<Waiter> q = queues[row];
        while (!q.isEmpty()) {
            Waiter next = q.poll();
            if (next.left) {
                continue;
            }
            next.left = true;
            next.granted = true;
            if (next.timer != null) {
                next.timer.cancel();
            }
            next.grant.granted(true); // the row stays held, by the new owner
            return;
        }
        held[row] = false;
    }
}
