package frl.services.payments;

import com.fasterxml.jackson.databind.JsonNode;
import frl.chaos.Chaos;
import frl.http.AdminRoutes;
import frl.http.ApiException;
import frl.http.Json;
import frl.http.Rejections;
import frl.http.Request;
import frl.http.Response;
import frl.http.ServiceServer;
import frl.resilience.Deadline;
import frl.resilience.DeadlineExceededException;
import frl.services.Health;
import frl.services.ServiceContext;
import frl.services.Validation;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * payments :8002 — charges orders through the simulated {@link PaymentProcessor} and writes every
 * successful charge to a ledger (PostgreSQL "payments"), so the audit can count charges per order.
 *
 * <pre>
 *   POST /payments            {"order_id": uuid, "amount_cents": n}  -> 201 charged | 402 declined
 *                             | 503 processor error / outage | 504 dropped: deadline spent in the queue
 *                             | 409 processor_reset: a reset ended it while queued or in service (nothing charged)
 *   GET  /payments/{orderId}  the charges recorded for one order (the orders recovery sweep asks)
 * </pre>
 *
 * <p>Idempotency: in F a charge is idempotent on the order id (a unique key in the ledger), so a
 * retried attempt finds the first charge. In A..E every successful attempt is a new charge: that is
 * the duplicate the lab measures.
 *
 * <p>Faults ({@code POST /admin/chaos}): {@code error_rate} (per attempt, after the slot was held
 * for its service time), {@code latency_ms} (added after the processor answers, outside the slot:
 * a slow network or proxy, so callers wait but capacity is unchanged), {@code outage} (every
 * request refused at once) and {@code slots} (capacity drop: the retry-storm trigger).
 */
public final class PaymentsService {
    /** Orders above this amount are declined (402): the lab's one deterministic business refusal. */
    public static final long CARD_LIMIT_CENTS = 1_000_000;

    private final ServiceContext ctx;
    private final DataSource ledger;
    private final PaymentProcessor processor;
    private final Chaos chaos = new Chaos(List.of(
            Chaos.rate("error_rate", "fraction of attempts that fail with 503 after holding a slot"),
            Chaos.millis("latency_ms", "added to every answer, outside the slot"),
            Chaos.flag("outage", "refuse every request at once with 503"),
            Chaos.count("slots", "run with this many worker slots (capacity drop)")));
    private final ServiceServer server;

    public PaymentsService(ServiceContext ctx, DataSource ledger, PaymentProcessor processor) {
        this.ctx = ctx;
        this.ledger = ledger;
        this.processor = processor;
        this.server = ctx.server("payments");
        server.route("POST", "/payments", this::charge);
        server.metrics().initialiseRoute("/payments", server.configs());
        server.route("GET", "/payments/{orderId}", this::charges);
        server.counters().gauge("queue_length", processor::queueLength);
        server.counters().gauge("busy_slots", processor::busySlots);
        // Reset leaves nothing behind: queued and in-service attempts end now, uncharged (503
        // processor_reset), so the next run starts on an empty processor with every slot free.
        AdminRoutes.install(server, chaos, Map.of("postgres", () -> Health.up(ledger)), () -> {
            processor.flush();
            processor.restore();
        }, this::applySlots);
    }

    public ServiceServer server() {
        return server;
    }

    private void applySlots() {
        if (chaos.isSet("slots")) {
            processor.resize((int) chaos.number("slots"));
        } else {
            processor.restore();
        }
    }

    private Response charge(Request r) throws Exception {
        server.counters().received();
        server.metrics().attemptsReceived.labelValues("/payments", String.valueOf(r.config().name())).inc();
        JsonNode body = r.json();
        UUID orderId = Validation.uuid(body, "order_id");
        long amount = Validation.positiveLong(body, "amount_cents");
        boolean idempotent = r.config().idempotency();
        if (chaos.flag("outage")) {
            throw new Rejections.Rejection(503, "processor_outage", "payment processor is down (chaos: outage)",
                    Rejections.SHORTEST_RETRY_AFTER).toException();
        }
        if (idempotent) {
            Long existing = existingCharge(orderId);
            if (existing != null) { // a retry of an attempt that already charged: answer as before, no work
                return Response.created(Json.object().put("charge_id", existing).put("order_id", orderId.toString())
                        .put("replayed", true));
            }
        }
        Deadline deadline = r.deadline();
        boolean enforce = r.config().timeouts().enabled();
        double errorRate = chaos.rate("error_rate");
        Outcome[] outcome = new Outcome[1];
        PaymentProcessor.Result result = processor.process(deadline, enforce, () -> {
            if (errorRate > 0 && processor.draw() < errorRate) {
                outcome[0] = new Outcome(503, "processor_error", null);
            } else if (amount > CARD_LIMIT_CENTS) {
                outcome[0] = new Outcome(402, "declined", null);
            } else {
                outcome[0] = new Outcome(201, null, record(orderId, amount, r.config().name(), idempotent));
            }
        });
        if (result == PaymentProcessor.Result.FLUSHED) {
            // 409, not 503: final, so no caller's retry charges it on the fresh processor after the reset.
            throw new ApiException(409, "processor_reset",
                    "the payment processor was reset (POST /admin/reset) while this attempt waited or was in service; nothing was charged");
        }
        long latency = chaos.number("latency_ms");
        if (latency > 0) {
            ctx.sleeper().sleep(Duration.ofMillis(latency));
        }
        if (result == PaymentProcessor.Result.DROPPED_EXPIRED) {
            throw new DeadlineExceededException(
                    "dropped before processing: the caller's deadline passed while queued for a payment slot");
        }
        if (result == PaymentProcessor.Result.QUEUE_TIMEOUT) {
            throw new ApiException(503, "processor_busy",
                    "no payment slot free within " + PaymentProcessor.MAX_QUEUE_WAIT.toSeconds() + " s");
        }
        if (deadline != null && deadline.isExpired()) {
            server.counters().completedAfterDeadline(); // the caller has given up: this work was wasted
            server.metrics().wastedWork.labelValues("/payments", String.valueOf(r.config().name())).inc();
        }
        Outcome o = outcome[0];
        return switch (o.status()) {
            case 201 -> {
                server.counters().increment("charges");
                yield Response.created(Json.object().put("charge_id", o.chargeId()).put("order_id", orderId.toString()));
            }
            case 402 -> throw new ApiException(402, "declined",
                    "payment declined: " + amount + " cents exceeds the card limit of " + CARD_LIMIT_CENTS);
            // No Retry-After: a transient processor error says nothing about when to come back.
            default -> throw new ApiException(503, o.error(), "payment processor failed (chaos: error_rate "
                    + errorRate + ")");
        };
    }

    private record Outcome(int status, String error, Long chargeId) {
    }

    /** One ledger row per charge. In F and G the unique key on order_id turns a second charge into a lookup. */
    private Long record(UUID orderId, long amount, char config, boolean idempotent) {
        String sql = idempotent
                ? "INSERT INTO charges (order_id, config, amount_cents) VALUES (?, ?, ?) "
                  + "ON CONFLICT (order_id) WHERE config IN ('F', 'G') DO NOTHING RETURNING id"
                : "INSERT INTO charges (order_id, config, amount_cents) VALUES (?, ?, ?) RETURNING id";
        try (Connection c = ledger.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, orderId);
            ps.setString(2, String.valueOf(config));
            ps.setLong(3, amount);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : existingCharge(orderId);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("ledger write failed for order " + orderId, e);
        }
    }

    private Long existingCharge(UUID orderId) throws SQLException {
        try (Connection c = ledger.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT min(id) FROM charges WHERE order_id = ?")) {
            ps.setObject(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long id = rs.getLong(1);
                return rs.wasNull() ? null : id;
            }
        }
    }

    private Response charges(Request r) throws SQLException {
        UUID orderId = Validation.uuid(r.pathParam("orderId"), "orderId");
        try (Connection c = ledger.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*), coalesce(sum(amount_cents), 0) FROM charges WHERE order_id = ?")) {
            ps.setObject(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Response.ok(Json.object().put("order_id", orderId.toString()).put("charges", rs.getLong(1))
                        .put("amount_cents", rs.getLong(2)));
            }
        }
    }

    /**
     * Adds to the management listener, besides the routes every service has:
     * <pre>
     *   POST /admin/reconcile     refund orphan charges now (see {@link Reconciliation})
     *                             -> {"checked", "refunded", "confirmed", "pending", "unknown", "unanswered"}
     * </pre>
     * The same round the periodic loop runs (which the caller starts: {@link PaymentsMain}).
     */
    public PaymentsService reconcileWith(Reconciliation reconciliation) {
        server.admin("POST", "/admin/reconcile", r -> Response.ok(reconciliation.runOnce().toJson()));
        return this;
    }
}
