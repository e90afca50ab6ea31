package frl.services.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import frl.chaos.Chaos;
import frl.http.AdminRoutes;
import frl.http.Json;
import frl.http.Rejections;
import frl.http.Request;
import frl.http.Response;
import frl.http.ServiceServer;
import frl.services.Health;
import frl.services.ServiceContext;
import frl.services.Validation;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * notifications :8004 — records every delivery durably (PostgreSQL "notifications"), so the audit
 * can count deliveries per committed order: missing ones (a lost best-effort call) and duplicated
 * ones (a redelivery nobody deduplicated).
 *
 * <pre>
 *   POST /notifications  {"order_id", "kind", "event_id"?}  -> 201 stored | 200 duplicate (F) | 503 down
 * </pre>
 *
 * <p>In F, events come from the orders outbox with an {@code event_id}, and a redelivery of the
 * same event is acknowledged without a second row (the unique index is the duplicate detector).
 * Fault: {@code down} — every request is refused with 503.
 */
public final class NotificationsService {
    private final DataSource db;
    private final ServiceServer server;
    private final Chaos chaos = new Chaos(List.of(Chaos.flag("down", "refuse every notification with 503")));

    public NotificationsService(ServiceContext ctx, DataSource db) {
        this.db = db;
        this.server = ctx.server("notifications");
        server.route("POST", "/notifications", this::deliver);
        AdminRoutes.install(server, chaos, Map.of("postgres", () -> Health.up(db)), () -> { }, () -> { });
    }

    public ServiceServer server() {
        return server;
    }

    private Response deliver(Request r) throws SQLException {
        server.counters().received();
        String config = String.valueOf(r.config().name());
        server.metrics().attemptsReceived.labelValues("/notifications", config).inc();
        if (chaos.flag("down")) {
            throw new Rejections.Rejection(503, "notifications_down", "notifications are down (chaos: down)",
                    Rejections.SHORTEST_RETRY_AFTER).toException();
        }
        JsonNode body = r.json();
        UUID orderId = Validation.uuid(body, "order_id");
        String kind = Validation.text(body, "kind", 1, 64);
        UUID eventId = body.hasNonNull("event_id") ? Validation.uuid(body, "event_id") : null;
        String sql = r.config().idempotency() && eventId != null
                ? "INSERT INTO deliveries (event_id, order_id, kind, config) VALUES (?, ?, ?, ?) "
                  + "ON CONFLICT (event_id) WHERE config = 'F' AND event_id IS NOT NULL DO NOTHING"
                : "INSERT INTO deliveries (event_id, order_id, kind, config) VALUES (?, ?, ?, ?)";
        int stored;
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, eventId);
            ps.setObject(2, orderId);
            ps.setString(3, kind);
            ps.setString(4, config);
            stored = ps.executeUpdate();
        }
        var reply = Json.object().put("order_id", orderId.toString()).put("kind", kind).put("duplicate", stored == 0);
        return stored == 1 ? Response.created(reply) : Response.ok(reply);
    }
}
