package frl.stack;

import com.fasterxml.jackson.databind.node.ObjectNode;
import frl.config.Env;
import frl.http.Json;
import frl.infra.Ports;
import frl.infra.PostgresServer;
import frl.infra.RedisServerHandle;
import frl.services.ServiceMain;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 *   <li>the five services, logs in {@code .run/logs/}, pids in {@code .run/pids/};</li>
 *   <li>wait until every {@code /health} answers 200, then write {@code .run/stack.json} (every URL,
 *       for the experiment harness) and {@code .run/ready}.</li>
 * </ol>
 * The launcher then stays up holding the databases; SIGTERM ({@code make stop-stack}) stops the
 * services first (each finishes its requests in flight), then Redis and PostgreSQL.
 */
public final class StackMain {
    static final Path RUN = Path.of(".run");
    static final Duration HEALTH_WAIT = Duration.ofSeconds(90);

    record Service(String name, int port, String mainClass, List<String> databases) {
    }

    static final List<Service> SERVICES = List.of(
            new Service("payments", ServiceMain.PAYMENTS_PORT, "frl.services.payments.PaymentsMain", List.of("payments")),
            new Service("inventory", ServiceMain.INVENTORY_PORT, "frl.services.inventory.InventoryMain", List.of("inventory")),
            new Service("notifications", ServiceMain.NOTIFICATIONS_PORT, "frl.services.notifications.NotificationsMain", List.of("notifications")),
            new Service("orders", ServiceMain.ORDERS_PORT, "frl.services.orders.OrdersMain", List.of("orders")),
            new Service("gateway", ServiceMain.GATEWAY_PORT, "frl.services.gateway.GatewayMain", List.of()));

    private final Env env = Env.system();
    private final List<Process> processes = new ArrayList<>();
    private final List<AutoCloseable> infra = new ArrayList<>();

    public static void main(String[] args) {
        StackMain stack = new StackMain();
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(stack::stop));
        try {
            stack.run();
        } catch (Exception e) {
            System.err.println("run-stack failed: " + e.getMessage());
            System.exit(1); // the shutdown hook stops whatever did start
        }
    }

    private void run() throws Exception {
        Files.createDirectories(RUN.resolve("logs"));
        Files.createDirectories(RUN.resolve("pids"));
        Files.deleteIfExists(RUN.resolve("ready"));
        Map<String, Integer> ports = ports();
        for (var p : ports.entrySet()) {
            if (p.getValue() > 0 && !Ports.isFree(p.getValue())) {
                throw new IllegalStateException("port " + p.getValue() + " is already in use; set " + p.getKey()
                        + " to another port (or stop what holds it: `make stop-stack`, or `ss -ltnp | grep :" + p.getValue() + "`)");
            }
        }

        long t0 = System.nanoTime();
        PostgresServer ordersPg = postgres("LAB_PG_URL", ports.get("LAB_PG_PORT"));
        PostgresServer inventoryPg = env.get("LAB_INVENTORY_PG_URL", null) == null && env.get("LAB_PG_URL", null) != null
                ? ordersPg : postgres("LAB_INVENTORY_PG_URL", ports.get("LAB_INVENTORY_PG_PORT"));
        for (String db : List.of("orders", "payments", "notifications")) {
            ordersPg.createDatabase(db);
        }
        inventoryPg.createDatabase("inventory");
        RedisServerHandle redis = env.get("LAB_REDIS_URL", null) != null
                ? RedisServerHandle.external(env.get("LAB_REDIS_URL", null)) : RedisServerHandle.start(ports.get("LAB_REDIS_PORT"));
        infra.add(redis);
        System.out.printf("infrastructure up in %.1f s: %s, %s, %s%n", (System.nanoTime() - t0) / 1e9, ordersPg, inventoryPg, redis);

        String token = env.get("LAB_ADMIN_TOKEN", HexFormat.of().formatHex(new SecureRandom().generateSeed(16)));
        Path tokenFile = RUN.resolve("admin-token");
        Files.writeString(tokenFile, token + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));

        Map<String, String> base = new LinkedHashMap<>(System.getenv());
        base.put("LAB_ADMIN_TOKEN", token);
        base.put("LAB_REDIS_URL", redis.url());
        base.put("LAB_ORDERS_DB_URL", ordersPg.jdbcUrl("orders"));
        base.put("LAB_PAYMENTS_DB_URL", ordersPg.jdbcUrl("payments"));
        base.put("LAB_NOTIFICATIONS_DB_URL", ordersPg.jdbcUrl("notifications"));
        base.put("LAB_INVENTORY_DB_URL", inventoryPg.jdbcUrl("inventory"));
        for (Service s : SERVICES) {
            base.put("LAB_" + s.name().toUpperCase() + "_PORT", Integer.toString(ports.get("LAB_" + s.name().toUpperCase() + "_PORT")));
            base.put("LAB_" + s.name().toUpperCase() + "_URL", "http://127.0.0.1:" + ports.get("LAB_" + s.name().toUpperCase() + "_PORT"));
        }
        for (Service s : SERVICES) {
            processes.add(launch(s, base));
        }
        for (int i = 0; i < SERVICES.size(); i++) {
            awaitHealthy(SERVICES.get(i), processes.get(i), ports.get("LAB_" + SERVICES.get(i).name().toUpperCase() + "_PORT"));
        }

        ObjectNode json = Json.object();
        ObjectNode services = json.putObject("services");
        for (Service s : SERVICES) {
            services.put(s.name(), base.get("LAB_" + s.name().toUpperCase() + "_URL"));
        }
        ObjectNode dbs = json.putObject("databases");
        for (String db : List.of("orders", "payments", "notifications", "inventory")) {
            dbs.put(db, base.get("LAB_" + db.toUpperCase() + "_DB_URL"));
        }
        json.put("redis", redis.url());
        json.put("admin_token_file", tokenFile.toAbsolutePath().toString());
        json.put("launcher_pid", ProcessHandle.current().pid());
        Files.writeString(RUN.resolve("stack.json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
        Files.writeString(RUN.resolve("ready"), "ready\n");
        printWelcome(base.get("LAB_GATEWAY_URL"), System.nanoTime() - t0);
        Thread.currentThread().join(); // hold the databases until SIGTERM
    }

    private Map<String, Integer> ports() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Service s : SERVICES) {
            String var = "LAB_" + s.name().toUpperCase() + "_PORT";
            ports.put(var, env.port(var, s.port()));
        }
        ports.put("LAB_PG_PORT", env.get("LAB_PG_URL", null) == null ? env.port("LAB_PG_PORT", 5432) : 0);
        ports.put("LAB_INVENTORY_PG_PORT", env.get("LAB_PG_URL", null) == null && env.get("LAB_INVENTORY_PG_URL", null) == null
                ? env.port("LAB_INVENTORY_PG_PORT", 5433) : 0);
        ports.put("LAB_REDIS_PORT", env.get("LAB_REDIS_URL", null) == null ? env.port("LAB_REDIS_PORT", 6379) : 0);
        return ports;
    }

    private PostgresServer postgres(String urlVar, int port) throws IOException {
        String url = env.get(urlVar, null);
        PostgresServer pg = url != null ? PostgresServer.external(url) : PostgresServer.start(port);
        infra.add(pg);
        return pg;
    }

    private Process launch(Service s, Map<String, String> env) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-XX:+UseSerialGC", "-Xmx512m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), s.mainClass());
        pb.environment().clear();
        pb.environment().putAll(env);
        Path log = RUN.resolve("logs").resolve(s.name() + ".log");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        Files.writeString(RUN.resolve("pids").resolve(s.name() + ".pid"), p.pid() + "\n");
        System.out.printf("started %-13s pid %-7d log %s%n", s.name(), p.pid(), log);
        return p;
    }

    private void awaitHealthy(Service s, Process p, int port) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        long until = System.nanoTime() + HEALTH_WAIT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < until) {
            if (!p.isAlive()) {
                throw new IllegalStateException(s.name() + " exited with code " + p.exitValue() + "; last lines of .run/logs/"
                        + s.name() + ".log:\n" + tail(RUN.resolve("logs").resolve(s.name() + ".log")));
            }
            try {
                HttpResponse<String> r = client.send(health, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    System.out.printf("healthy %-13s %s%n", s.name(), r.body());
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.getClass().getSimpleName();
            }
            Thread.sleep(200); // polling a process we started; nothing to inject here
        }
        throw new IllegalStateException(s.name() + " not healthy after " + HEALTH_WAIT.toSeconds() + " s (last: " + last + ")");
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void printWelcome(String gateway, long nanos) {
        System.out.printf("%nFailure Recovery Lab is up in %.1f s.%n", nanos / 1e9);
        System.out.println("""
                  gateway        %s        POST /orders, GET /orders/{id}, GET /status/breakers
                  services       see .run/stack.json; logs in .run/logs/; admin token in .run/admin-token

                Try the spec's quick start:
                  curl %s/health
                  curl -X POST %s/orders -H 'Content-Type: application/json' -H 'Idempotency-Key: test-001' \\
                    -d '{"customer_id": "customer-1", "items": [{"product_id": "prod-001", "quantity": 2, "unit_price": 29.99}]}'
                  curl %s/status/breakers
                  bash chaos/scripts/payment_errors.sh enable      # then: disable
                Stop everything with: make stop-stack
                """.formatted(gateway, gateway, gateway, gateway));
    }

    /** Services first (SIGTERM: each drains its requests in flight), then Redis and PostgreSQL. */
    private synchronized void stop() {
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
        for (int i = infra.size() - 1; i >= 0; i--) {
            try {
                infra.get(i).close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e.getMessage());
            }
        }
        infra.clear();
        try {
            Files.deleteIfExists(RUN.resolve("ready"));
            for (Service s : SERVICES) {
                Files.deleteIfExists(RUN.resolve("pids").resolve(s.name() + ".pid"));
            }
        } catch (IOException ignored) {
            // best effort on the way out
        }
    }
}
