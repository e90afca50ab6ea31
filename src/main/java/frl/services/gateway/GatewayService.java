package frl.services.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import frl.chaos.Chaos;
import frl.config.LabConfig;
import frl.http.AdminRoutes;
import frl.http.CallContext;
import frl.http.Downstream;
import frl.http.Headers;
import frl.http.HttpResult;
import frl.http.Json;
import frl.http.PatternRegistry;
import frl.http.Request;
import frl.http.Rejections;
import frl.http.Response;
import frl.http.ServiceServer;
import frl.resilience.AdaptiveBulkhead;
import frl.resilience.Compartment;
import frl.resilience.Deadline;
import frl.resilience.LoadShedder;
import frl.services.ServiceContext;
import frl.services.Validation;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * gateway :8000 — the front door. It owns two patterns of its own: the end-to-end deadline
 * (started here, then carried by every hop) and load shedding (configs E, F: a fixed in-flight
 * limit; G: an adaptive one).
 *
 * <pre>
 *   POST /orders            shed if too many requests are inside (503 + Retry-After), else forward
 *                           to orders with this configuration's retry/timeout/breaker
 *   GET  /orders/{id}       forward
 *   GET  /status/breakers   every breaker in the stack: the gateway's and those orders reports
 *   GET  /status/limits     every adaptive limit and retry budget (G): the gateway's and orders'
 * </pre>
 *
 * <p>The deadline: the client may send {@code X-Deadline-Remaining-Ms}; the gateway starts one of
 * {@code min(client's, configured deadline)} (spec: 25 s), or the configured one when the client
 * sends none. In configurations without timeouts (A, B) it is still propagated but only used to
 * count wasted work.
 *
 * <p>Shedding sits in front of everything, so a rejected request costs almost nothing: no downstream
 * call, no retry, no thread held. One shedder per configuration, so interleaved experiment runs
 * never share an in-flight count. G's shedder is an {@link AdaptiveBulkhead} whose yardstick is the
 * request's deadline: the limit stays at its ceiling while orders answer well within their
 * deadlines (a slow payments included) and falls to what was in flight once they use more than
 * the target share of it, which is when admitting more only makes every request later.
 */
public final class GatewayService {
    private final ServiceServer server;
    private final Downstream orders;
    private final PatternRegistry patterns;
    private final ServiceContext ctx;
    private final Map<Character, LoadShedder> shedders = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Character, AdaptiveBulkhead> frontDoors = new java.util.concurrent.ConcurrentHashMap<>();

    public GatewayService(ServiceContext ctx, URI ordersUrl) {
        this.ctx = ctx;
        this.server = ctx.server("gateway");
        this.patterns = ctx.patterns(server);
        this.orders = new Downstream("orders", ordersUrl, Downstream.newClient(), patterns, server);
        server.route("POST", "/orders", this::create);
        server.metrics().initialiseShedding(server.configs());
        server.route("GET", "/orders/{id}", r -> relay(orders.call(CallContext.of(r), "GET", Downstream.path("orders", r.pathParam("id")), null)));
        server.route("GET", "/status/breakers", r -> merged(r, "breakers", patterns.breakersJson()));
        server.route("GET", "/status/limits", r -> merged(r, "limits", limitsJson()));
        server.metrics().addAdaptiveLimits(gauge -> frontDoors.forEach((c, door) ->
                gauge.call(door.limit(), door.name(), String.valueOf(c))));
        AdminRoutes.install(server, new Chaos(List.of()), Map.of(), () -> {
            patterns.reset();
            shedders.clear();
            frontDoors.clear();
        }, () -> { });
    }

    public ServiceServer server() {
        return server;
    }

    private Response create(Request r) throws Exception {
        server.counters().received();
        LabConfig config = r.config();
        server.metrics().attemptsReceived.labelValues("/orders", String.valueOf(config.name())).inc();
        r.requireJsonContentType(); // the body goes on unparsed; orders checks the rest
        String key = r.header(Headers.IDEMPOTENCY_KEY);
        if (key != null && !key.isBlank()) {
            Validation.idempotencyKey(key); // checked here too: the hop to orders could not carry every bad key as sent
        }
        if (config.adaptive().enabled()) {
            return throughFrontDoor(r, config);
        }
        LoadShedder shedder = config.shedding().enabled() ? shedder(config) : null;
        if (shedder != null && !shedder.tryAcquire()) {
            countShed(config);
            throw Rejections.shed(shedder).toException();
        }
        try {
            CallContext call = CallContext.of(r).withDeadline(deadline(r, config));
            return relay(orders.call(call, "POST", "/orders", r.body()));
        } finally {
            if (shedder != null) {
                shedder.release();
            }
        }
    }

    /**
     * G: admitted while fewer requests are inside than the adaptive limit; the order's latency,
     * measured against its deadline, is the limit's sample. A timeout used the whole deadline; a
     * request that never left (deadline spent, interrupted) says nothing about orders.
     */
    private Response throughFrontDoor(Request r, LabConfig config) throws Exception {
        Deadline deadline = deadline(r, config);
        AdaptiveBulkhead door = frontDoors.computeIfAbsent(config.name(),
                n -> new AdaptiveBulkhead("gateway", config.adaptive().config(), ctx.clock()));
        AdaptiveBulkhead.Permit permit = door.tryAcquire(deadline.timeoutFor(null)); // a spent deadline: 504
        if (permit == null) {
            countShed(config);
            throw Rejections.shed(door).toException();
        }
        Compartment.Outcome outcome = Compartment.Outcome.ANSWERED;
        try {
            return relay(orders.call(CallContext.of(r).withDeadline(deadline), "POST", "/orders", r.body()));
        } catch (Exception e) {
            outcome = Compartment.Outcome.of(e);
            throw e;
        } finally {
            permit.release(outcome);
        }
    }

    private void countShed(LabConfig config) {
        server.counters().shed();
        server.metrics().shed.labelValues(String.valueOf(config.name())).inc();
    }

    private LoadShedder shedder(LabConfig config) {
        return shedders.computeIfAbsent(config.name(), n -> new LoadShedder("gateway-" + n, config.shedding().config()));
    }

    private Deadline deadline(Request r, LabConfig config) {
        Deadline configured = Deadline.after(config.timeouts().config().budget(), ctx.clock());
        Deadline client = r.deadline();
        if (client == null) {
            return configured;
        }
        return client.remaining().compareTo(configured.remaining()) < 0 ? client : configured;
    }

    /** Passes a downstream answer through: status, body and the headers a client acts on. */
    private static Response relay(HttpResult result) {
        Response response = Response.raw(result.status(), result.body().isEmpty() ? "{}" : result.body());
        for (String h : List.of(Headers.IDEMPOTENT_REPLAYED, Headers.RETRY_AFTER)) {
            String v = result.header(h);
            if (v != null) {
                response = response.withHeader(h, v);
            }
        }
        return response;
    }

    /** The gateway's adaptive limits and budgets, its front doors among them as "G/front_door". */
    private ObjectNode limitsJson() {
        ObjectNode own = patterns.limitsJson();
        ObjectNode limits = (ObjectNode) own.get("adaptive_limits");
        new java.util.TreeMap<>(frontDoors).forEach((c, door) ->
                limits.set(c + "/front_door", PatternRegistry.adaptiveJson(door, String.valueOf(c))));
        return own;
    }

    /** The gateway's own {@code field} and the one orders reports at the same path, side by side. */
    private Response merged(Request r, String field, ObjectNode own) {
        ObjectNode body = Json.object();
        body.set("gateway", own);
        String path = "/status/" + field;
        try {
            HttpResult fromOrders = orders.call(CallContext.of(r), "GET", path, null);
            JsonNode b = fromOrders.is(200) ? fromOrders.json().path(field) : null;
            body.set("orders", b != null ? b : Json.object().put("error", "orders answered " + fromOrders.status()));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            body.set("orders", Json.object().put("error", "orders unreachable: " + e.getMessage()));
        }
        return Response.ok(body);
    }
}
