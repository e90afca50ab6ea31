package frl.services.orders;

import com.fasterxml.jackson.databind.node.ObjectNode;
import frl.resilience.Backoff;
import frl.resilience.outbox.OutboxEvent;
import frl.resilience.outbox.OutboxRelay;
import frl.resilience.outbox.RelayConfig;
import frl.testing.FakeClock;
import frl.testing.TestInfra;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link OrderStore#confirm} in F: the status change and the outbox row are one statement. It must
 * keep what the transaction of two statements promised: the event exists exactly when the order
 * became CONFIRMED, once, in the form the relay reads.
 */
class OrderStoreTest {
    private final DataSource db = TestInfra.freshDatabase("sql/orders.sql");
    private final OrderStore store = new OrderStore(db);

    @Test
    void confirmingWritesTheStatusAndOneEventThatTheRelayDelivers() throws Exception {
        // Given a PENDING order of config F
        UUID id = pending();
        ObjectNode event = Notifier.event(id, 'F', "ORDER_CONFIRMED", "customer-7", 1250);

        // When it is confirmed with its event
        assertTrue(store.confirm(id, event));

        // Then the order is CONFIRMED and the relay finds exactly that event, under the order's id
        assertEquals("CONFIRMED", store.find(id).orElseThrow().status());
        List<OutboxEvent> delivered = new ArrayList<>();
        OutboxRelay relay = new OutboxRelay("test", db, delivered::add,
                new RelayConfig(10, Duration.ofMillis(200), Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(5), Backoff.Jitter.FULL)),
                new FakeClock(), () -> 0.5);
        assertEquals(1, relay.relayOnce());
        OutboxEvent e = delivered.getFirst();
        assertEquals(id.toString(), e.aggregateId());
        assertEquals(event.get("event_id").asText(), e.eventId().toString());
        assertEquals("ORDER_CONFIRMED", e.eventType());
        assertEquals(event, frl.http.Json.read(e.payloadJson()));
        assertEquals(0, relay.relayOnce(), "delivered once");
    }

    @Test
    void anOrderNoLongerPendingIsNotConfirmedAndGetsNoEvent() throws Exception {
        // Given an order the recovery sweep already failed
        UUID id = pending();
        assertTrue(store.fail(id, "swept"));

        // When the request thread tries to confirm it
        boolean changed = store.confirm(id, Notifier.event(id, 'F', "ORDER_CONFIRMED", "customer-7", 1250));

        // Then nothing changes: still FAILED, and no promise to notify
        assertFalse(changed);
        assertEquals("FAILED", store.find(id).orElseThrow().status());
        assertEquals(0, outboxRows(id));
    }

    @Test
    void confirmingTwiceWritesOneEvent() throws Exception {
        UUID id = pending();
        assertTrue(store.confirm(id, Notifier.event(id, 'F', "ORDER_CONFIRMED", "c", 100)));
        assertFalse(store.confirm(id, Notifier.event(id, 'F', "ORDER_CONFIRMED", "c", 100)));
        assertEquals(1, outboxRows(id));
    }

    private UUID pending() throws SQLException {
        UUID id = UUID.randomUUID();
        OrderRequest order = new OrderRequest("customer-7", List.of(new OrderRequest.Item("prod-001", 1, 1250)), 1250);
        assertEquals(id, store.insertPending(id, order, 'F', "key-" + id).id());
        return id;
    }

    private long outboxRows(UUID id) throws SQLException {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("SELECT count(*) FROM outbox WHERE aggregate_id = ?")) {
            ps.setString(1, id.toString());
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
