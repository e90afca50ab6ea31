// Notebook 07: the transactional outbox
//
// What it teaches: an event written with frl.resilience.outbox.Outbox.insert commits if and only
// if the transaction around it commits (no dual write), and frl.resilience.outbox.OutboxRelay
// delivers each committed event at least once: a failed delivery is recorded and retried after a
// backoff, and a delivered event is never sent again. It runs against a real PostgreSQL, started
// here from a Maven artifact with the orders schema (sql/orders.sql), and stopped at the end.
//
// Run it:   make notebook NB=07
//           (the target runs: jshell --class-path <runtime classpath> notebooks/07-outbox.jsh)
// Checked:  each "// expect: <line>" is a line the code above it prints. NotebookTest runs this
//           file and fails unless those lines appear in the output in this order (whitespace at
//           either end ignored). Ids and payloads are fixed, so the output is too.

System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");  // PostgreSQL's start-up chatter
import frl.infra.*;
import frl.resilience.Backoff;
import frl.resilience.Sleeper;
import frl.resilience.outbox.*;
import java.time.Duration;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.*;
import java.util.*;

// Step 1. A real PostgreSQL on a free port of 127.0.0.1, a database, and the orders schema,
// which holds the outbox table. The relay's Sleeper is only used by its background loop, which
// this notebook never starts: we run the rounds by hand with relayOnce().
PostgresServer postgres = PostgresServer.start(0);
System.out.println("created database: " + postgres.createDatabase("notebook_orders"));
HikariDataSource db = Databases.pool(postgres.jdbcUrl("notebook_orders"), 2, 0, "notebook");
Databases.applySchema(db, "sql/orders.sql");
String query(String sql) throws SQLException {
    try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
        rs.next();
        return rs.getString(1);
    }
}
System.out.println("outbox rows: " + query("SELECT count(*) FROM outbox"));
// expect: created database: true
// expect: outbox rows: 0

// The consumer (notifications): down for the first delivery, fine after that. It records every
// attempt it sees; an event's attempts() counts the attempts made before this one.
List<String> seen = new ArrayList<>();
int[] outagesLeft = {1};
OutboxRelay.Delivery notifications = event -> {
    seen.add(event.eventType() + " " + event.aggregateId() + ", attempt " + (event.attempts() + 1));
    if (outagesLeft[0]-- > 0) throw new java.io.IOException("notifications answered 503");
};
// Knobs: the defaults, except a retry base of 30 s instead of 1 s, so that no step below races
// the real clock on a slow machine. The retry delay is a Backoff with full jitter: the delay is a
// random draw times the schedule. The relay takes its draws from a source we give it (seeded in
// the services); here every draw is 0.5, so the first retry is due in 15 s, every run.
Sleeper neverUsed = d -> { throw new IllegalStateException("the loop is not started here"); };
RelayConfig knobs = new RelayConfig(RelayConfig.DEFAULT_BATCH_SIZE, RelayConfig.DEFAULT_POLL_INTERVAL,
        Backoff.exponential(Duration.ofSeconds(30), RelayConfig.DEFAULT_RETRY.cap(), Backoff.Jitter.FULL));
OutboxRelay relay = new OutboxRelay("notebook", db, notifications, knobs, neverUsed, () -> 0.5);

// Step 2. A transaction writes an event and then rolls back (say, the order's payment failed
// and the whole change is undone). The event goes with it: there is nothing to relay.
try (Connection tx = db.getConnection()) {
    tx.setAutoCommit(false);
    Outbox.insert(tx, "order-1", UUID.fromString("00000000-0000-0000-0000-000000000001"), "ORDER_CONFIRMED", "{\"order_id\":\"order-1\"}");
    tx.rollback();
}
System.out.println("after rollback: outbox rows " + query("SELECT count(*) FROM outbox") + ", relayed " + relay.relayOnce());
// expect: after rollback: outbox rows 0, relayed 0

// Outside a transaction the event would commit on its own, which is the dual write again:
try (Connection autocommit = db.getConnection()) {
    Outbox.insert(autocommit, "order-1", UUID.randomUUID(), "ORDER_CONFIRMED", "{}");
} catch (IllegalStateException e) {
    System.out.println("autocommit refused: " + e.getMessage().substring(0, e.getMessage().indexOf(',')));
}
// expect: autocommit refused: Outbox.insert must run inside the caller's open transaction

// Step 3. The same transaction commits: the event is now as durable as the order itself.
try (Connection tx = db.getConnection()) {
    tx.setAutoCommit(false);
    Outbox.insert(tx, "order-1", UUID.fromString("00000000-0000-0000-0000-000000000002"), "ORDER_CONFIRMED", "{\"order_id\":\"order-1\"}");
    tx.commit();
}
System.out.println("after commit: pending " + relay.pending());
// expect: after commit: pending 1

// Step 4. The first round: notifications is down. The attempt and the error are recorded, and
// the event is due again after 0.5 x the retry base (15 s), by the database's own clock.
System.out.println("round 1 delivered " + relay.relayOnce() + "; " + query(
        "SELECT 'attempts ' || attempts || ', last_error ' || last_error || ', due later: ' || (next_attempt_at > now()) FROM outbox"));
System.out.println("round 2, at once: delivered " + relay.relayOnce());
// expect: round 1 delivered 0; attempts 1, last_error java.io.IOException: notifications answered 503, due later: true
// expect: round 2, at once: delivered 0
// Round 2 left it alone: retrying a consumer that just failed only adds load to it.

// Step 5. The relay compares next_attempt_at with PostgreSQL's now(), so rather than wait 15 s we
// move the event's due time to now. Notifications is back: the event is delivered, once.
try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
    st.executeUpdate("UPDATE outbox SET next_attempt_at = now()");
}
System.out.println("round 3 delivered " + relay.relayOnce() + ", round 4 delivered " + relay.relayOnce());
System.out.println(query("SELECT 'attempts ' || attempts || ', sent: ' || (sent_at IS NOT NULL) FROM outbox") + ", pending " + relay.pending());
System.out.println("notifications saw: " + seen);
// expect: round 3 delivered 1, round 4 delivered 0
// expect: attempts 2, sent: true, pending 0
// expect: notifications saw: [ORDER_CONFIRMED order-1, attempt 1, ORDER_CONFIRMED order-1, attempt 2]
// At least once, not exactly once: a relay that crashed after delivering and before committing
// would deliver again, so notifications deduplicates by event_id.

// Step 6. Close the pool and stop PostgreSQL (its temporary data directory goes with it).
relay.close();
db.close();
postgres.close();
System.out.println("PostgreSQL stopped");
// expect: PostgreSQL stopped

/exit
