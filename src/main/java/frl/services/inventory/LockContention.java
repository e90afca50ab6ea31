package frl.services.inventory;

import frl.resilience.Sleeper;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;

/**
 * The inventory-lock fault: a background transaction that really holds the hot products' row
 * locks ({@code SELECT ... FOR UPDATE}) for {@code holdMs}, commits, pauses {@link #GAP} and does
 * it again, until switched off. Reservations touching those products queue behind it in
 * PostgreSQL, exactly as they would behind a long batch job.
 *
 * <p>Switching it off ({@code set(0)}, which {@code POST /admin/reset} does) cancels the holder and
 * waits for it: the sleeping transaction is interrupted, rolls back, and only then does
 * {@code set(0)} return, so the reset that follows (stock restored on those very rows) and the
 * next run never queue behind a lock left from the last one. A holder still waiting for its own
 * locks is interrupted in its socket read instead: its connection closes and PostgreSQL ends the
 * transaction. The wait is bounded by {@link #STOP_WAIT}.
 *
 * <p>Thread-safe: {@link #set} is synchronized; the loop runs on one virtual thread that reads the
 * volatile hold time each round and ends when it becomes 0.
 */
final class LockContention {
    /** Pause between two holds, so some reservations slip through (a real batch job is not a wall). */
    static final Duration GAP = Duration.ofMillis(100);
    /** How long {@code set(0)} waits for the holder to roll back before it returns anyway. */
    static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final DataSource db;
    private final int hotProducts;
    private final Sleeper sleeper;
    private volatile long holdMs;
    private Thread worker; // guarded by "this"

    LockContention(DataSource db, int hotProducts, Sleeper sleeper) {
        this.db = db;
        this.hotProducts = hotProducts;
        this.sleeper = sleeper;
    }

    synchronized void set(long ms) {
        holdMs = ms;
        if (ms > 0 && (worker == null || !worker.isAlive())) {
            worker = Thread.ofVirtual().name("inventory-lock-contention").start(this::loop);
        } else if (ms == 0 && worker != null) {
            worker.interrupt(); // ends a hold early: the transaction rolls back and the locks go
            try {
                if (!worker.join(STOP_WAIT)) {
                    System.getLogger(LockContention.class.getName()).log(System.Logger.Level.WARNING,
                            "the lock holder did not stop within " + STOP_WAIT.toSeconds() + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            worker = null;
        }
    }

    private void loop() {
        while (holdMs > 0 && !Thread.currentThread().isInterrupted()) {
            try (Connection c = db.getConnection()) {
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id FROM products ORDER BY id LIMIT ? FOR UPDATE")) {
                    ps.setInt(1, hotProducts);
                    ps.executeQuery().close();
                    sleeper.sleep(Duration.ofMillis(holdMs));
                } finally {
                    c.rollback(); // nothing was changed; rolling back just releases the locks
                }
                sleeper.sleep(GAP);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                System.getLogger(LockContention.class.getName())
                        .log(System.Logger.Level.WARNING, "lock contention round failed: " + e.getMessage());
                try {
                    sleeper.sleep(GAP);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
