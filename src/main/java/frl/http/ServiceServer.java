package frl.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import frl.config.ConfigTable;
import frl.config.LabConfig;
import frl.resilience.Deadline;
import frl.resilience.NanoClock;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The HTTP server every service runs: two listeners, a {@link Router} each, JSON errors, admin
 * authentication, metrics and graceful shutdown.
 *
 * <p>Two listeners, because the admin plane must outlive the data plane:
 * <ul>
 *   <li>the <b>data listener</b> (the service's port, e.g. payments :8002) serves the business
 *       routes, one virtual thread per request, as many as arrive;</li>
 *   <li>the <b>management listener</b> (its own port, by default the data port + 100, bound to
 *       127.0.0.1) serves {@code /health}, {@code /metrics} and {@code /admin/*} on its own
 *       {@link #MANAGEMENT_THREADS} platform threads. Its own socket, accept thread and executor:
 *       a storm that fills the data listener's backlog, or a load shedder refusing orders, never
 *       delays a counters snapshot or a reset. Platform threads, not virtual ones, so an admin
 *       call is scheduled by the OS beside the data plane's carrier threads instead of queueing
 *       for one of them behind thousands of parked orders. Under a config-B storm at twice the
 *       calibrated capacity every {@code /admin/counters} answered within 1 s (0 of 6210 over, p99
 *       38-165 ms, on an idle and on a 92%-busy 2-core machine; 2026-12-01, measured with
 *       {@code make admin-probe}, see docs/architecture.md); ServiceServerTest keeps the
 *       mechanism: a snapshot answers while every carrier is held by a data-plane handler.</li>
 * </ul>
 * The data listener answers {@code /admin/*} and {@code /metrics} with a 404 that names the
 * management URL, so whoever still calls the old place is told where to go.
 *
 * <p>What it guarantees to every handler, so handlers hold only business logic:
 * <ul>
 *   <li>bodies over {@link #MAX_BODY_BYTES} are refused with 413 before they are read, and a body
 *       that stops arriving (cut off at the JDK's read time) is a 408;</li>
 *   <li>on the data listener, a client over its cap of requests in flight ({@link ClientLimit},
 *       off unless set) is refused with 429 before routing;</li>
 *   <li>an unknown path is 404, a known path with the wrong method 405 with {@code Allow};</li>
 *   <li>a bad {@code X-Client-Config} or {@code X-Deadline-Remaining-Ms} is 400 naming the header;</li>
 *   <li>{@code /admin/*} routes need {@code Authorization: Bearer <token>}, else 401 and nothing
 *       runs (checked in constant time, see {@link AdminToken});</li>
 *   <li>every failure is JSON {@code {"error", "detail"}}: a pattern's refusal maps to its row of
 *       {@link Rejections}, a downstream that timed out or could not be reached to 504 or 502, and
 *       an unexpected exception is a 500 carrying the request id, its stack trace logged, never a
 *       dropped connection.</li>
 * </ul>
 *
 * <p>Request read time is bounded by the JDK server's {@code sun.net.httpserver.maxReqTime}, which
 * {@link #configureJdkServer()} sets before the first server class loads.
 *
 * <p>Thread-safe once started: routes are fixed before {@link #start}, the default configuration
 * is an atomic reference.
 */
public final class ServiceServer {
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** How long shutdown waits for requests in flight before it stops anyway. */
    public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
    /**
     * Threads of the management listener. A handful: the harness asks one service at a time, a
     * Prometheus scrape and a person with curl may come at once, and a slow {@code /admin/sweep}
     * must not hold the others up. More would only compete with the data plane for the CPUs.
     */
    public static final int MANAGEMENT_THREADS = 4;

    private static final System.Logger LOG = System.getLogger(ServiceServer.class.getName());

    private final String service;
    private final ConfigTable configs;
    private final AtomicReference<LabConfig> defaultConfig;
    private final NanoClock clock;
    private final AdminToken adminToken;
    private final ServiceMetrics metrics;
    private final RunCounters counters;
    private final Router router = new Router();
    private final Router management = new Router();
    private volatile Tracing tracing = Tracing.off();
    /** The system property {@link frl.services.ServiceMain} sets from {@code LAB_MAX_INFLIGHT_PER_CLIENT}. */
    public static final String MAX_IN_FLIGHT_PER_CLIENT = "lab.maxInFlightPerClient";
    private volatile ClientLimit clientLimit = new ClientLimit(Integer.getInteger(MAX_IN_FLIGHT_PER_CLIENT, 0));
    private HttpServer server; // guarded by "this", as are the three below
    private ExecutorService executor;
    private HttpServer managementServer;
    private ExecutorService managementExecutor;
    private final java.util.concurrent.atomic.AtomicLong run = new java.util.concurrent.atomic.AtomicLong();
    private volatile String managementUrl = "(not started)"; // read by data-plane 404s without the lock

    public ServiceServer(String service, ConfigTable configs, LabConfig defaultConfig, NanoClock clock,
                         String adminToken, ServiceMetrics metrics, RunCounters counters) {
        this.adminToken = new AdminToken(adminToken); // refuses a short token before anything binds
        this.service = service;
        this.configs = configs;
        this.defaultConfig = new AtomicReference<>(defaultConfig);
        this.clock = clock;
        this.metrics = metrics;
        this.counters = counters;
    }

    /** Bounds on how long the JDK server waits for a request or response (seconds). Call before any server starts. */
    public static void configureJdkServer() {
        System.setProperty("sun.net.httpserver.maxReqTime", System.getProperty("sun.net.httpserver.maxReqTime", "30"));
        System.setProperty("sun.net.httpserver.maxRspTime", System.getProperty("sun.net.httpserver.maxRspTime", "120"));
    }

    /**
     * Caps the data listener's requests in flight per client address (see {@link ClientLimit});
     * beyond it a request is refused with 429 before it is routed. 0 = no cap. Call before {@link #start}.
     */
    public ServiceServer limitInFlightPerClient(int max) {
        clientLimit = new ClientLimit(max);
        return this;
    }

    public ServiceServer route(String method, String template, Router.Handler handler) {
        router.add(method, template, handler, false);
        return this;
    }

    /** A route of the management listener that needs the admin token ({@code /admin/*}). */
    public ServiceServer admin(String method, String template, Router.Handler handler) {
        management.add(method, template, handler, true);
        return this;
    }

    /** A route of the management listener open to anyone who can reach it ({@code /health}). */
    public ServiceServer management(String method, String template, Router.Handler handler) {
        management.add(method, template, handler, false);
        return this;
    }

    /** The data listener's routes, as {@code "METHOD /template"}. */
    public java.util.List<String> routes() {
        return router.describe();
    }

    /** The management listener's routes, as {@code "METHOD /template"} ({@code /metrics} besides, a handler of its own). */
    public java.util.List<String> managementRoutes() {
        return management.describe();
    }

    public String service() {
        return service;
    }

    public ConfigTable configs() {
        return configs;
    }

    public LabConfig defaultConfig() {
        return defaultConfig.get();
    }

    public void setDefaultConfig(LabConfig config) {
        defaultConfig.set(config);
    }

    /** The current run: 0 at start, one more after each {@code POST /admin/reset}. */
    public long run() {
        return run.get();
    }

    /**
     * Ends the current run ({@code POST /admin/reset}): requests that arrived before go on to
     * their answer, but their further POSTs downstream are refused (see {@link Downstream#call}),
     * so a storm's leftovers cannot feed the next run with work.
     */
    public void endRun() {
        run.incrementAndGet();
    }

    public Tracing tracing() {
        return tracing;
    }

    /** Turns tracing on (see {@link Tracing}); call before {@link #start}. */
    public void setTracing(Tracing tracing) {
        this.tracing = tracing;
    }

    public ServiceMetrics metrics() {
        return metrics;
    }

    public RunCounters counters() {
        return counters;
    }

    /** Starts both listeners, the management one on 127.0.0.1 with a free port (tests). Returns the data port. */
    public int start(String host, int port) throws IOException {
        return start(host, port, "127.0.0.1", 0);
    }

    /**
     * Binds and starts both listeners; port 0 picks a free one. Returns the bound data port
     * ({@link #managementPort()} gives the other).
     */
    public synchronized int start(String host, int port, String managementHost, int managementPort) throws IOException {
        configureJdkServer();
        server = bind(host, port, "");
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", this::dispatchLimited);
        try {
            managementServer = bind(managementHost, managementPort, "management ");
        } catch (IOException e) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
            throw e;
        }
        managementExecutor = Executors.newFixedThreadPool(MANAGEMENT_THREADS,
                Thread.ofPlatform().name(service + "-management-", 1).daemon(true).factory());
        managementServer.setExecutor(managementExecutor);
        managementServer.createContext("/metrics", new MetricsHandler(metrics.registry));
        managementServer.createContext("/", ex -> dispatch(ex, management));
        managementServer.start();
        InetSocketAddress bound = managementServer.getAddress();
        managementUrl = "http://" + bound.getHostString() + ":" + bound.getPort();
        server.start();
        return server.getAddress().getPort();
    }

    private HttpServer bind(String host, int port, String what) throws IOException {
        try {
            return HttpServer.create(new InetSocketAddress(host, port), 512);
        } catch (java.net.BindException e) {
            throw new IOException(service + ": " + what + "port " + port + " on " + host + " is already in use", e);
        }
    }

    public synchronized int port() {
        return server.getAddress().getPort();
    }

    public synchronized int managementPort() {
        return managementServer.getAddress().getPort();
    }

    /** Base URL of the management listener, e.g. {@code http://127.0.0.1:8102}. */
    public String managementUrl() {
        return managementUrl;
    }

    /** Stops accepting, lets requests in flight finish for up to the grace period, then stops; the management listener last. */
    public synchronized void stop(Duration grace) {
        if (server != null) {
            server.stop((int) Math.max(0, grace.toSeconds()));
            executor.shutdownNow();
            server = null;
            managementServer.stop(0);
            managementExecutor.shutdownNow();
            managementServer = null;
        }
    }

    /** Stops gracefully when the JVM gets SIGTERM (or Ctrl-C), running {@code alsoClose} afterwards. */
    public void stopOnShutdown(AutoCloseable alsoClose) {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            stop(SHUTDOWN_GRACE);
            try {
                alsoClose.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, service + ": error while closing", e);
            }
        }));
    }

    /** The data listener: a client over its cap is refused before anything else runs. */
    private void dispatchLimited(HttpExchange ex) {
        ClientLimit limit = clientLimit;
        java.net.InetAddress client = ex.getRemoteAddress().getAddress();
        if (!limit.tryEnter(client)) {
            String requestId = UUID.randomUUID().toString();
            write(ex, error(429, "too_many_in_flight", client.getHostAddress() + " already has " + limit.max()
                    + " requests in flight here; retry when one has finished", Map.of(Headers.RETRY_AFTER, "1")), requestId);
            metrics.requests.labelValues("unmatched", ex.getRequestMethod(), "429", "-").inc();
            return;
        }
        try {
            dispatch(ex, router);
        } finally {
            limit.exit(client);
        }
    }

    private void dispatch(HttpExchange ex, Router router) {
        long start = clock.nanoTime();
        String requestId = headerOr(ex, Headers.REQUEST_ID, null);
        if (requestId == null || requestId.isBlank() || requestId.length() > 100) {
            requestId = UUID.randomUUID().toString();
        }
        String routeLabel = "unmatched";
        String configLabel = "-";
        Response response;
        // With tracing off (the default) no span name is built and no header is parsed for a parent.
        var span = tracing.isOn()
                ? tracing.serverSpan(ex.getRequestMethod() + " " + ex.getRequestURI().getPath(), ex.getRequestHeaders())
                : io.opentelemetry.api.trace.Span.getInvalid();
        try (var scope = tracing.isOn() ? span.makeCurrent() : io.opentelemetry.context.Scope.noop()) {
            Router.Match match = router.match(ex.getRequestMethod(), ex.getRequestURI().getRawPath());
            if (match.route() == null) {
                if (match.allowedMethods().isEmpty()) {
                    throw notFound(ex.getRequestURI().getPath(), router);
                }
                String allow = String.join(", ", match.allowedMethods());
                throw new ApiException(405, "method_not_allowed",
                        ex.getRequestMethod() + " is not allowed here; use " + allow, Map.of("Allow", allow));
            }
            routeLabel = match.route().template();
            if (tracing.isOn()) {
                span.updateName(ex.getRequestMethod() + " " + routeLabel);
            }
            if (match.route().admin()) {
                checkAdmin(ex);
            }
            long run = this.run.get();
            LabConfig config = parseConfig(ex);
            configLabel = String.valueOf(config.name());
            Deadline deadline = parseDeadline(ex);
            byte[] body = readBody(ex);
            response = match.route().handler().handle(new Request(ex, match.params(), body, requestId, config, deadline, run));
        } catch (Exception e) {
            response = toResponse(e, requestId);
        }
        span.setAttribute("lab.config", configLabel);
        span.setAttribute("lab.request_id", requestId);
        Tracing.end(span, response.status());
        write(ex, response, requestId);
        metrics.requests.labelValues(routeLabel, ex.getRequestMethod(), Integer.toString(response.status()), configLabel).inc();
        metrics.latency.labelValues(routeLabel, configLabel).observe((clock.nanoTime() - start) / 1e9);
    }

    /** A 404; on the data listener, a management path says where it moved. */
    private ApiException notFound(String path, Router router) {
        if (router == this.router && path != null && (path.equals("/metrics") || path.startsWith("/admin/") || path.equals("/admin"))) {
            String url = managementUrl();
            return new ApiException(404, "not_found", path + " is served on " + service + "'s management listener, "
                    + url + path + " (LAB_" + service.toUpperCase() + "_ADMIN_PORT; .run/stack.json lists it under \"admin\")");
        }
        return new ApiException(404, "not_found", "no route for " + path);
    }

    private void checkAdmin(HttpExchange ex) {
        if (!adminToken.admits(headerOr(ex, Headers.AUTHORIZATION, null))) {
            throw new ApiException(401, "unauthorized", "admin endpoints need 'Authorization: Bearer <token>' (see .run/admin-token)",
                    Map.of("WWW-Authenticate", "Bearer"));
        }
    }

    private LabConfig parseConfig(HttpExchange ex) {
        try {
            return configs.parse(headerOr(ex, Headers.CONFIG, null), defaultConfig.get());
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "bad_config", Headers.CONFIG + ": " + e.getMessage());
        }
    }

    private Deadline parseDeadline(HttpExchange ex) {
        String v = headerOr(ex, Headers.DEADLINE, null);
        if (v == null) {
            return null;
        }
        try {
            return Deadline.fromHeader(v, clock);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "bad_deadline", Headers.DEADLINE + ": " + e.getMessage());
        }
    }

    private static byte[] readBody(HttpExchange ex) throws IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long n;
            try {
                n = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw new ApiException(400, "bad_request", "Content-Length is not a number: '" + declared + "'");
            }
            if (n > MAX_BODY_BYTES) {
                throw tooLarge();
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1); // chunked bodies have no Content-Length
            if (body.length > MAX_BODY_BYTES) {
                throw tooLarge();
            }
            return body;
        } catch (IOException e) {
            // The JDK server closed the connection at maxReqTime (a body trickled in, see the README's
            // limits), or the client hung up mid-body. Not a downstream's fault, so not a 502; the
            // answer is logged and counted, though nobody is left to read it.
            throw new ApiException(408, "request_timeout", "the request body did not arrive: " + e.getMessage(),
                    Map.of("Connection", "close"));
        }
    }

    private static ApiException tooLarge() {
        // Connection: close, because the rest of the body was never read: a client that reused this
        // connection would have its next request parsed out of the unread bytes (regression test:
        // AdminAndInputTest, the 70 KB body followed by the next request on the same client).
        return new ApiException(413, "body_too_large", "request body exceeds " + MAX_BODY_BYTES + " bytes",
                Map.of("Connection", "close"));
    }

    private Response toResponse(Exception e, String requestId) {
        if (e instanceof ApiException a) {
            return error(a.status(), a.code(), a.getMessage(), a.headers());
        }
        Rejections.Rejection refused = Rejections.of(e);
        if (refused != null) {
            return error(refused.status(), refused.code(), refused.detail(), refused.headers());
        }
        return switch (e) {
            case java.net.http.HttpTimeoutException t -> error(504, "upstream_timeout", "a downstream did not answer in time: "
                    + t.getMessage(), Map.of());
            case IOException io -> error(502, "upstream_unreachable", "a downstream could not be reached: "
                    + io.getClass().getSimpleName() + (io.getMessage() == null ? "" : ": " + io.getMessage()), Map.of());
            default -> {
                LOG.log(System.Logger.Level.ERROR, service + ": request " + requestId + " failed", e);
                yield error(500, "internal_error", "unexpected " + e.getClass().getSimpleName()
                        + " while handling request " + requestId + "; see the service log", Map.of());
            }
        };
    }

    public static Response error(int status, String code, String detail, Map<String, String> headers) {
        Response r = Response.of(status, Json.object().put("error", code).put("detail", detail));
        for (var h : headers.entrySet()) {
            r = r.withHeader(h.getKey(), h.getValue());
        }
        return r;
    }

    private void write(HttpExchange ex, Response response, String requestId) {
        try (ex) {
            byte[] bytes = response.bodyText().getBytes(StandardCharsets.UTF_8);
            var h = ex.getResponseHeaders();
            h.set("Content-Type", "application/json");
            h.set(Headers.REQUEST_ID, requestId);
            response.headers().forEach(h::set);
            boolean head = ex.getRequestMethod().equals("HEAD");
            ex.sendResponseHeaders(response.status(), head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (IOException e) {
            // The client went away (its own timeout, most often). Nothing to answer; the work is done.
            LOG.log(System.Logger.Level.DEBUG, service + ": could not write response " + requestId + ": " + e.getMessage());
        }
    }

    private static String headerOr(HttpExchange ex, String name, String fallback) {
        String v = ex.getRequestHeaders().getFirst(name);
        return v == null ? fallback : v;
    }

    /** Convenience for handlers: a body that says which service answered, for health and admin routes. */
    public ObjectNode envelope() {
        return Json.object().put("service", service);
    }
}
