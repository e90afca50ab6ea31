package frl.services.payments;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import frl.services.LabStack;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link Reconciliation} on real PostgreSQL (the payments schema as the service applies it): an
 * orphan charge (its order FAILED) is refunded once however many rounds run, at once or one after
 * the other; everything else is kept.
 */
class ReconciliationTest {
    private final DataSource ledger = TestInfra.freshDatabase("sql/payments.sql");

    @Test
    void refundsTheChargesOfFailedOrdersOnceAndKeepsTheRest() throws Exception {
        // Given F charges for orders in every state orders can report, and one charge made under B
        UUID failed = UUID.randomUUID(), confirmed = UUID.randomUUID(), pending = UUID.randomUUID(),
                unknown = UUID.randomUUID(), unanswered = UUID.randomUUID(), failedInB = UUID.randomUUID();
        long orphan = charge(failed, 'F', 2500);
        charge(confirmed, 'F', 1000);
        charge(pending, 'F', 1000);
        charge(unknown, 'F', 1000);
        charge(unanswered, 'F', 1000);
        charge(failedInB, 'B', 1000);
        Map<UUID, String> statuses = new HashMap<>(Map.of(failed, "FAILED", confirmed, "CONFIRMED", pending, "PENDING",
                failedInB, "FAILED"));
        Reconciliation.OrderStatuses orders = id -> {
            if (id.equals(unanswered)) {
                throw new IOException("orders answered 503");
            }
            return statuses.get(id);
        };
        Reconciliation reconciliation = new Reconciliation(ledger, orders, Duration.ZERO);

        // When a round runs
        Reconciliation.Round first = reconciliation.runOnce();

        // Then the F orphan is refunded in full; B's charge is not even looked at
        assertEquals(new Reconciliation.Round(5, 1, 1, 1, 1, 1), first);
        assertEquals(List.of(orphan + " " + failed + " 2500"), refunds());

        // When it runs again: only the PENDING and the unanswered charge are asked about, and
        // nothing is refunded twice
        Reconciliation.Round second = reconciliation.runOnce();
        assertEquals(new Reconciliation.Round(2, 0, 0, 1, 0, 1), second);
        assertEquals(1, refunds().size());

        // When the pending order ends FAILED too, the next round refunds it
        statuses.put(pending, "FAILED");
        assertEquals(1, reconciliation.runOnce().refunded());
        assertEquals(2, refunds().size());
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
        Reconciliation.Round round = new Reconciliation(ledger, statuses::get, Duration.ZERO).runOnce();

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
        Reconciliation reconciliation = new Reconciliation(ledger, statuses::get, Duration.ZERO);
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
        Reconciliation reconciliation = new Reconciliation(ledger, id -> id.equals(failed) ? "FAILED" : "PENDING", Duration.ZERO);

        // When one round runs
        Reconciliation.Round round = reconciliation.runOnce();

        // Then it saw every charge once, and refunded the orphan behind the batch of PENDING ones
        assertEquals(new Reconciliation.Round(Reconciliation.BATCH + 21, 1, 0, Reconciliation.BATCH + 20, 0, 0), round);
        assertEquals(List.of(orphan + " " + failed + " 700"), refunds());
    }

    @Test
    void youngChargesWaitForTheNextRound() throws Exception {
        charge(UUID.randomUUID(), 'F', 100);
        Reconciliation reconciliation = new Reconciliation(ledger, id -> "FAILED", Duration.ofMinutes(10));
        assertEquals(new Reconciliation.Round(0, 0, 0, 0, 0, 0), reconciliation.runOnce());
        assertThrows(IllegalArgumentException.class, () -> new Reconciliation(ledger, id -> null, Duration.ofSeconds(-1)));
    }

    @Test
    void ordersStatusesComeFromOrdersOverHttp() throws Exception {
        // Given an orders that knows one order, has none of another, and sheds a third
        UUID known = UUID.randomUUID(), missing = UUID.randomUUID(), shed = UUID.randomUUID();
        HttpServer orders = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        orders.createContext("/orders/", x -> {
            String id = x.getRequestURI().getPath().substring("/orders/".length());
            int status = id.equals(known.toString()) ? 200 : id.equals(shed.toString()) ? 503 : 404;
            byte[] body = (status == 200 ? "{\"order_id\": \"" + id + "\", \"status\": \"FAILED\"}" : "{\"error\": \"x\"}").getBytes();
            x.sendResponseHeaders(status, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        orders.start();
        try {
            var statuses = Reconciliation.ordersAt(URI.create("http://127.0.0.1:" + orders.getAddress().getPort()),
                    Duration.ofSeconds(5));
            assertEquals("FAILED", statuses.status(known));
            assertNull(statuses.status(missing));
            assertThrows(IOException.class, () -> statuses.status(shed));
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
