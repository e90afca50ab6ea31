package frl.services.payments;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import frl.services.LabStack;
import frl.services.orders.OrdersService;
import frl.testing.TestInfra;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Reconciliation} on real PostgreSQL (the payments schema as the service applies it): an
 * orphan charge (its order FAILED) is refunded once however many rounds run, at once or one after
 * the other; everything else is kept.
 */
class ReconciliationTest {
    private final DataSource ledger = TestInfra.freshDatabase("sql/payments.sql");

    @Test
    void refundsTheChargesOfFailedOrdersOnceAndKeepsTheRest() throws Exception {
        // Given F charges for orders in every state orders can report (one it has no order for),
        // one charge made under B, and an orders that is down at first
        UUID failed = UUID.randomUUID(), confirmed = UUID.randomUUID(), pending = UUID.randomUUID(),
                unknown = UUID.randomUUID(), failedInB = UUID.randomUUID();
        long orphan = charge(failed, 'F', 2500);
        charge(confirmed, 'F', 1000);
        charge(pending, 'F', 1000);
        charge(unknown, 'F', 1000);
        charge(failedInB, 'B', 1000);
        Map<UUID, String> statuses = new HashMap<>(Map.of(failed, "FAILED", confirmed, "CONFIRMED", pending, "PENDING",
                failedInB, "FAILED"));
        AtomicBoolean down = new AtomicBoolean(true);
        List<Collection<UUID>> asked = new ArrayList<>();
        Reconciliation.OrderStatuses orders = ids -> {
            asked.add(List.copyOf(ids));
            if (down.get()) {
                throw new IOException("orders answered 503");
            }
            return answers(statuses, ids);
        };
        Reconciliation reconciliation = new Reconciliation(ledger, orders, Duration.ZERO);

        // When a round runs while orders does not answer
        Reconciliation.Round unanswered = reconciliation.runOnce();

        // Then nothing is decided: the four F charges were asked about in one request, and all wait
        assertEquals(new Reconciliation.Round(4, 0, 0, 0, 0, 4), unanswered);
        assertEquals(List.of(Set.of(failed, confirmed, pending, unknown)), asked.stream().map(Set::copyOf).toList());
        assertEquals(List.of(), refunds());
        assertEquals(4, undecidedCount());

        // When orders answers (for three of the four: it has no order for the fourth)
        down.set(false);
        asked.clear();
        Reconciliation.Round first = reconciliation.runOnce();

        // Then the F orphan is refunded in full, the unknown one kept; B's charge is not even looked at
        assertEquals(new Reconciliation.Round(4, 1, 1, 1, 1, 0), first);
        assertEquals(1, asked.size());
        assertEquals(List.of(orphan + " " + failed + " 2500"), refunds());

        // When it runs again: only the PENDING charge is asked about, and nothing is refunded twice
        asked.clear();
        Reconciliation.Round second = reconciliation.runOnce();
        assertEquals(new Reconciliation.Round(1, 0, 0, 1, 0, 0), second);
        assertEquals(List.of(List.of(pending)), asked);
        assertEquals(1, refunds().size());

        // When the pending order ends FAILED too, the next round refunds it
        statuses.put(pending, "FAILED");
        assertEquals(1, reconciliation.runOnce().refunded());
        assertEquals(2, refunds().size());

        // And a round with nothing undecided asks orders nothing
        asked.clear();
        assertEquals(new Reconciliation.Round(0, 0, 0, 0, 0, 0), reconciliation.runOnce());
        assertEquals(List.of(), asked);
    }

    @Test
    void eachChargeGetsItsOwnOutcomeWhenABatchIsWrittenTogether() throws Exception {
        // Given charges whose orders ended every way, interleaved by id
        Map<UUID, String> statuses = new HashMap<>();
        Map<Long, String> expected = new HashMap<>();
        String[] answers = {"CONFIRMED", null, "FAILED", "PENDING"};
        for (int i = 0; i < 12; i++) {
            UUID order = UUID.randomUUID();
            String answer = answers[i % answers.length];
            if (answer != null) {
                statuses.put(order, answer);
            }
            expected.put(charge(order, 'F', 100), answer == null ? "UNKNOWN" : answer.equals("PENDING") ? null : answer);
        }

        // When one round runs
        Reconciliation.Round round = new Reconciliation(ledger, ids -> answers(statuses, ids), Duration.ZERO).runOnce();

        // Then every charge carries the outcome of its own order, and a PENDING one none yet
        assertEquals(new Reconciliation.Round(12, 3, 3, 3, 3, 0), round);
        try (Connection c = ledger.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, order_outcome FROM charges");
             ResultSet rs = ps.executeQuery()) {
            Map<Long, String> actual = new HashMap<>();
            while (rs.next()) {
                actual.put(rs.getLong(1), rs.getString(2));
            }
            assertEquals(expected, actual);
        }
    }

    @Test
    void roundsRunningAtOnceRefundAChargeOnce() throws Exception {
        // Given 20 orphan charges, and four rounds started together (the loop and three admins)
        Map<UUID, String> statuses = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            UUID id = UUID.randomUUID();
            charge(id, 'F', 100);
            statuses.put(id, "FAILED");
        }
        Reconciliation reconciliation = new Reconciliation(ledger, ids -> answers(statuses, ids), Duration.ZERO);
        List<Future<Reconciliation.Round>> rounds = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 4; i++) {
                rounds.add(pool.submit((Callable<Reconciliation.Round>) reconciliation::runOnce));
            }
        }
        // Then between them they refunded each charge once
        int refunded = 0;
        for (Future<Reconciliation.Round> r : rounds) {
            refunded += r.get().refunded();
        }
        assertEquals(20, refunded);
        assertEquals(20, refunds().size());
    }

    @Test
    void aRoundPagesThroughMoreUndecidedChargesThanOneBatch() throws Exception {
        // Given more undecided charges than one batch, PENDING ones first, and an orphan at the very end
        // (regression: a round read one batch, so under load the backlog grew and the orphan was never reached)
        UUID failed = UUID.randomUUID();
        for (int i = 0; i < Reconciliation.BATCH + 20; i++) {
            charge(UUID.randomUUID(), 'F', 100);
        }
        long orphan = charge(failed, 'F', 700);
        List<Integer> requestSizes = new ArrayList<>();
        Reconciliation reconciliation = new Reconciliation(ledger, ids -> {
            requestSizes.add(ids.size());
            Map<UUID, String> answer = new HashMap<>();
            ids.forEach(id -> answer.put(id, id.equals(failed) ? "FAILED" : "PENDING"));
            return answer;
        }, Duration.ZERO);

        // When one round runs
        Reconciliation.Round round = reconciliation.runOnce();

        // Then it saw every charge once, in two requests to orders, and refunded the orphan behind the batch of PENDING ones
        assertEquals(new Reconciliation.Round(Reconciliation.BATCH + 21, 1, 0, Reconciliation.BATCH + 20, 0, 0), round);
        assertEquals(List.of(Reconciliation.BATCH, 21), requestSizes);
        assertEquals(List.of(orphan + " " + failed + " 700"), refunds());
    }

    @Test
    void aBatchOrdersDidNotAnswerWaitsWhileTheNextIsDecided() throws Exception {
        // Given a batch and a bit of FAILED orders' charges, and an orders that sheds the first request only
        for (int i = 0; i < Reconciliation.BATCH + 3; i++) {
            charge(UUID.randomUUID(), 'F', 100);
        }
        AtomicInteger requests = new AtomicInteger();
        Reconciliation reconciliation = new Reconciliation(ledger, ids -> {
            if (requests.incrementAndGet() == 1) {
                throw new IOException("orders answered 503");
            }
            Map<UUID, String> answer = new HashMap<>();
            ids.forEach(id -> answer.put(id, "FAILED"));
            return answer;
        }, Duration.ZERO);

        // When a round runs: the first batch is unanswered, the rest refunded
        assertEquals(new Reconciliation.Round(Reconciliation.BATCH + 3, 3, 0, 0, 0, Reconciliation.BATCH), reconciliation.runOnce());
        assertEquals(Reconciliation.BATCH, undecidedCount());

        // And the next round decides the batch that waited
        assertEquals(new Reconciliation.Round(Reconciliation.BATCH, Reconciliation.BATCH, 0, 0, 0, 0), reconciliation.runOnce());
        assertEquals(Reconciliation.BATCH + 3, refunds().size());
    }

    @Test
    void aChargeBatchNeverAsksMoreThanOrdersAnswersAtOnce() {
        assertTrue(Reconciliation.BATCH <= OrdersService.MAX_STATUS_IDS,
                Reconciliation.BATCH + " charges per batch, orders answers " + OrdersService.MAX_STATUS_IDS);
    }

    @Test
    void youngChargesWaitForTheNextRound() throws Exception {
        charge(UUID.randomUUID(), 'F', 100);
        Reconciliation reconciliation = new Reconciliation(ledger, ids -> {
            throw new AssertionError("asked about " + ids);
        }, Duration.ofMinutes(10));
        assertEquals(new Reconciliation.Round(0, 0, 0, 0, 0, 0), reconciliation.runOnce());
        assertThrows(IllegalArgumentException.class, () -> new Reconciliation(ledger, ids -> Map.of(), Duration.ofSeconds(-1)));
    }

    @Test
    void ordersStatusesComeFromOrdersOverHttp() throws Exception {
        // Given an orders that answers its three requests with: the statuses, a shed, and a 200 without statuses
        UUID known = UUID.randomUUID(), missing = UUID.randomUUID();
        List<String> requests = new ArrayList<>();
        String[] answers = {"{\"statuses\": {\"" + known + "\": \"FAILED\"}}", "{\"error\": \"shed\"}", "{\"error\": \"x\"}"};
        int[] codes = {200, 503, 200};
        HttpServer orders = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        orders.createContext("/orders/statuses", x -> {
            int n;
            synchronized (requests) {
                requests.add(x.getRequestMethod() + " " + new String(x.getRequestBody().readAllBytes()));
                n = requests.size() - 1;
            }
            byte[] body = answers[n].getBytes();
            x.sendResponseHeaders(codes[n], body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        orders.start();
        try {
            var statuses = Reconciliation.ordersAt(URI.create("http://127.0.0.1:" + orders.getAddress().getPort()),
                    Duration.ofSeconds(5));
            // Then the first is the answer (the order it has not is absent), asked for in one POST
            assertEquals(Map.of(known, "FAILED"), statuses.statuses(List.of(known, missing)));
            assertEquals("POST {\"ids\":[\"" + known + "\",\"" + missing + "\"]}", requests.get(0));
            // and the other two are no answer
            assertThrows(IOException.class, () -> statuses.statuses(List.of(known)));
            assertThrows(IOException.class, () -> statuses.statuses(List.of(known)));
        } finally {
            orders.stop(0);
        }
    }

    @Test
    void adminReconcileRefundsAChargeThatCompletedAfterItsOrderFailed() throws Exception {
        try (LabStack stack = new LabStack()) {
            stack.payments.reconcileWith(new Reconciliation(stack.paymentsDb,
                    Reconciliation.ordersAt(stack.url("orders"), Duration.ofSeconds(5)), Duration.ZERO));
            // Given an F order that FAILED (declined: over the card limit, nothing charged) ...
            var placed = stack.order('F', "reconcile-1", LabStack.orderBody("prod-001", 1, "20000.00"));
            String orderId = LabStack.json(placed).path("order_id").asText();
            JsonNode order = LabStack.json(stack.send("orders", "GET", "/orders/" + orderId, null));
            assertEquals("FAILED", order.path("status").asText(), placed.body());
            // ... and a charge for it that payments completed after orders gave up
            charge(stack.paymentsDb, UUID.fromString(orderId), 'F', 2_000_000);

            // When an admin asks for reconciliation twice
            var first = stack.admin("payments", "POST", "/admin/reconcile", null);
            var second = stack.admin("payments", "POST", "/admin/reconcile", null);

            // Then the first refunds it, the second finds nothing left to decide
            assertEquals(200, first.statusCode(), first.body());
            assertEquals(1, LabStack.json(first).path("refunded").asInt(), first.body());
            assertEquals(0, LabStack.json(second).path("refunded").asInt(), second.body());
            assertEquals(1, stack.count(stack.paymentsDb, "SELECT count(*) FROM refunds WHERE order_id = ?",
                    UUID.fromString(orderId)));
            // and without the token it is refused
            assertEquals(401, stack.sendManagement("payments", "POST", "/admin/reconcile", null).statusCode());
        }
    }

    /** What an orders holding {@code statuses} answers for {@code ids}: ids it has no order for are absent. */
    private static Map<UUID, String> answers(Map<UUID, String> statuses, Collection<UUID> ids) {
        Map<UUID, String> out = new HashMap<>();
        ids.forEach(id -> {
            if (statuses.containsKey(id)) {
                out.put(id, statuses.get(id));
            }
        });
        return out;
    }

    private long undecidedCount() throws Exception {
        return countOf("SELECT count(*) FROM charges WHERE order_outcome IS NULL AND config = 'F'");
    }

    private long countOf(String sql) throws Exception {
        try (Connection c = ledger.getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long charge(UUID orderId, char config, long cents) throws Exception {
        return charge(ledger, orderId, config, cents);
    }

    private static long charge(DataSource db, UUID orderId, char config, long cents) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO charges (order_id, config, amount_cents) VALUES (?, ?, ?) RETURNING id")) {
            ps.setObject(1, orderId);
            ps.setString(2, String.valueOf(config));
            ps.setLong(3, cents);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private List<String> refunds() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = ledger.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT charge_id, order_id, amount_cents FROM refunds ORDER BY charge_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getLong(1) + " " + rs.getObject(2) + " " + rs.getLong(3));
            }
        }
        return out;
    }
}
