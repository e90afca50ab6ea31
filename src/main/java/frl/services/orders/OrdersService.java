package frl.services.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import frl.chaos.Chaos;
import frl.http.AdminRoutes;
import frl.http.ApiException;
import frl.http.CallContext;
import frl.http.Downstream;
import frl.http.PatternRegistry;
import frl.http.Headers;
import frl.http.ServiceClient;
import frl.http.HttpResult;
import frl.http.Json;
import frl.http.Rejections;
import frl.http.Request;
import frl.http.Response;
import frl.http.ServiceServer;
import frl.resilience.idempotency.IdempotencyStore;
import frl.services.Health;
import frl.services.ServiceContext;
import frl.services.ServiceMain;
import frl.services.Validation;

import javax.sql.DataSource;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * orders :8001 — takes an order through reserve -> charge -> confirm, compensating on failure.
 *
 * <pre>
 *   POST /orders           validate, insert PENDING, reserve stock (inventory), charge (payments),
 *                          then CONFIRMED; or release the reservation and FAILED with a reason
 *   GET  /orders/{id}      the stored order
 *   POST /orders/statuses  {"ids": [up to 500 order ids]} -> {"statuses": {"<id>": "PENDING"|"CONFIRMED"|"FAILED"}},
 *                          ids with no order left out: payments' reconciliation asks for a batch of
 *                          charges at once (one request and one query, not one of each per charge)
 *   GET  /status/breakers  this service's breakers (the gateway merges them into its own answer)
 *   GET  /status/limits    this service's adaptive limits and retry budgets (G; merged likewise)
 * </pre>
 *
 * <p>Every accepted order ends CONFIRMED or FAILED. When compensation itself fails (inventory
 * unreachable), the order stays PENDING with a note and the {@link RecoverySweep} finishes it:
 * CONFIRMED if payments recorded a charge, else released and FAILED.
 *
 * <p>Configuration F adds the two patterns that live here: the Idempotency-Key (a replay returns
 * the first answer; see {@link IdempotencyStore}) and the transactional outbox (the notification
 * is an outbox row committed with the status change). In A..E the key is recorded on the order
 * but not acted on, so a client's re-send is a second order (and, the audit shows, a second
 * charge for one purchase), and the notification is a direct best-effort call that can be lost:
 * both are what the lab measures.
 *
 * <p>Management listener, besides the routes every service has:
 * <pre>
 *   POST /admin/sweep      {"older_than_ms": n}? settle PENDING orders now (see {@link RecoverySweep})
 *                          -> {"settled", "still_pending", "older_than_ms"}
 *   GET  /admin/counters   also "pending_orders" (PENDING in the database) and "in_flight_orders"
 * </pre>
 */
public final class OrdersService {
    /** Orders left PENDING longer than this are finished by the sweep: far beyond any deadline. */
    public static final java.time.Duration DEFAULT_SWEEP_AFTER = java.time.Duration.ofSeconds(120);
    /**
     * Most ids one {@code POST /orders/statuses} may ask about: 500 UUIDs are about 20 KB of JSON,
     * well inside the request body limit, and one indexed {@code id = ANY(?)} lookup. Reconciliation
     * pages through charges in batches of this size.
     */
    public static final int MAX_STATUS_IDS = 500;

    private final OrderStore store;
    private final Catalogue catalogue;
    private final Downstream inventory;
    private final Downstream payments;
    private final Notifier notifier;
    private final IdempotencyStore idempotency;
    private final ServiceServer server;
    private final PatternRegistry patterns;
    private final RecoverySweep sweep;
    /** Orders whose request is running here, with how many requests work on each (an F re-send joins the first). */
    private final Map<UUID, Integer> inFlight = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param redisUp health check of the idempotency store's Redis
     * @param urls base URLs of "inventory", "payments" and "notifications"
     */
    public OrdersService(ServiceContext ctx, DataSource db, IdempotencyStore idempotency,
                         java.util.concurrent.Callable<Boolean> redisUp, Map<String, URI> urls,
                         java.time.Duration sweepAfter) {
        this.server = ctx.server("orders");
        this.patterns = ctx.patterns(server);
        ServiceClient client = Downstream.newClient();
        this.inventory = new Downstream("inventory", urls.get("inventory"), client, patterns, server);
        this.payments = new Downstream("payments", urls.get("payments"), client, patterns, server);
        this.store = new OrderStore(db);
        this.notifier = new Notifier(new Downstream("notifications", urls.get("notifications"), client, patterns, server),
                db, ctx, server);
        this.idempotency = idempotency;
        this.catalogue = new Catalogue(inventory);
        this.sweep = new RecoverySweep(store, inventory, payments, notifier, ctx, sweepAfter, inFlight.keySet());
        server.route("POST", "/orders", this::create);
        server.metrics().initialiseRoute("/orders", server.configs());
        server.route("GET", "/orders/{id}", this::get);
        server.route("POST", "/orders/statuses", this::statuses);
        server.route("GET", "/status/breakers", r -> Response.ok(Json.object().put("service", "orders")
                .set("breakers", patterns.breakersJson())));
        server.route("GET", "/status/limits", r -> Response.ok(Json.object().put("service", "orders")
                .set("limits", patterns.limitsJson())));
        AdminRoutes.install(server, new Chaos(List.of()),
                Map.of("postgres", () -> Health.up(db), "redis", redisUp),
                patterns::reset, () -> { });
        server.admin("POST", "/admin/sweep", this::sweepNow);
        server.counters().gauge("pending_orders", store::countPending);
        server.counters().gauge("in_flight_orders", inFlight::size);
    }

    /** Starts both listeners where {@code at} says, the outbox relay and the recovery sweep. */
    public int start(ServiceMain.Listeners at) throws java.io.IOException {
        int bound = ServiceMain.start(server, at);
        notifier.start();
        sweep.start();
        return bound;
    }

    /** As {@link #start(ServiceMain.Listeners)}, with the management listener on a free loopback port (tests). */
    public int start(String host, int port) throws java.io.IOException {
        return start(new ServiceMain.Listeners(host, port, "127.0.0.1", 0));
    }

    public void close() {
        server.stop(ServiceServer.SHUTDOWN_GRACE);
        sweep.close();
        notifier.close();
    }

    RecoverySweep sweep() {
        return sweep;
    }

    public ServiceServer server() {
        return server;
    }

    OrderStore store() {
        return store;
    }

    private Response get(Request r) throws Exception {
        UUID id = Validation.uuid(r.pathParam("id"), "id");
        return Response.ok(store.find(id).orElseThrow(() -> ApiException.notFound("no order " + id)).toJson());
    }

    /** {@code {"ids": [...]}}: at most {@link #MAX_STATUS_IDS} UUID strings, repeats allowed; nothing else in the body. */
    private Response statuses(Request r) throws Exception {
        JsonNode body = r.json();
        body.fieldNames().forEachRemaining(f -> {
            if (!f.equals("ids")) {
                throw ApiException.badRequest("unknown field '" + f.substring(0, Math.min(f.length(), 40)) + "'; the only one is ids");
            }
        });
        JsonNode ids = Validation.field(body, "ids");
        if (!ids.isArray()) {
            throw ApiException.badRequest("'ids' must be an array of order ids (UUID strings), got "
                    + ids.getNodeType().name().toLowerCase());
        }
        if (ids.size() > MAX_STATUS_IDS) {
            throw ApiException.badRequest("'ids' holds " + ids.size() + " ids; at most " + MAX_STATUS_IDS + " per request");
        }
        var asked = new java.util.LinkedHashSet<UUID>();
        for (int i = 0; i < ids.size(); i++) {
            if (!ids.get(i).isTextual()) {
                throw ApiException.badRequest("'ids[" + i + "]' must be a UUID string, got " + ids.get(i).getNodeType().name().toLowerCase());
            }
            asked.add(Validation.uuid(ids.get(i).asText(), "ids[" + i + "]"));
        }
        ObjectNode statuses = Json.object();
        store.statuses(asked).forEach((id, status) -> statuses.put(id.toString(), status));
        return Response.ok(Json.object().set("statuses", statuses));
    }

    private Response create(Request r) throws Exception {
        server.counters().received();
        server.metrics().attemptsReceived.labelValues("/orders", String.valueOf(r.config().name())).inc();
        JsonNode json = r.json(); // parsed once: the order and the idempotency fingerprint both need it
        OrderRequest order = OrderRequest.parse(json, catalogue.productIds(CallContext.of(r)));
        String key = r.header(Headers.IDEMPOTENCY_KEY);
        if (!r.config().idempotency()) {
            if (key != null && !key.isBlank()) {
                Validation.idempotencyKey(key); // recorded on the order, so it must be one the audit can read back
            }
            return place(r, order, key == null || key.isBlank() ? null : key);
        }
        if (key == null || key.isBlank()) {
            throw new ApiException(400, "idempotency_key_required",
                    "configuration F requires an Idempotency-Key header on POST /orders");
        }
        IdempotencyStore.Claim claim;
        try {
            claim = idempotency.claim(key, IdempotencyStore.fingerprint("POST", "/orders", Json.write(json).getBytes()));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "bad_idempotency_key", "Idempotency-Key: " + e.getMessage());
        }
        return switch (claim) {
            case IdempotencyStore.Replay replay -> {
                server.metrics().idempotency.labelValues("replayed").inc();
                yield Response.raw(replay.status(), replay.body()).withHeader(Headers.IDEMPOTENT_REPLAYED, "true");
            }
            case IdempotencyStore.InFlight inFlight -> {
                server.metrics().idempotency.labelValues("in_flight").inc();
                throw Rejections.idempotencyInFlight().toException();
            }
            case IdempotencyStore.Mismatch mismatch -> {
                server.metrics().idempotency.labelValues("mismatch").inc();
                throw Rejections.idempotencyKeyReused().toException();
            }
            case IdempotencyStore.Claimed claimed -> {
                server.metrics().idempotency.labelValues("claimed").inc();
                Response response;
                try {
                    response = place(r, order, key);
                } catch (Exception | Error e) {
                    idempotency.abandon(claimed); // nothing was decided: let a retry run it again
                    throw e;
                }
                // The final answer, success or failure, is what every replay of this key returns.
                idempotency.complete(claimed, response.status(), response.bodyText());
                yield response;
            }
        };
    }

    /** Settles PENDING orders now: {@code {"older_than_ms": n}} (0..86400000), default {@link RecoverySweep#longestCall}. */
    private Response sweepNow(Request r) throws Exception {
        java.time.Duration horizon = RecoverySweep.longestCall(server.configs());
        if (r.body().length > 0) {
            var body = r.json();
            if (!body.isObject()) {
                throw ApiException.badRequest("expected a JSON object such as {\"older_than_ms\": 0}, or no body");
            }
            var unknown = new java.util.ArrayList<String>();
            body.fieldNames().forEachRemaining(f -> {
                if (!f.equals("older_than_ms")) {
                    unknown.add(f);
                }
            });
            if (!unknown.isEmpty()) {
                throw ApiException.badRequest("unknown field(s) " + unknown + "; the only one is older_than_ms");
            }
            if (body.has("older_than_ms")) {
                horizon = java.time.Duration.ofMillis(Validation.intInRange(body, "older_than_ms", 0, 86_400_000));
            }
        }
        RecoverySweep.Result result = sweep.sweepNow(horizon);
        return Response.ok(server.envelope().put("settled", result.settled()).put("still_pending", result.stillPending())
                .put("older_than_ms", result.horizon().toMillis()));
    }

    /** Registers {@code id} as worked on by one more request (see {@link RecoverySweep}: never swept meanwhile). */
    private void enter(UUID id) {
        inFlight.merge(id, 1, Integer::sum);
    }

    private void leave(UUID id) {
        inFlight.computeIfPresent(id, (k, n) -> n == 1 ? null : n - 1);
    }

    /**
     * Inserts the PENDING order and runs the saga on it. The id is registered as in flight before
     * its row exists, so a sweep that can see the row can also see that it is still being worked on.
     */
    private Response place(Request r, OrderRequest order, String key) throws Exception {
        UUID fresh = UUID.randomUUID();
        enter(fresh);
        try {
            OrderStore.Order row = store.insertPending(fresh, order, r.config().name(), key);
            if (row.id().equals(fresh)) {
                return saga(r, order, row);
            }
            enter(row.id()); // F: the key's order exists already
            try {
                return saga(r, order, row);
            } finally {
                leave(row.id());
            }
        } finally {
            leave(fresh);
        }
    }

    /** The saga: PENDING -> reserve -> charge -> CONFIRMED, with compensation on every failure path. */
    private Response saga(Request r, OrderRequest order, OrderStore.Order row) throws Exception {
        CallContext call = CallContext.of(r);
        char config = r.config().name();
        if (!row.status().equals("PENDING") || !row.customerId().equals(order.customerId())) {
            return Response.of(row.status().equals("CONFIRMED") ? 201 : 200, row.toJson()); // F: the key's order exists
        }
        UUID id = row.id();

        HttpResult reserved;
        try {
            reserved = inventory.call(call, "POST", "/reservations", order.reservationJson(id));
        } catch (Exception e) {
            return failed(call, id, 503, "inventory_unavailable", e);
        }
        if (reserved.is(409) || reserved.is(422)) {
            store.fail(id, "inventory: " + reserved.detail());
            return failure(id, reserved.status(), reserved.is(409) ? "insufficient_stock" : "unknown_product", reserved.detail());
        }
        if (!reserved.is(201)) {
            return failed(call, id, 503, "inventory_error", new IllegalStateException("inventory answered "
                    + reserved.status() + ": " + reserved.detail()));
        }

        HttpResult charged;
        try {
            charged = payments.call(call, "POST", "/payments",
                    Json.object().put("order_id", id.toString()).put("amount_cents", order.totalCents()));
        } catch (Exception e) {
            return failed(call, id, 503, "payment_unavailable", e);
        }
        if (charged.is(402)) {
            return failed(call, id, 402, "payment_declined", new IllegalStateException(charged.detail()));
        }
        if (!charged.is(201)) {
            return failed(call, id, 503, "payment_failed", new IllegalStateException("payments answered "
                    + charged.status() + ": " + charged.detail()));
        }

        ObjectNode event = Notifier.event(id, config, "ORDER_CONFIRMED", order.customerId(), order.totalCents());
        if (!store.confirm(id, r.config().outbox() ? event : null)) {
            // The recovery sweep decided first (it only touches orders far older than any deadline).
            return Response.of(409, store.find(id).orElseThrow().toJson());
        }
        if (!r.config().outbox()) {
            notifier.direct(call, event); // best effort: a failure here loses the notification
        }
        if (r.deadline() != null && r.deadline().isExpired()) {
            server.counters().completedAfterDeadline();
            server.metrics().wastedWork.labelValues("/orders", String.valueOf(config)).inc();
        }
        return Response.created(Json.object().put("order_id", id.toString()).put("status", "CONFIRMED")
                .put("total", OrderRequest.money(order.totalCents())));
    }

    /**
     * Compensation: release the reservation, then FAILED. If the release itself fails the order
     * stays PENDING (with a note) and the recovery sweep retries the release later: an order is
     * never FAILED while it still holds stock.
     *
     * <p>The release is a {@link Downstream#compensate} call. In A..F that is the forward path's
     * stack without the request's deadline, so the breaker or bulkhead that just refused the order
     * refuses its release too (findings.md: orders left PENDING for the sweep). In G it is the
     * compensation path: its own retries, timeouts and deadline, nothing that refuses.
     */
    private Response failed(CallContext call, UUID id, int status, String code, Exception cause) throws Exception {
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        Rejections.Rejection refused = Rejections.of(cause);
        if (refused != null) {
            status = refused.status(); // a spent deadline is 504 here as everywhere; an open breaker 503
        }
        String detail = code + ": " + describe(cause);
        try {
            HttpResult released = inventory.compensate(call, "DELETE", Downstream.path("reservations", id.toString()), null);
            if (!released.is(200)) {
                throw new IllegalStateException("inventory answered " + released.status());
            }
        } catch (Exception e) {
            store.note(id, detail + "; release failed (" + describe(e) + "), left for the recovery sweep");
            return failureBody(id, status, code, detail, "PENDING");
        }
        store.fail(id, detail);
        return failure(id, status, code, detail);
    }

    private static Response failure(UUID id, int status, String code, String detail) {
        return failureBody(id, status, code, detail, "FAILED");
    }

    private static Response failureBody(UUID id, int status, String code, String detail, String orderStatus) {
        return Response.of(status, Json.object().put("error", code).put("detail", detail)
                .put("order_id", id.toString()).put("status", orderStatus));
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
