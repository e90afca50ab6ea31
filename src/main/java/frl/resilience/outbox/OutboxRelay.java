package frl.resilience.outbox;

import frl.resilience.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * The read side of the transactional outbox: delivers committed events at least once, in order per
 * aggregate, with any number of relays running at once.
 *
 * <p>The failure it prevents: an event written by {@link Outbox#insert} while its consumer was
 * down, never delivered. The relay keeps trying, with backoff, until the consumer takes it.
 *
 * <p>One round, {@link #relayOnce()}, is one transaction: claim a batch (SELECT ... FOR UPDATE SKIP
 * LOCKED), deliver each event, mark the delivered ones sent in one statement (a failed one is
 * marked as it fails), commit. An event's states:
 * <pre>
 *   PENDING -> SENT     delivered, and the mark (sent_at) committed with the claim
 *   PENDING -> PENDING  delivery failed: attempts + 1, last_error, next_attempt_at = now() + delay
 * </pre>
 * At least once: a relay that dies after a delivery and before its commit leaves the event PENDING,
 * and it is delivered again. Consumers must deduplicate by {@code event_id} (notifications does).
 *
 * <p>Several relays: SKIP LOCKED makes a relay pass over rows another relay has locked instead of
 * waiting, so relays split a backlog and never hold the same event. Order per aggregate: only an
 * aggregate's oldest unsent event is eligible. While relay A holds order X's first event, relay B
 * still sees it unsent, so X's second event is not eligible for B until A commits the first as
 * sent. A failing event holds back its aggregate's later events (order over throughput) but no
 * other aggregate's. Cost: one event per aggregate per round; a round that delivered anything is
 * followed by the next at once.
 *
 * <p>Time: next_attempt_at is set and compared with the database's clock ({@code now()}, the
 * transaction's start, so a delay counts from the claim). Relays on hosts whose clocks disagree
 * then agree on when an event is due, and no Java clock is read. Waiting between idle rounds goes
 * through the injected {@link Sleeper}.
 *
 * <p>Knobs: {@link RelayConfig} (batch size, poll interval, retry backoff with jitter; the draws
 * come from the injected, seeded source). A {@link Delivery} holds the batch's row locks and a
 * connection while it runs, so it needs a timeout of its own. The SQL is in {@link OutboxRows}.
 *
 * <p>This class is thread-safe: {@code relayOnce} may run on several threads (each round is its own
 * transaction); the loop thread is guarded by "this".
 */
public final class OutboxRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

    /** Hands one event to its consumer; returning normally means the consumer has it. */
    @FunctionalInterface
    public interface Delivery { void deliver(OutboxEvent event) throws Exception; }

    private final String name;
    private final DataSource db;
    private final Delivery delivery;
    private final RelayConfig config;
    private final Sleeper sleeper;
    private final DoubleSupplier random;
    private Thread loop;              // guarded by this
    private volatile boolean running; // written under this, read by the loop

    /**
     * @param random draws in [0, 1) for the retry delay's jitter, seeded by the caller; thread-safe
     *               if rounds run on several threads ({@code new Random(seed)::nextDouble} is)
     */
    public OutboxRelay(String name, DataSource db, Delivery delivery, RelayConfig config, Sleeper sleeper,
                       DoubleSupplier random) {
        this.name = Objects.requireNonNull(name, "name");
        this.db = Objects.requireNonNull(db, "db");
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.config = Objects.requireNonNull(config, "config");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * One round: claims up to batchSize due events, delivers them, marks them, commits. Returns how
     * many were delivered. Interrupted during a delivery, it commits what it has delivered, leaves the
     * rest PENDING (not counted as failures) and returns with the interrupt flag set. Interrupted
     * during database I/O, the connection breaks and the round rolls back: its events are
     * delivered again later, which at-least-once allows.
     */
    public int relayOnce() throws SQLException {
        if (Thread.currentThread().isInterrupted()) {
            return 0; // on a virtual thread the first query would fail anyway
        }
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            boolean interrupted = false;
            try {
                List<Long> sent = new ArrayList<>();
                for (OutboxEvent event : OutboxRows.claim(c, config.batchSize())) {
                    Exception failure = null;
                    try {
                        delivery.deliver(event);
                    } catch (InterruptedException e) {
                        Thread.interrupted(); // a careless Delivery may have left the flag set: see below
                        interrupted = true;   // shutting down: this event stays PENDING, no attempt counted
                        break;
                    } catch (Exception e) {
                        failure = e;
                    }
                    // Hold an interrupt (flag cleared) until after the commit: socket I/O on an
                    // interrupted virtual thread closes the socket and would lose this batch's marks.
                    interrupted = Thread.interrupted();
                    if (failure == null) {
                        sent.add(event.id());
                    } else {
                        Duration delay = config.retryDelay(event.attempts() + 1, random.getAsDouble());
                        OutboxRows.markFailed(c, event.id(), failure.toString(), delay);
                    }
                    if (interrupted) {
                        break;
                    }
                }
                // One UPDATE for the round's delivered events, not one round trip each. No outcome
                // changes: the claim holds the rows' locks and no mark is visible before the commit,
                // so a round that dies redelivers all of them (at least once), one that commits has
                // sent all of them, and an aggregate's next event becomes eligible at this commit.
                OutboxRows.markSent(c, sent);
                c.commit();
                return sent.size();
            } catch (Throwable e) {
                try {
                    c.rollback();
                } catch (SQLException again) {
                    e.addSuppressed(again);
                }
                throw e;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Runs rounds on a virtual thread until {@link #close()}; waits pollInterval after an idle round. */
    public synchronized void start() {
        if (loop != null) {
            throw new IllegalStateException("outbox relay " + name + " was already started");
        }
        running = true;
        loop = Thread.ofVirtual().name("outbox-relay-" + name).start(this::runLoop);
    }

    private void runLoop() {
        while (running && !Thread.currentThread().isInterrupted()) {
            int delivered = 0;
            try {
                delivered = relayOnce();
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.warn("outbox relay {}: round failed, trying again in {}", name, config.pollInterval(), e);
                }
            }
            if (delivered == 0) {
                try {
                    sleeper.sleep(config.pollInterval());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Stops the loop: interrupts it and waits for it to end. If the caller is interrupted, stops waiting. */
    @Override
    public void close() {
        Thread thread;
        synchronized (this) {
            running = false;
            thread = loop;
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Events not yet delivered (for the metrics). */
    public long pending() throws SQLException {
        return OutboxRows.pending(db);
    }

    /** Age of the oldest undelivered event by the database's clock, zero if none (for the metrics). */
    public Duration oldestPendingAge() throws SQLException {
        return OutboxRows.oldestPendingAge(db);
    }
}
