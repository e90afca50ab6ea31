package frl.resilience.outbox;

import frl.resilience.Backoff;
import frl.resilience.Sleeper;
import frl.testing.FakeClock;
import frl.testing.TestInfra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Outbox and OutboxRelay against a real PostgreSQL (TestInfra); each test has its own database. */
class OutboxRelayTest {
    /** Retries after 20 s doubling, full jitter; every draw is 0.5, so the delays are 10 s, 20 s, ... */
    private static final RelayConfig CONFIG = new RelayConfig(10, Duration.ofMillis(200),
            Backoff.exponential(Duration.ofSeconds(20), Duration.ofMinutes(5), Backoff.Jitter.FULL));
    private static final DoubleSupplier HALF = () -> 0.5;

    private final DataSource db = TestInfra.freshDatabase("sql/orders.sql");
    private final FakeClock clock = new FakeClock();
    private final List<OutboxEvent> delivered = new CopyOnWriteArrayList<>();

    // ---- Outbox.insert: the event commits with the business change or not at all

    @Test
    void theEventRollsBackWithTheBusinessTransaction() throws SQLException {
        // Given an order and its event written in one transaction
        UUID order = UUID.randomUUID();
        try (Connection tx = db.getConnection()) {
            tx.setAutoCommit(false);
            insertOrder(tx, order);
            Outbox.insert(tx, order.toString(), UUID.randomUUID(), "ORDER_CONFIRMED", "{\"order_id\":\"" + order + "\"}");
            // When the business transaction rolls back
            tx.rollback();
        }
        // Then neither the order nor its event exists
        assertEquals(0, count("SELECT count(*) FROM orders"));
        assertEquals(0, count("SELECT count(*) FROM outbox"));

        // And when it commits, both do
        try (Connection tx = db.getConnection()) {
            tx.setAutoCommit(false);
            insertOrder(tx, order);
            Outbox.insert(tx, order.toString(), UUID.randomUUID(), "ORDER_CONFIRMED", "{}");
            tx.commit();
        }
        assertEquals(1, count("SELECT count(*) FROM orders"));
        assertEquals(1, count("SELECT count(*) FROM outbox"));
    }

    @Test
    void insertRefusesAConnectionWithoutAnOpenTransaction() throws SQLException {
        try (Connection autocommit = db.getConnection()) {
            var e = assertThrows(IllegalStateException.class,
                    () -> Outbox.insert(autocommit, "agg", UUID.randomUUID(), "X", "{}"));
            assertTrue(e.getMessage().contains("autocommit"), e.getMessage());
        }
        assertEquals(0, count("SELECT count(*) FROM outbox"));
    }

    // ---- OutboxRelay: delivery, order, retries

    @Test
    void deliversEachAggregatesEventsInOrder() throws SQLException {
        // Given order A with three events and order B with two, interleaved
        insertEvents("A", 0, "B", 0, "A", 1, "B", 1, "A", 2);
        OutboxRelay relay = relay(delivered::add);
        // When the relay runs rounds until nothing is due:
        // only each aggregate's oldest unsent event is eligible, so a round takes one per aggregate
        assertEquals(2, relay.relayOnce());     // expect: A/0, B/0
        assertEquals(2, relay.relayOnce());     // expect: A/1, B/1
        assertEquals(1, relay.relayOnce());     // expect: A/2
        assertEquals(0, relay.relayOnce());
        // Then each aggregate's events arrived in the order they were written
        assertEquals(Map.of("A", List.of(0, 1, 2), "B", List.of(0, 1)), stepsByAggregate(delivered));
        assertEquals(0, relay.pending());
        assertEquals(0, count("SELECT count(*) FROM outbox WHERE sent_at IS NULL OR attempts <> 1"));
    }

    @Test
    void aFailedDeliveryIsRetriedLaterAndHoldsBackItsAggregate() throws SQLException {
        // Given a consumer that is down for A's first event, twice, and fine otherwise
        insertEvents("A", 0, "A", 1, "B", 0);
        AtomicInteger outages = new AtomicInteger(2);
        OutboxRelay relay = relay(event -> {
            if (event.aggregateId().equals("A") && outages.getAndDecrement() > 0) {
                throw new IllegalStateException("notifications answered 503");
            }
            delivered.add(event);
        });
        // When a round runs
        assertEquals(1, relay.relayOnce());                                    // expect: only B/0
        // Then A/0 records the attempt and error, and is due again after the jittered base (0.5 x 20 s)
        assertEquals(1, count("SELECT attempts FROM outbox WHERE event_type = 'A/0'"));
        assertEquals(1, count("SELECT count(*) FROM outbox WHERE event_type = 'A/0' AND last_error LIKE '%503%'"));
        assertDueIn("A/0", Duration.ofSeconds(10));
        // And nothing of A moves before then: A/1 waits behind A/0
        assertEquals(0, relay.relayOnce());
        // When the database's clock passes next_attempt_at (we move the row's due time instead)
        makeDue("A/0");
        assertEquals(0, relay.relayOnce());                                    // expect: fails again
        assertEquals(2, count("SELECT attempts FROM outbox WHERE event_type = 'A/0'"));
        assertDueIn("A/0", Duration.ofSeconds(20));                             // expect: 0.5 x 20 s x 2
        makeDue("A/0");
        assertEquals(1, relay.relayOnce());                                    // expect: A/0 delivered
        assertEquals(1, relay.relayOnce());                                    // expect: A/1 delivered
        assertEquals(Map.of("A", List.of(0, 1), "B", List.of(0)), stepsByAggregate(delivered));
        assertEquals(3, count("SELECT attempts FROM outbox WHERE event_type = 'A/0'"));
    }

    @Test
    void eventsThatFailTogetherAreNotDueAgainTogether() throws SQLException {
        // Given three orders' events and a consumer that is down
        insertEvents("A", 0, "B", 0, "C", 0);
        OutboxRelay.Delivery down = event -> {
            throw new IllegalStateException("notifications answered 503");
        };
        // When a relay without jitter fails all three in one round, Then all three are due at one instant
        RelayConfig lockstep = new RelayConfig(10, Duration.ofMillis(200),
                Backoff.exponential(Duration.ofSeconds(20), Duration.ofMinutes(5), Backoff.Jitter.NONE));
        assertEquals(0, new OutboxRelay("lockstep", db, down, lockstep, clock, HALF).relayOnce());
        assertEquals(1, count("SELECT count(DISTINCT next_attempt_at) FROM outbox"));
        // When the relay draws its jitter from a seeded source instead, Then each is due at its own time
        execute("UPDATE outbox SET next_attempt_at = now() - interval '1 millisecond'");
        assertEquals(0, new OutboxRelay("jittered", db, down, CONFIG, clock, new java.util.Random(7)::nextDouble).relayOnce());
        assertEquals(3, count("SELECT count(DISTINCT next_attempt_at) FROM outbox"));
    }

    @ParameterizedTest(name = "virtual threads: {0}")
    @ValueSource(booleans = {false, true})
    void twoRelaysRacingDeliverEachEventOnceAndInOrder(boolean virtual) throws Exception {
        // Given 40 orders with 5 events each, written round-robin so their ids interleave
        int aggregates = 40;
        int steps = 5;
        try (Connection tx = db.getConnection()) {
            tx.setAutoCommit(false);
            for (int step = 0; step < steps; step++) {
                for (int a = 0; a < aggregates; a++) {
                    Outbox.insert(tx, "order-" + a, UUID.randomUUID(), "order-" + a + "/" + step, "{}");
                }
            }
            tx.commit();
        }
        // And two relays whose first deliveries wait for each other, so both hold a claimed batch
        // at the same moment (the second must skip the first's locked rows, not wait for them)
        CountDownLatch bothInside = new CountDownLatch(2);
        Map<String, Integer> perRelay = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Throwable> trouble = new AtomicReference<>();
        for (String name : List.of("r1", "r2")) {
            AtomicInteger mine = new AtomicInteger();
            OutboxRelay relay = relay(name, event -> {
                if (mine.getAndIncrement() == 0) {
                    bothInside.countDown();
                    assertTrue(bothInside.await(10, TimeUnit.SECONDS), "the other relay never claimed a batch");
                }
                delivered.add(event);
                perRelay.merge(name, 1, Integer::sum);
            });
            Runnable work = () -> {
                try {
                    for (int round = 0; round < 10_000 && relay.pending() > 0; round++) {
                        relay.relayOnce();
                    }
                } catch (Throwable t) {
                    trouble.set(t);
                }
            };
            threads.add(virtual ? Thread.ofVirtual().start(work) : Thread.ofPlatform().start(work));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(null, trouble.get());
        // Then every event was delivered exactly once, by one relay or the other
        assertEquals(aggregates * steps, delivered.size());
        assertEquals(aggregates * steps, new HashSet<>(delivered.stream().map(OutboxEvent::eventId).toList()).size());
        assertTrue(perRelay.getOrDefault("r1", 0) > 0 && perRelay.getOrDefault("r2", 0) > 0, "both relays worked: " + perRelay);
        // And each order's events arrived in the order they were written
        Map<String, List<Integer>> stepsSeen = stepsByAggregate(delivered);
        for (int a = 0; a < aggregates; a++) {
            assertEquals(List.of(0, 1, 2, 3, 4), stepsSeen.get("order-" + a), "order-" + a);
        }
        assertEquals(0, count("SELECT count(*) FROM outbox WHERE sent_at IS NULL OR attempts <> 1"));
    }

    @ParameterizedTest(name = "virtual threads: {0}, delivery throws InterruptedException: {1}")
    @CsvSource({"false, true", "true, true", "false, false", "true, false"})
    void anInterruptedRoundKeepsWhatItDeliveredAndStops(boolean virtual, boolean throwsInterrupted) throws Exception {
        // Given three due events, and an interrupt during B's delivery: either B's delivery throws
        // InterruptedException, or it completes while the thread's interrupt flag gets set
        insertEvents("A", 0, "B", 0, "C", 0);
        OutboxRelay relay = relay(event -> {
            if (event.aggregateId().equals("B")) {
                if (throwsInterrupted) {
                    throw new InterruptedException("shutting down");
                }
                Thread.currentThread().interrupt();
            }
            delivered.add(event);
        });
        // When a round runs (on a virtual thread, database I/O with the flag set would close the socket)
        AtomicInteger result = new AtomicInteger(-1);
        AtomicReference<Boolean> flagAfter = new AtomicReference<>();
        AtomicReference<Throwable> trouble = new AtomicReference<>();
        Runnable round = () -> {
            try {
                result.set(relay.relayOnce());
            } catch (Throwable t) {
                trouble.set(t);
            }
            flagAfter.set(Thread.interrupted());
        };
        Thread t = virtual ? Thread.ofVirtual().start(round) : Thread.ofPlatform().start(round);
        t.join();
        assertEquals(null, trouble.get());
        // Then what was delivered is committed as sent, the rest stays pending with no attempt
        // counted, and the interrupt is handed back to the caller
        String sent = throwsInterrupted ? "'A/0'" : "'A/0', 'B/0'";
        assertEquals(throwsInterrupted ? 1 : 2, result.get());
        assertEquals(Boolean.TRUE, flagAfter.get());
        assertEquals(throwsInterrupted ? 1 : 2, count("SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL AND event_type IN (" + sent + ")"));
        assertEquals(0, count("SELECT count(*) FROM outbox WHERE event_type NOT IN (" + sent + ") AND (sent_at IS NOT NULL OR attempts > 0)"));
    }

    @Test
    void aRoundMarksItsDeliveredEventsSentInOneStatement() throws SQLException {
        // Given six due events of six orders, one of whose consumers is down, and a relay whose
        // connections count the statements they prepare
        insertEvents("A", 0, "B", 0, "C", 0, "D", 0, "E", 0, "F", 0);
        List<String> prepared = new CopyOnWriteArrayList<>();
        OutboxRelay relay = new OutboxRelay("counted", countingStatements(db, prepared), event -> {
            if (event.aggregateId().equals("C")) {
                throw new IllegalStateException("notifications answered 503");
            }
            delivered.add(event);
        }, CONFIG, clock, HALF);

        // When one round runs
        assertEquals(5, relay.relayOnce());

        // Then the five delivered events were marked by one statement, the failed one by its own
        assertEquals(1, prepared.stream().filter(OutboxRows.MARK_SENT::equals).count(), prepared::toString);
        assertEquals(3, prepared.size(), prepared::toString);                     // expect: claim, mark failed, mark sent
        // And each row says what happened to it: sent once, or one failed attempt and still pending
        assertEquals(5, count("SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL AND attempts = 1 AND event_type <> 'C/0'"));
        assertEquals(1, count("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND attempts = 1 AND event_type = 'C/0'"));
    }

    @Test
    void theLoopDeliversThenSleepsAndCloseStopsIt() throws Exception {
        // Given a relay whose sleeper reports going idle and then really waits (interruptibly)
        insertEvents("A", 0, "A", 1, "B", 0);
        CountDownLatch idle = new CountDownLatch(1);
        List<Duration> sleeps = new CopyOnWriteArrayList<>();
        Sleeper reportingSleeper = d -> {
            sleeps.add(d);
            idle.countDown();
            Sleeper.system().sleep(Duration.ofHours(1)); // only close() ends this
        };
        OutboxRelay relay = new OutboxRelay("loop", db, delivered::add, CONFIG, reportingSleeper, HALF);
        // When it starts
        relay.start();
        assertThrows(IllegalStateException.class, relay::start);
        assertTrue(idle.await(10, TimeUnit.SECONDS), "the loop never went idle");
        // Then it delivered everything in rounds without sleeping in between, and only then slept
        assertEquals(Map.of("A", List.of(0, 1), "B", List.of(0)), stepsByAggregate(delivered));
        assertEquals(List.of(CONFIG.pollInterval()), sleeps);
        // And close() interrupts the sleep and returns once the loop has ended
        relay.close();
        relay.close(); // idempotent
    }

    @Test
    void pendingAndOldestPendingAgeUseTheDatabaseClock() throws SQLException {
        OutboxRelay relay = relay(delivered::add);
        assertEquals(0, relay.pending());
        assertEquals(Duration.ZERO, relay.oldestPendingAge());
        insertEvents("A", 0, "B", 0);
        execute("UPDATE outbox SET created_at = now() - interval '90 seconds' WHERE event_type = 'A/0'");
        assertEquals(2, relay.pending());
        Duration age = relay.oldestPendingAge();                              // expect: ~90 s
        assertTrue(age.compareTo(Duration.ofSeconds(90)) >= 0 && age.compareTo(Duration.ofSeconds(95)) < 0, "age " + age);
        relay.relayOnce();
        assertEquals(0, relay.pending());
        assertEquals(Duration.ZERO, relay.oldestPendingAge());
    }

    // ---- helpers

    private OutboxRelay relay(OutboxRelay.Delivery delivery) {
        return relay("test", delivery);
    }

    private OutboxRelay relay(String name, OutboxRelay.Delivery delivery) {
        return new OutboxRelay(name, db, delivery, CONFIG, clock, HALF);
    }

    /** {@code db}, with every statement its connections prepare recorded in {@code prepared} (by its SQL). */
    private static DataSource countingStatements(DataSource db, List<String> prepared) {
        return (DataSource) Proxy.newProxyInstance(OutboxRelayTest.class.getClassLoader(), new Class<?>[]{DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(db, method, args);
                    if (!method.getName().equals("getConnection")) {
                        return result;
                    }
                    Connection c = (Connection) result;
                    return Proxy.newProxyInstance(OutboxRelayTest.class.getClassLoader(), new Class<?>[]{Connection.class},
                            (p, m, a) -> {
                                if (m.getName().equals("prepareStatement")) {
                                    prepared.add((String) a[0]);
                                }
                                return invoke(c, m, a);
                            });
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Pairs of (aggregate, step); the event type is "aggregate/step", e.g. "A/0". One transaction. */
    private void insertEvents(Object... aggregateAndStep) throws SQLException {
        try (Connection tx = db.getConnection()) {
            tx.setAutoCommit(false);
            for (int i = 0; i < aggregateAndStep.length; i += 2) {
                String aggregate = (String) aggregateAndStep[i];
                Outbox.insert(tx, aggregate, UUID.randomUUID(), aggregate + "/" + aggregateAndStep[i + 1], "{}");
            }
            tx.commit();
        }
    }

    /** Delivered steps per aggregate, in delivery order; the event type is "aggregate/step". */
    private static Map<String, List<Integer>> stepsByAggregate(List<OutboxEvent> events) {
        Map<String, List<Integer>> steps = new LinkedHashMap<>();
        for (OutboxEvent e : events) {
            int step = Integer.parseInt(e.eventType().substring(e.eventType().lastIndexOf('/') + 1));
            steps.computeIfAbsent(e.aggregateId(), k -> new ArrayList<>()).add(step);
        }
        steps.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return steps;
    }

    private void assertDueIn(String eventType, Duration delay) throws SQLException {
        // next_attempt_at = (failed round's now()) + delay, and that round ran within the last few seconds
        long ms = count("SELECT (extract(epoch FROM next_attempt_at - now()) * 1000)::bigint FROM outbox WHERE event_type = '" + eventType + "'");
        assertTrue(ms > delay.toMillis() - 5_000 && ms <= delay.toMillis(), eventType + " due in " + ms + " ms, expected ~" + delay);
    }

    private void makeDue(String eventType) throws SQLException {
        execute("UPDATE outbox SET next_attempt_at = now() - interval '1 millisecond' WHERE event_type = '" + eventType + "'");
    }

    private static void insertOrder(Connection tx, UUID id) throws SQLException {
        try (var ps = tx.prepareStatement("""
                INSERT INTO orders (id, customer_id, config, status, total_cents, items)
                VALUES (?, 'customer-1', 'F', 'CONFIRMED', 5998, '[]'::jsonb)""")) {
            ps.setObject(1, id);
            ps.executeUpdate();
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getLong(1);
        }
    }
}
