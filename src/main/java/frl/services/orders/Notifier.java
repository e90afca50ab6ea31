package frl.services.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import frl.http.CallContext;
import frl.http.Downstream;
import frl.http.HttpResult;
import frl.http.Json;
import frl.http.ServiceServer;
import frl.resilience.Backoff;
import frl.resilience.outbox.OutboxEvent;
import frl.resilience.outbox.OutboxRelay;
import frl.resilience.outbox.RelayConfig;
import frl.services.ServiceContext;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.snapshots.Unit;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;

/**
 * How orders tells notifications that an order was confirmed, in the two ways the lab compares:
 * <ul>
 *   <li><b>Direct</b> (configs A..E): a call right after the commit. If it fails, or the process
 *       dies between the commit and the call, the notification is lost: nothing remembers it.</li>
 *   <li><b>Outbox</b> (config F): the event is a row written in the order's own transaction
 *       ({@link OrderStore#confirm}); an {@link OutboxRelay} delivers it afterwards, at least once,
 *       and notifications deduplicates by event id. Nothing is lost, nothing is stored twice.</li>
 * </ul>
 * Thread-safe: the relay runs on its own virtual thread; direct calls are independent.
 */
final class Notifier implements AutoCloseable {
    private final Downstream notifications;
    private final ServiceServer server;
    private final ServiceContext ctx;
    private final OutboxRelay relay;

    Notifier(Downstream notifications, DataSource db, ServiceContext ctx, ServiceServer server) {
        this.notifications = notifications;
        this.server = server;
        this.ctx = ctx;
        this.relay = new OutboxRelay("orders-outbox", db, this::deliver, RELAY, ctx.sleeper(),
                new Random(ctx.seed() ^ "orders-outbox".hashCode())::nextDouble);
        GaugeWithCallback.builder().name("lab_outbox_pending").help("Outbox rows not yet delivered")
                .callback(cb -> cb.call(orZero(relay::pending))).register(server.metrics().registry);
        GaugeWithCallback.builder().name("lab_outbox_lag_seconds").help("Age of the oldest undelivered outbox row")
                .unit(Unit.SECONDS)
                .callback(cb -> cb.call(orZero(() -> relay.oldestPendingAge().toMillis() / 1000.0)))
                .register(server.metrics().registry);
    }

    /**
     * The relay's knobs here: the defaults (batches of 50, polled every 200 ms), but a failed
     * delivery is retried after 0.5 s doubling up to 10 s (full jitter) instead of 1 s up to 5 min.
     * The cap is short on purpose: after an outage ends, the backlog should drain within one
     * experiment's recovery window, not minutes later.
     */
    static final RelayConfig RELAY = new RelayConfig(RelayConfig.DEFAULT_BATCH_SIZE, RelayConfig.DEFAULT_POLL_INTERVAL,
            Backoff.exponential(Duration.ofMillis(500), Duration.ofSeconds(10), Backoff.DEFAULT_JITTER));

    private static double orZero(java.util.concurrent.Callable<Number> c) {
        try {
            return c.call().doubleValue();
        } catch (Exception e) {
            return Double.NaN; // database unreachable: say "unknown", not "zero pending"
        }
    }

    /** The event; {@code config} rides along so the relay delivers it under the order's configuration (F or G). */
    static ObjectNode event(UUID orderId, char config, String kind, String customerId, long totalCents) {
        return Json.object().put("event_id", UUID.randomUUID().toString()).put("order_id", orderId.toString())
                .put("kind", kind).put("customer_id", customerId).put("total", OrderRequest.money(totalCents))
                .put("config", String.valueOf(config));
    }

    /** Best effort: a failure is counted as a lost notification and otherwise ignored. */
    void direct(CallContext call, ObjectNode event) {
        try {
            HttpResult r = notifications.call(call, "POST", "/notifications", event);
            if (r.status() / 100 == 2) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // fall through: lost
        }
        server.counters().increment("notifications_lost");
    }

    /** The relay's delivery: any answer but 2xx is a failure, so the relay retries later. */
    private void deliver(OutboxEvent e) throws Exception {
        JsonNode payload = Json.read(e.payloadJson());
        char config = payload.path("config").asText("F").charAt(0); // rows written before the field existed: F's
        CallContext call = new CallContext(ctx.configs().get(config), null, "outbox-" + e.id(), null);
        HttpResult r = notifications.call(call, "POST", "/notifications", payload);
        if (r.status() / 100 != 2) {
            throw new IllegalStateException("notifications answered " + r.status() + ": " + r.detail());
        }
    }

    void start() {
        relay.start();
    }

    OutboxRelay relay() {
        return relay;
    }

    @Override
    public void close() {
        relay.close();
    }
}
