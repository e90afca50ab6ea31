package frl.services.payments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import frl.http.Downstream;
import frl.http.HttpResult;
import frl.http.Json;
import frl.resilience.Sleeper;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Refunds orphan charges: a charge whose order ended FAILED.
 *
 * <p>The failure it prevents: orders gives up on a slow payment (its deadline spent, its breaker
 * open, or the orders JVM killed mid-call), fails the order and releases the stock, while payments
 * completes the charge anyway. Nothing in the request path can undo that, because by the time the
 * charge is written nobody is waiting for it. So payments asks orders afterwards, the way a
 * payment provider's settlement report is reconciled against the shop's orders, and refunds what
 * no order kept.
 *
 * <pre>
 *   charge (order_outcome NULL) --orders says CONFIRMED-------> order_outcome = CONFIRMED  (kept)
 *                               --orders says FAILED----------> a refunds row + order_outcome = FAILED
 *                               --orders has no such order--> order_outcome = UNKNOWN    (kept: no order failed)
 *                               --PENDING, or no answer-------> unchanged: asked again next round
 * </pre>
 * Both outcomes are final in orders (only PENDING moves), so a charge is asked about until its
 * order is final, then never again. A round asks about its undecided charges a batch at a time:
 * one HTTP request (and one query in orders) per {@link #BATCH} charges, and when orders does not
 * answer, the whole batch waits for the next round ("no answer" above).
 *
 * <p>Idempotent by a key, not by care: the refund's primary key is the charge id, and the refund
 * and the outcome are written in one transaction, so two rounds at once (the periodic loop and
 * {@code POST /admin/reconcile}) or a round repeated after a crash refund a charge once. Outcomes
 * that keep the charge (CONFIRMED, UNKNOWN) are written once per batch, one statement each: in F
 * every order's charge passes through here, so a transaction per charge was two round trips and
 * three statements per order.
 *
 * <p>Only charges made under configurations F and G are reconciled: those are the ones that
 * promise "charged once, confirmed or failed". In A..E an orphan charge is what the lab measures.
 *
 * <p>Where the statuses come from: orders' {@code POST /orders/statuses} over HTTP
 * ({@link OrderStatuses}), which answers for up to 500 orders at once, never orders' database:
 * payments owns its ledger and nothing else. It used to be one {@code GET /orders/{id}} per
 * charge; in F every order's charge passes through here, so that was a request, a query and a
 * JSON answer per order in both JVMs, where now it is one of each per {@link #BATCH} orders.
 *
 * <p>Thread-safe: no state of its own; the database's key decides races.
 */
public final class Reconciliation {
    /** How often the periodic round runs (PaymentsService starts it). */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    /** Charges younger than this are left to the next round: their order is most likely still deciding. */
    public static final Duration DEFAULT_MIN_AGE = Duration.ofSeconds(5);
    /**
     * Charges read per query, oldest first, and asked about in one request: at most what orders
     * answers at once ({@code OrdersService.MAX_STATUS_IDS}). A round pages through every undecided charge by id:
     * a round that stopped after one batch kept at most 500 per 30 s, fewer than 40 orders/s make,
     * so the backlog grew without end and an orphan waited behind it (the fault suite found 11
     * unrefunded after orders' PostgreSQL was stopped under load).
     */
    static final int BATCH = 500;

    /** What orders says of a batch of orders. */
    @FunctionalInterface
    public interface OrderStatuses {
        /**
         * "CONFIRMED", "FAILED" or "PENDING" for each order orders has; an order it has not is
         * absent. Throws when orders did not answer: nothing may be read into a missing answer.
         *
         * @param orderIds at most {@link #BATCH}, no repeats
         */
        Map<UUID, String> statuses(Collection<UUID> orderIds) throws Exception;
    }

    /** One round's tally. {@code unanswered}: orders did not answer for these (asked again next round). */
    public record Round(int checked, int refunded, int confirmed, int pending, int unknown, int unanswered) {
        public ObjectNode toJson() {
            return Json.object().put("checked", checked).put("refunded", refunded).put("confirmed", confirmed)
                    .put("pending", pending).put("unknown", unknown).put("unanswered", unanswered);
        }
    }

    /**
     * Orders' {@code POST /orders/statuses} on its data port, at {@code ordersBase}: a 200 with a
     * {@code statuses} object is the answer; anything else (a 503 shed, a timeout, a body without
     * it) throws, so the batch waits a round.
     */
    public static OrderStatuses ordersAt(URI ordersBase, Duration timeout) {
        var client = Downstream.newClient();
        return orderIds -> {
            var ids = Json.MAPPER.createArrayNode();
            orderIds.forEach(id -> ids.add(id.toString()));
            byte[] body = Json.write(Json.object().set("ids", ids)).getBytes(StandardCharsets.UTF_8);
            HttpResult r = client.send(ordersBase, "POST", "/orders/statuses", Map.of("Content-Type", "application/json"),
                    body, timeout);
            JsonNode statuses = r.status() == 200 ? Json.read(r.body()).path("statuses") : null;
            if (statuses == null || !statuses.isObject()) {
                throw new IOException("orders answered POST /orders/statuses for " + orderIds.size() + " ids with "
                        + r.status() + (r.status() == 200 ? " but no statuses object" : ""));
            }
            Map<UUID, String> out = new HashMap<>();
            statuses.fields().forEachRemaining(e -> out.put(UUID.fromString(e.getKey()), e.getValue().asText()));
            return out;
        };
    }

    private final DataSource ledger;
    private final OrderStatuses orders;
    private final Duration minAge;
    private volatile Thread loop;

    public Reconciliation(DataSource ledger, OrderStatuses orders, Duration minAge) {
        if (minAge.isNegative()) {
            throw new IllegalArgumentException("minAge must be >= 0, got " + minAge);
        }
        this.ledger = ledger;
        this.orders = orders;
        this.minAge = minAge;
    }

    private record Charge(long id, UUID orderId, long amountCents) {
    }

    /** One round: asks orders about every undecided F/G charge older than {@code minAge}, refunds the orphans. */
    public Round runOnce() throws SQLException, InterruptedException {
        int checked = 0, refunded = 0, confirmed = 0, pending = 0, unknown = 0, unanswered = 0;
        long after = 0; // keyset paging: a PENDING or unanswered charge stays undecided and must not be read twice
        List<Charge> batch;
        do {
            batch = undecided(after);
            if (batch.isEmpty()) {
                break;
            }
            checked += batch.size();
            after = batch.getLast().id();
            Map<UUID, String> statuses;
            try {
                statuses = orders.statuses(batch.stream().map(Charge::orderId).distinct().toList());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw e; // this batch decided nothing yet: asked again next round
            } catch (Exception e) {
                unanswered += batch.size(); // orders down or slow: nothing is decided without its word
                continue;
            }
            List<Long> kept = new ArrayList<>(), noOrder = new ArrayList<>();
            for (Charge c : batch) {
                String status = statuses.get(c.orderId());
                if (status == null) {
                    noOrder.add(c.id()); // else it would head every batch forever
                    unknown++;
                } else if (status.equals("CONFIRMED")) {
                    kept.add(c.id());
                    confirmed++;
                } else if (status.equals("FAILED")) {
                    refunded += refund(c) ? 1 : 0;
                } else {
                    pending++;
                }
            }
            keep(kept, "CONFIRMED");
            keep(noOrder, "UNKNOWN");
        } while (batch.size() == BATCH);
        return new Round(checked, refunded, confirmed, pending, unknown, unanswered);
    }

    /** The next {@link #BATCH} undecided F/G charges old enough, with ids above {@code after}. */
    private List<Charge> undecided(long after) throws SQLException {
        String sql = "SELECT id, order_id, amount_cents FROM charges WHERE order_outcome IS NULL AND config IN ('F', 'G')"
                + " AND created_at <= now() - ? * interval '1 millisecond' AND id > ? ORDER BY id LIMIT " + BATCH;
        try (Connection c = ledger.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, minAge.toMillis());
            ps.setLong(2, after);
            List<Charge> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Charge(rs.getLong(1), rs.getObject(2, UUID.class), rs.getLong(3)));
                }
            }
            return out;
        }
    }

    /**
     * Records a final outcome that keeps the charge, for a batch's worth of charges in one statement
     * (one round trip per batch, not a transaction per charge): nothing else is written with it, and
     * writing it twice (two rounds at once) writes the same value.
     */
    private void keep(List<Long> chargeIds, String outcome) throws SQLException {
        if (chargeIds.isEmpty()) {
            return;
        }
        try (Connection c = ledger.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE charges SET order_outcome = ? WHERE id = ANY (?)")) {
            ps.setString(1, outcome);
            ps.setArray(2, c.createArrayOf("bigint", chargeIds.toArray()));
            ps.executeUpdate();
        }
    }

    /**
     * Transaction boundary: the refund row and the charge's outcome (FAILED) commit together.
     * Returns true if this call wrote the refund; false if another round already had.
     */
    private boolean refund(Charge charge) throws SQLException {
        try (Connection c = ledger.getConnection()) {
            c.setAutoCommit(false);
            try {
                int inserted;
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO refunds (charge_id, order_id, amount_cents, reason)"
                        + " VALUES (?, ?, ?, 'order FAILED') ON CONFLICT (charge_id) DO NOTHING")) {
                    ps.setLong(1, charge.id());
                    ps.setObject(2, charge.orderId());
                    ps.setLong(3, charge.amountCents());
                    inserted = ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE charges SET order_outcome = 'FAILED' WHERE id = ?")) {
                    ps.setLong(1, charge.id());
                    ps.executeUpdate();
                }
                c.commit();
                return inserted == 1;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** Runs a round every {@code interval} on a virtual thread until {@link #close()}. */
    public Thread start(Duration interval, Sleeper sleeper) {
        loop = Thread.ofVirtual().name("payments-reconciliation").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    sleeper.sleep(interval);
                    Round round = runOnce();
                    if (round.refunded() > 0) {
                        System.getLogger(Reconciliation.class.getName()).log(System.Logger.Level.WARNING,
                                "reconciliation refunded " + round.refunded() + " orphan charge(s): " + round.toJson());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // close() asked: stop
                    return;
                } catch (Exception e) {
                    System.getLogger(Reconciliation.class.getName())
                            .log(System.Logger.Level.WARNING, "reconciliation round failed: " + e.getMessage());
                }
            }
        });
        return loop;
    }

    public void close() {
        Thread t = loop;
        if (t != null) {
            t.interrupt();
        }
    }
}
