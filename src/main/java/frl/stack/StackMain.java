package frl.stack;

import com.fasterxml.jackson.databind.node.ObjectNode;
import frl.chaos.TcpProxy;
import frl.config.Env;
import frl.http.AdminToken;
import frl.http.Json;
import frl.infra.Ports;
import frl.infra.PostgresServer;
import frl.resilience.Sleeper;
import frl.services.ServiceMain;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code make run-stack}: real PostgreSQL and Redis, then the five services as separate JVMs.
 *
 * <p>Steps, each printed as it happens:
 * <ol>
 *   <li>check every port is free (a taken one stops everything with one line naming it and the
 *       variable that moves it);</li>
 *   <li>PostgreSQL for orders (:5432, also holding the payments and notifications databases) and
 *       for inventory (:5433), and Redis (:6379): embedded from Maven artifacts, or the external
 *       servers named by {@code LAB_PG_URL}, {@code LAB_INVENTORY_PG_URL}, {@code LAB_REDIS_URL};</li>
 *   <li>an admin token ({@code LAB_ADMIN_TOKEN} or a fresh random one) in {@code .run/admin-token};</li>
 *   <li>the control channel ({@link ControlServer}) that stops and starts Redis or one PostgreSQL;</li>
 *   <li>the five services, logs in {@code .run/logs/}, pids in {@code .run/pids/}; on JDK 25 from
 *       this build's AOT cache, trained first if there is none ({@link AotCache});</li>
 *   <li>wait until every {@code /health} answers 200 on both listeners, then write
 *       {@code .run/stack.json} (every URL, for the experiment harness and the scripts; each
 *       service's management listener under {@code "admin"}) and {@code .run/ready}.</li>
 * </ol>
 * The launcher then stays up holding the databases and supervising the services: one that dies is
 * started again after a backoff ({@link Supervisor}, {@link RestartBackoff}: 1 s, 2 s, 4 s .. 30 s),
 * its new pid written to {@code .run/pids/} and {@code stack.json}, its restart count to
 * {@code stack.json}'s {@code "restarts"} and the log. SIGTERM ({@code make stop-stack}) ends the
 * supervision first, so nothing it stops is restarted, then stops the services (each finishes its
 * requests in flight), then Redis and PostgreSQL.
 *
 * <p>Where things go. The run directory is {@code -Dlab.run} (the Makefile passes the absolute
 * path of {@code .run}, or of {@code LAB_RUN_DIR}); every JVM of the stack carries that same
 * {@code -Dlab.run=...} on its command line, which is how {@code make stop-stack} tells this
 * checkout's stack from another one on the same machine. The embedded PostgreSQL servers keep
 * their data in {@code .run/pg/<name>/}, so a server stopped through the control channel comes back
 * with its data; the launcher empties that directory when it starts and when it stops, so every
 * {@code make run-stack} starts from empty databases (Redis keeps nothing either). Embedded
 * PostgreSQL's own log lines go to {@code .run/logs/infrastructure.log}, not the terminal.
 */
public final class StackMain {
    static final Duration HEALTH_WAIT = Duration.ofSeconds(90);

    /** A service: its port, main class, databases and the routes the welcome message lists. */
    record Service(String name, int port, String mainClass, List<String> databases, String routes) {
    }

    static final List<Service> SERVICES = List.of(
            new Service("payments", ServiceMain.PAYMENTS_PORT, "frl.services.payments.PaymentsMain", List.of("payments"),
                    "POST /payments, GET /payments/{orderId}"),
            new Service("inventory", ServiceMain.INVENTORY_PORT, "frl.services.inventory.InventoryMain", List.of("inventory"),
                    "GET /products, POST /reservations, DELETE /reservations/{orderId}"),
            new Service("notifications", ServiceMain.NOTIFICATIONS_PORT, "frl.services.notifications.NotificationsMain",
                    List.of("notifications"), "POST /notifications"),
            new Service("orders", ServiceMain.ORDERS_PORT, "frl.services.orders.OrdersMain", List.of("orders"),
                    "POST /orders, GET /orders/{id}, POST /orders/statuses, GET /status/breakers"),
            new Service("gateway", ServiceMain.GATEWAY_PORT, "frl.services.gateway.GatewayMain", List.of(),
                    "POST /orders, GET /orders/{id}, GET /status/breakers (every breaker in the stack)"));

    private final Env env = Env.system();
    private final Path run = runDirectory();
    private final List<Process> processes = new ArrayList<>();
    private final List<Supervisor> supervisors = new ArrayList<>();
    private final List<Component> infra = new ArrayList<>();
    private ControlServer control;
    private TcpProxy paymentsProxy; // LAB_PAYMENTS_PROXY=1 only: orders reaches payments through it
    private ObjectNode stackJson; // guarded by "this"; rewritten on every restart
    private AotCache aot; // set before the first launch

    public static void main(String[] args) {
        Path logs = runDirectory().resolve("logs");
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            System.err.println("run-stack failed: cannot create " + logs + ": " + e.getMessage());
            System.exit(1);
        }
        // Before anything touches SLF4J: embedded PostgreSQL logs every step of initdb at INFO.
        System.setProperty("org.slf4j.simpleLogger.logFile", logs.resolve("infrastructure.log").toString());
        StackMain stack = new StackMain();
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(stack::stop));
        try {
            stack.run();
        } catch (Exception e) {
            System.err.println("run-stack failed: " + e.getMessage());
            System.exit(1); // the shutdown hook stops whatever did start
        }
    }

    /** {@code -Dlab.run}, else {@code LAB_RUN_DIR}, else {@code .run}; always absolute. */
    static Path runDirectory() {
        String dir = System.getProperty("lab.run", System.getenv().getOrDefault("LAB_RUN_DIR", ".run"));
        return Path.of(dir).toAbsolutePath().normalize();
    }

    private void run() throws Exception {
        Files.createDirectories(run.resolve("pids"));
        Files.deleteIfExists(run.resolve("ready"));
        Map<String, Integer> ports = ports();
        for (var p : ports.entrySet()) {
            if (p.getValue() > 0 && !Ports.isFree(p.getValue())) {
                throw new IllegalStateException("port " + p.getValue() + " is already in use; set " + p.getKey()
                        + " to another port (or stop what holds it: `make stop-stack`, or `ss -ltnp | grep :" + p.getValue() + "`)");
            }
        }

        long t0 = System.nanoTime();
        AotCache.deleteRecursively(run.resolve("pg")); // fresh databases on every start (see the class comment)
        PostgresServer ordersPg = postgres("postgres-orders", "LAB_PG_URL", ports.get("LAB_PG_PORT"));
        PostgresServer inventoryPg = env.get("LAB_INVENTORY_PG_URL", null) == null && env.get("LAB_PG_URL", null) != null
                ? ordersPg : postgres("postgres-inventory", "LAB_INVENTORY_PG_URL", ports.get("LAB_INVENTORY_PG_PORT"));
        for (String db : List.of("orders", "payments", "notifications")) {
            ordersPg.createDatabase(db);
        }
        inventoryPg.createDatabase("inventory");
        String redisUrl = env.get("LAB_REDIS_URL", null);
        Component redis = redisUrl != null ? Component.external("redis", redisUrl)
                : new RedisComponent("redis", ports.get("LAB_REDIS_PORT"), run.resolve("pids").resolve("redis.pid"));
        infra.add(redis);
        System.out.printf("infrastructure up in %.1f s: %s; its logs in %s%n", (System.nanoTime() - t0) / 1e9,
                String.join(", ", infra.stream().map(c -> c.name() + " " + c.url() + (c.controllable() ? "" : " (external)")).toList()),
                relative(run.resolve("logs").resolve("infrastructure.log")));

        String token = env.get("LAB_ADMIN_TOKEN", HexFormat.of().formatHex(new SecureRandom().generateSeed(16)));
        new AdminToken(token); // a short LAB_ADMIN_TOKEN stops the launcher here, not each service in a restart loop
        Path tokenFile = run.resolve("admin-token");
        Files.writeString(tokenFile, token + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        if (env.get("LAB_PAYMENTS_PROXY", "0").equals("1")) { // off by default: the hop is then a plain socket
            paymentsProxy = new TcpProxy(env.port("LAB_PAYMENTS_PROXY_PORT", 0),
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), ports.get("LAB_PAYMENTS_PORT")), TcpProxy.Pause.system());
            System.out.printf("payments proxy on 127.0.0.1:%d: orders reaches payments through it (POST /proxy/payments on the control channel)%n",
                    paymentsProxy.port());
        }
        control = new ControlServer(infra, paymentsProxy, token, env.port("LAB_CONTROL_PORT", 0));

        Map<String, String> base = new LinkedHashMap<>(System.getenv());
        base.put("LAB_ADMIN_TOKEN", token);
        base.put("LAB_REDIS_URL", redis.url());
        base.put("LAB_ORDERS_DB_URL", ordersPg.jdbcUrl("orders"));
        base.put("LAB_PAYMENTS_DB_URL", ordersPg.jdbcUrl("payments"));
        base.put("LAB_NOTIFICATIONS_DB_URL", ordersPg.jdbcUrl("notifications"));
        base.put("LAB_INVENTORY_DB_URL", inventoryPg.jdbcUrl("inventory"));
        for (Service s : SERVICES) {
            base.put(portVar(s), Integer.toString(ports.get(portVar(s))));
            base.put(adminPortVar(s), Integer.toString(ports.get(adminPortVar(s))));
            base.put("LAB_" + s.name().toUpperCase() + "_URL", "http://127.0.0.1:" + ports.get(portVar(s)));
        }
        aot = AotCache.prepare(Runtime.version().feature(), env.get(AotCache.ENV, null), env.get(AotCache.TRAIN_ENV, null),
                System.getProperty("java.class.path"), System.out);
        boolean trained = aot.training();
        if (trained) {
            trainAotCache(base, redis, tokenFile);
        }
        for (Service s : SERVICES) {
            processes.add(launch(s, base, trained)); // after a training start, its lines stay in the log
        }
        for (int i = 0; i < SERVICES.size(); i++) {
            Service s = SERVICES.get(i);
            awaitHealthy(s, processes.get(i), ports.get(portVar(s)), ports.get(adminPortVar(s)));
        }
        aot.checkAccepted(SERVICES.stream().map(Service::name).toList(), run.resolve("logs"));

        synchronized (this) { // stop() (SIGTERM's hook) reads both lists
            for (int i = 0; i < processes.size(); i++) {
                supervisors.add(supervisor(SERVICES.get(i), processes.get(i), base));
            }
        }

        ObjectNode json = describe(base, redis, tokenFile);
        synchronized (this) {
            stackJson = json;
            writeStackJson();
        }
        Files.writeString(run.resolve("ready"), "ready\n");
        System.out.print(welcome(base, System.nanoTime() - t0));
        synchronized (this) { // after stop() the list is empty: nothing starts
            supervisors.forEach(Supervisor::start);
        }
        Thread.currentThread().join(); // hold the databases until SIGTERM
    }

    /** stack.json's content: every URL, the token file, and the pids of {@link #processes}. */
    private ObjectNode describe(Map<String, String> base, Component redis, Path tokenFile) {
        ObjectNode json = Json.object();
        ObjectNode services = json.putObject("services");
        for (Service s : SERVICES) {
            services.put(s.name(), base.get("LAB_" + s.name().toUpperCase() + "_URL"));
        }
        ObjectNode admin = json.putObject("admin"); // the management listeners: /admin/*, /metrics, /health
        for (Service s : SERVICES) {
            admin.put(s.name(), adminUrl(s));
        }
        ObjectNode dbs = json.putObject("databases");
        for (String db : List.of("orders", "payments", "notifications", "inventory")) {
            dbs.put(db, base.get("LAB_" + db.toUpperCase() + "_DB_URL"));
        }
        json.put("redis", redis.url());
        json.put("admin_token_file", tokenFile.toString());
        json.put("control", control.url());
        if (paymentsProxy != null) {
            json.put("payments_proxy", "http://127.0.0.1:" + paymentsProxy.port());
        }
        json.put("launcher_pid", ProcessHandle.current().pid());
        ObjectNode pids = json.putObject("pids");
        ObjectNode restarts = json.putObject("restarts");
        for (int i = 0; i < SERVICES.size(); i++) {
            pids.put(SERVICES.get(i).name(), processes.get(i).pid());
            restarts.put(SERVICES.get(i).name(), 0);
        }
        return json;
    }

    /**
     * Trains the AOT cache (see {@link AotCache}): the services start recording, the warm-up drives
     * every configuration through them, then SIGTERM makes each JVM write its cache on the way out
     * (assembling it takes a child JVM per service, hence the long wait). Any failure is printed and
     * the stack starts without a cache; {@link #processes} is empty again afterwards.
     */
    private void trainAotCache(Map<String, String> base, Component redis, Path tokenFile) {
        long t0 = System.nanoTime();
        try {
            for (Service s : SERVICES) {
                processes.add(launch(s, base, false));
            }
            for (int i = 0; i < SERVICES.size(); i++) {
                Service s = SERVICES.get(i);
                awaitHealthy(s, processes.get(i), Integer.parseInt(base.get(portVar(s))), Integer.parseInt(base.get(adminPortVar(s))));
            }
            Path trainingJson = run.resolve("aot-training.json");
            Files.writeString(trainingJson, Json.MAPPER.writeValueAsString(describe(base, redis, tokenFile)));
            Path warmLog = run.resolve("logs").resolve("aot-training.log");
            Process warm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), "frl.experiment.WarmupMain", "--stack", trainingJson.toString())
                    .redirectErrorStream(true).redirectOutput(warmLog.toFile()).start();
            int warmed = warm.waitFor();
            Files.deleteIfExists(trainingJson);
            System.out.printf("AOT cache: training workload %s in %.0f s (%s)%n", warmed == 0 ? "done" : "failed (exit " + warmed + ")",
                    (System.nanoTime() - t0) / 1e9, relative(warmLog));
            for (Process p : processes) {
                p.destroy(); // SIGTERM: the cache is written on the way out
            }
            for (Process p : processes) {
                if (!p.waitFor(3, java.util.concurrent.TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                }
            }
            aot.trained(SERVICES.stream().map(Service::name).toList(), System.nanoTime() - t0);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            aot.failed(e.getMessage());
        } finally {
            for (Process p : processes) {
                p.destroyForcibly(); // a no-op for those that exited
            }
            processes.clear();
        }
    }

    /**
     * Writes {@code stack.json} whole or not at all: a reader (the harness, a script, make) never
     * sees half a file, even while a restart rewrites it.
     */
    private void writeStackJson() throws IOException {
        assert Thread.holdsLock(this);
        Path tmp = run.resolve("stack.json.tmp");
        Files.writeString(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(stackJson) + "\n");
        Files.move(tmp, run.resolve("stack.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The supervision of {@code s}, whose first process is {@code first}; started once the stack is ready. */
    private Supervisor supervisor(Service s, Process first, Map<String, String> base) {
        int port = Integer.parseInt(base.get(portVar(s)));
        int adminPort = Integer.parseInt(base.get(adminPortVar(s)));
        return new Supervisor(new Supervisor.Service() {
            @Override
            public String name() {
                return s.name();
            }

            @Override
            public Process start() throws IOException {
                return launch(s, base, true);
            }

            @Override
            public void awaitHealthy(Process p) throws Exception {
                StackMain.this.awaitHealthy(s, p, port, adminPort);
            }

            @Override
            public void restarted(Process p, int restarts) {
                synchronized (StackMain.this) {
                    if (stackJson == null) {
                        return;
                    }
                    ((ObjectNode) stackJson.get("pids")).put(s.name(), p.pid());
                    ((ObjectNode) stackJson.get("restarts")).put(s.name(), restarts);
                    try {
                        writeStackJson();
                    } catch (IOException e) {
                        System.err.println("could not rewrite stack.json after restarting " + s.name() + ": " + e.getMessage());
                    }
                }
            }
        }, first, RestartBackoff.DEFAULT, System::nanoTime, Sleeper.system(), System.out);
    }

    private static String portVar(Service s) {
        return "LAB_" + s.name().toUpperCase() + "_PORT";
    }

    private static String adminPortVar(Service s) {
        return "LAB_" + s.name().toUpperCase() + "_ADMIN_PORT";
    }

    /**
     * Where the harness and the scripts reach {@code s}'s management listener: loopback, unless
     * {@code LAB_ADMIN_BIND} names a single other address (a wildcard bind is reached on loopback too).
     */
    private String adminUrl(Service s) {
        String bind = env.get("LAB_ADMIN_BIND", "127.0.0.1");
        String host = bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + ports().get(adminPortVar(s));
    }

    private Map<String, Integer> ports() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Service s : SERVICES) {
            ports.put(portVar(s), env.port(portVar(s), s.port()));
            ports.put(adminPortVar(s), ServiceMain.adminPort(env, s.name(), ports.get(portVar(s))));
        }
        ports.put("LAB_PG_PORT", env.get("LAB_PG_URL", null) == null ? env.port("LAB_PG_PORT", 5432) : 0);
        ports.put("LAB_INVENTORY_PG_PORT", env.get("LAB_PG_URL", null) == null && env.get("LAB_INVENTORY_PG_URL", null) == null
                ? env.port("LAB_INVENTORY_PG_PORT", 5433) : 0);
        ports.put("LAB_REDIS_PORT", env.get("LAB_REDIS_URL", null) == null ? env.port("LAB_REDIS_PORT", 6379) : 0);
        ports.put("LAB_CONTROL_PORT", env.port("LAB_CONTROL_PORT", 0));
        return ports;
    }

    /** An embedded server with its data under .run/pg/, or the external one {@code urlVar} names. */
    private PostgresServer postgres(String name, String urlVar, int port) throws IOException {
        String url = env.get(urlVar, null);
        if (url != null) {
            PostgresServer external = PostgresServer.external(url);
            infra.add(Component.external(name, url));
            return external;
        }
        PostgresComponent pg = new PostgresComponent(name, port, run.resolve("pg").resolve(name.substring("postgres-".length())));
        infra.add(pg);
        return pg.server();
    }

    private Process launch(Service s, Map<String, String> env, boolean restart) throws IOException {
        if (paymentsProxy != null && s.name().equals("orders")) { // the only caller of payments goes through it
            env = new LinkedHashMap<>(env);
            env.put("LAB_PAYMENTS_URL", "http://127.0.0.1:" + paymentsProxy.port());
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // ZGC, because its pauses stay in milliseconds however much is live: under a storm without
        // timeouts (configs A, B) thousands of requests are in flight, and with SerialGC their
        // stacks made stop-the-world pauses of 1-4 s, which stopped the management listener too
        // (admin latency p99 4.1 s with SerialGC, 0.45 s with ZGC in the same 2x storm). 1 GB,
        // because a 512 MB gateway or orders ran out of heap in that storm. Each pause is in
        // .run/logs/<service>-gc.log, to check before blaming a pattern for a slow second.
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseZGC", "-Xmx1g",
                "-Xlog:gc:file=" + run.resolve("logs").resolve(s.name() + "-gc.log"),
                "-Dlab.run=" + run, // marks the process as this run directory's (see make stop-stack)
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        command.addAll(aot.flags(s.name(), run.resolve("logs"))); // none below JDK 25 or with LAB_AOT=0
        command.addAll(List.of("-cp", aot.classpath(), s.mainClass()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(env);
        Path log = run.resolve("logs").resolve(s.name() + ".log");
        // A restarted service appends: the lines before its crash are the ones to read.
        pb.redirectErrorStream(true).redirectOutput(restart ? ProcessBuilder.Redirect.appendTo(log.toFile()) : ProcessBuilder.Redirect.to(log.toFile()));
        Process p = pb.start();
        Files.writeString(run.resolve("pids").resolve(s.name() + ".pid"), p.pid() + "\n");
        System.out.printf("started %-13s pid %-7d log %s%n", s.name(), p.pid(), relative(log));
        return p;
    }

    /** Waits until {@code s} answers {@code /health} with 200 on its data port, then on its management port. */
    private void awaitHealthy(Service s, Process p, int port, int adminPort) throws Exception {
        long until = System.nanoTime() + HEALTH_WAIT.toNanos();
        String body = awaitHealthy(s, p, URI.create("http://127.0.0.1:" + port + "/health"), until);
        awaitHealthy(s, p, URI.create(adminUrl(s) + "/health"), until);
        System.out.printf("healthy %-13s %s%n", s.name(), body);
    }

    private String awaitHealthy(Service s, Process p, URI url, long until) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build();
        String last = "no answer";
        while (System.nanoTime() < until) {
            if (!p.isAlive()) {
                throw new IllegalStateException(s.name() + " exited with code " + p.exitValue() + "; last lines of "
                        + relative(run.resolve("logs").resolve(s.name() + ".log")) + ":\n"
                        + tail(run.resolve("logs").resolve(s.name() + ".log")));
            }
            try {
                HttpResponse<String> r = client.send(health, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return r.body();
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.getClass().getSimpleName();
            }
            Thread.sleep(200); // polling a process we started; nothing to inject here
        }
        throw new IllegalStateException(s.name() + " not healthy at " + url + " after " + HEALTH_WAIT.toSeconds()
                + " s (last: " + last + ")");
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** A path as the user typed it: relative to the working directory when it is under it. */
    private static String relative(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        return p.startsWith(cwd) ? cwd.relativize(p).toString() : p.toString();
    }

    /** What the terminal shows once the stack is healthy: every endpoint, and what to try first. */
    private String welcome(Map<String, String> base, long nanos) {
        StringBuilder b = new StringBuilder(String.format("%nFailure Recovery Lab started in %.1f s (every service healthy); warming it up next.%n", nanos / 1e9));
        for (String name : List.of("gateway", "orders", "payments", "inventory", "notifications")) { // in call order
            Service s = SERVICES.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
            line(b, s.name(), String.format("%-23s %s", base.get("LAB_" + s.name().toUpperCase() + "_URL"), s.routes()));
        }
        for (String name : List.of("gateway", "orders", "payments", "inventory", "notifications")) {
            Service s = SERVICES.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
            line(b, name + " admin", String.format("%-23s %s", adminUrl(s), "GET /health, GET /metrics, /admin/*"
                    + (name.equals("orders") ? " (also POST /admin/sweep)" : "")));
        }
        line(b, "", "on 127.0.0.1 unless LAB_ADMIN_BIND says otherwise; /admin/* needs the token: /admin/counters, /admin/reset,"
                + " /admin/chaos, /admin/config");
        for (String db : List.of("orders", "payments", "notifications", "inventory")) {
            line(b, db + " db", "psql " + psqlUrl(base.get("LAB_" + db.toUpperCase() + "_DB_URL")));
        }
        line(b, "redis", base.get("LAB_REDIS_URL"));
        line(b, "control", String.format("%-23s GET /infra, POST /infra/{%s}/stop|start", control.url(),
                String.join("|", infra.stream().map(Component::name).toList())));
        line(b, "files", relative(run.resolve("stack.json")) + " (every URL), " + relative(run.resolve("logs")) + "/, "
                + relative(run.resolve("admin-token")));
        String gateway = base.get("LAB_GATEWAY_URL");
        b.append(String.format("""

                Try the spec's quick start:
                  curl %s/health
                  curl -X POST %s/orders -H 'Content-Type: application/json' -H 'Idempotency-Key: test-001' \\
                    -d '{"customer_id": "customer-1", "items": [{"product_id": "prod-001", "quantity": 2, "unit_price": 29.99}]}'
                  curl %s/status/breakers
                  bash chaos/scripts/payment_errors.sh enable      # then: disable
                Databases start empty on every run-stack. Stop everything with: make stop-stack
                """, gateway, gateway, gateway));
        return b.toString();
    }

    private static void line(StringBuilder b, String name, String text) {
        b.append(String.format("  %-17s %s%n", name, text));
    }

    /** {@code jdbc:postgresql://h:p/db?user=u} -> {@code postgresql://u@h:p/db} (other options dropped). */
    static String psqlUrl(String jdbc) {
        String rest = jdbc.substring("jdbc:postgresql://".length());
        String query = rest.contains("?") ? rest.substring(rest.indexOf('?') + 1) : "";
        String hostAndDb = rest.contains("?") ? rest.substring(0, rest.indexOf('?')) : rest;
        String user = Stream.of(query.split("&")).filter(kv -> kv.startsWith("user=")).map(kv -> kv.substring(5) + "@")
                .findFirst().orElse("");
        return "postgresql://" + user + hostAndDb;
    }

    /** Services first (SIGTERM: each drains its requests in flight), then Redis and PostgreSQL. */
    private synchronized void stop() {
        // Supervision ends first, so no service stopped here is restarted; after close() each
        // supervisor's current() is the last process it started (see Supervisor's comment).
        for (int i = 0; i < supervisors.size(); i++) {
            supervisors.get(i).close();
            processes.set(i, supervisors.get(i).current());
        }
        supervisors.clear();
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        processes.clear();
        if (control != null) {
            control.close();
        }
        if (paymentsProxy != null) {
            paymentsProxy.close();
        }
        for (int i = infra.size() - 1; i >= 0; i--) {
            try {
                infra.get(i).close();
            } catch (RuntimeException e) {
                System.err.println("while stopping " + infra.get(i).name() + ": " + e.getMessage());
            }
        }
        infra.clear();
        try {
            Files.deleteIfExists(run.resolve("ready"));
            for (Service s : SERVICES) {
                Files.deleteIfExists(run.resolve("pids").resolve(s.name() + ".pid"));
            }
            AotCache.deleteRecursively(run.resolve("pg"));
        } catch (IOException ignored) {
            // best effort on the way out
        }
    }
}
