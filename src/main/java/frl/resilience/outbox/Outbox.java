package frl.resilience.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The write side of the transactional outbox: an event is a row written in the SAME transaction as
 * the business change it announces.
 *
 * <p>The failure it prevents is the dual write. A service that commits an order and then calls
 * notifications can crash in between and lose the event; one that calls first and then fails to
 * commit announces an order that does not exist. As a row in the order's own transaction, the
 * event commits if and only if the order does; {@link OutboxRelay} delivers it afterwards.
 *
 * <p><b>Call {@link #insert} inside the caller's open transaction</b> (autocommit off), before the
 * caller commits. On an autocommit connection the event would commit on its own, which is the dual
 * write again, so {@code insert} refuses with {@link IllegalStateException}. It neither commits nor
 * closes the connection: the transaction boundary belongs to the caller.
 *
 * <p>Order per aggregate: the relay delivers an aggregate's events in {@code id} order, and a
 * sequence hands out ids at INSERT, not at commit. Two transactions inserting events for the same
 * aggregate concurrently could commit in the opposite order to their ids. Lock the aggregate's row
 * first ({@code UPDATE orders ... WHERE id = ?} before {@code insert}) and they cannot overlap;
 * a transaction that changes the order's status does that anyway.
 *
 * <p>Stateless, so thread-safe.
 */
public final class Outbox {
    private Outbox() {
    }

    /**
     * Adds an event to the outbox as part of the caller's transaction {@code tx}.
     *
     * @param eventId chosen by the caller, unique: a duplicate fails the caller's transaction
     * @throws IllegalStateException if {@code tx} is in autocommit mode (no open transaction)
     */
    public static void insert(Connection tx, String aggregateId, UUID eventId, String eventType, String payloadJson)
            throws SQLException {
        if (tx.getAutoCommit()) {
            throw new IllegalStateException("Outbox.insert must run inside the caller's open transaction,"
                    + " but the connection is in autocommit mode: the event would commit without the business change");
        }
        try (PreparedStatement ps = tx.prepareStatement(
                "INSERT INTO outbox (aggregate_id, event_id, event_type, payload) VALUES (?, ?, ?, ?::jsonb)")) {
            ps.setString(1, aggregateId);
            ps.setObject(2, eventId);
            ps.setString(3, eventType);
            ps.setString(4, payloadJson);
            ps.executeUpdate();
        }
    }
}
