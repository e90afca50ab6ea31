package frl.resilience.outbox;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The relay's SQL against the outbox table (the insert is {@link Outbox#insert}). Claiming and
 * marking run on the round's connection, inside its transaction; the two metrics queries open
 * their own. Stateless, so thread-safe.
 */
final class OutboxRows {
    /**
     * Due, unsent events whose aggregate has no older unsent event, oldest first, locked for this
     * round. SKIP LOCKED passes over rows another relay holds instead of waiting for them.
     */
    private static final String CLAIM = """
            SELECT id, aggregate_id, event_id, event_type, payload::text, attempts
              FROM outbox o
             WHERE sent_at IS NULL
               AND next_attempt_at <= now()
               AND NOT EXISTS (SELECT 1 FROM outbox older
                                WHERE older.aggregate_id = o.aggregate_id
                                  AND older.sent_at IS NULL
                                  AND older.id < o.id)
             ORDER BY id
             LIMIT ?
               FOR UPDATE OF o SKIP LOCKED""";
    /** A round's delivered events, marked in one statement (see {@link OutboxRelay#relayOnce()} for why that is safe). */
    static final String MARK_SENT = "UPDATE outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = ANY (?)";
    /** now() is the transaction's start: the delay counts from the claim, on the database's clock. */
    private static final String MARK_FAILED = """
            UPDATE outbox SET attempts = attempts + 1, last_error = ?,
                   next_attempt_at = now() + ? * interval '1 millisecond' WHERE id = ?""";
    /** last_error keeps the start of the message: enough to read, bounded in size. */
    private static final int MAX_ERROR_LENGTH = 500;

    private OutboxRows() {
    }

    static List<OutboxEvent> claim(Connection tx, int batchSize) throws SQLException {
        List<OutboxEvent> batch = new ArrayList<>();
        try (PreparedStatement ps = tx.prepareStatement(CLAIM)) {
            ps.setInt(1, batchSize);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    batch.add(new OutboxEvent(rs.getLong(1), rs.getString(2), rs.getObject(3, UUID.class),
                            rs.getString(4), rs.getString(5), rs.getInt(6)));
                }
            }
        }
        return batch;
    }

    /** Marks every event in {@code ids} sent: one round trip however many there are; none for an empty list. */
    static void markSent(Connection tx, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        update(tx, MARK_SENT, tx.createArrayOf("bigint", ids.toArray()));
    }

    static void markFailed(Connection tx, long id, String error, Duration retryAfter) throws SQLException {
        update(tx, MARK_FAILED, error.substring(0, Math.min(error.length(), MAX_ERROR_LENGTH)), retryAfter.toMillis(), id);
    }

    static long pending(DataSource db) throws SQLException {
        return queryLong(db, "SELECT count(*) FROM outbox WHERE sent_at IS NULL");
    }

    static Duration oldestPendingAge(DataSource db) throws SQLException {
        return Duration.ofMillis(queryLong(db, """
                SELECT coalesce((extract(epoch FROM now() - min(created_at)) * 1000)::bigint, 0)
                  FROM outbox WHERE sent_at IS NULL"""));
    }

    private static void update(Connection tx, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    private static long queryLong(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
