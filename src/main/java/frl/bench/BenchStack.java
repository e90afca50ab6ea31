package frl.bench;

import com.fasterxml.jackson.databind.JsonNode;
import frl.http.Json;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A stack started for a benchmark: {@code frl.stack.StackMain} as a child process working in its own
 * directory, so its {@code .run/} (pids, stack.json) never touches a stack someone already runs
 * from the repository, on ports of its own ({@link #PORTS}).
 *
 * <p>It also knows every process the stack is made of, so CPU can be charged to each: the five
 * service JVMs, the two PostgreSQL servers (postmaster and every backend, including exited ones
 * through the postmaster's children's time) and Redis.
 *
 * <p>Not thread-safe; one benchmark drives it.
 */
final class BenchStack implements AutoCloseable {
    static final List<String> SERVICES = List.of("gateway", "orders", "payments", "inventory", "notifications");
    /**
     * Ports off the defaults (8000-8004, 5432/5433, 6379), so a running stack and the benchmark
     * coexist; each can be moved through the same variable in the benchmark's own environment.
     */
    static final Map<String, String> PORTS = ports(Map.of(
            "LAB_GATEWAY_PORT", "9100", "LAB_ORDERS_PORT", "9101", "LAB_PAYMENTS_PORT", "9102",
            "LAB_INVENTORY_PORT", "9103", "LAB_NOTIFICATIONS_PORT", "9104",
            "LAB_PG_PORT", "5632", "LAB_INVENTORY_PG_PORT", "5633", "LAB_REDIS_PORT", "6579"));

    private static Map<String, String> ports(Map<String, String> defaults) {
        Map<String, String> p = new LinkedHashMap<>();
        defaults.forEach((k, v) -> p.put(k, System.getenv().getOrDefault(k, v)));
        return Map.copyOf(p);
    }
    static final Duration START_WAIT = Duration.ofSeconds(300); // a busy 2-core machine takes minutes

    private final Process launcher;
    private final Path dir;
    final JsonNode info;
    final Map<String, Long> pids = new LinkedHashMap<>();
    final long startMillis;

    private BenchStack(Process launcher, Path dir, JsonNode info, long startMillis) throws IOException {
        this.launcher = launcher;
        this.dir = dir;
        this.info = info;
        this.startMillis = startMillis;
        for (String s : SERVICES) {
            pids.put(s, Long.parseLong(Files.readString(dir.resolve(".run/pids/" + s + ".pid")).trim()));
        }
    }

    /** Starts a stack working in {@code dir} with the extra environment {@code env} (e.g. processor knobs). */
    static BenchStack start(Path dir, Map<String, String> env, List<String> jvmOptions) throws Exception {
        Files.createDirectories(dir);
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        StringBuilder cp = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            cp.append(cp.isEmpty() ? "" : File.pathSeparator).append(Path.of(entry).toAbsolutePath());
        }
        List<String> cmd = new ArrayList<>(List.of(javaBin, "-XX:+UseSerialGC"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", cp.toString(), "frl.stack.StackMain"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("launcher.log").toFile());
        pb.environment().putAll(PORTS);
        pb.environment().put(frl.infra.PostgresServer.PRELOAD_ENV, "pg_stat_statements");
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        // A benchmark stopped with Ctrl-C or kill stops its stack too (SIGTERM: the launcher stops the rest).
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
        Path ready = dir.resolve(".run/ready");
        long until = System.nanoTime() + START_WAIT.toNanos();
        while (!Files.exists(ready)) {
            if (!p.isAlive() || System.nanoTime() > until) {
                p.destroy();
                throw new IllegalStateException("the benchmark's stack did not start (ports " + PORTS.values()
                        + " must be free); see " + dir.resolve("launcher.log") + ":\n" + tail(dir.resolve("launcher.log")));
            }
            Thread.sleep(200); // polling a process we started
        }
        long took = (System.nanoTime() - t0) / 1_000_000;
        BenchStack stack = new BenchStack(p, dir, Json.MAPPER.readTree(dir.resolve(".run/stack.json").toFile()), took);
        stack.countStatements();
        return stack;
    }

    String url(String service) {
        return info.path("services").path(service).asText();
    }

    /** The service's management listener, where {@code /admin/*} lives. */
    String adminUrl(String service) {
        return info.path("admin").path(service).asText();
    }

    String jdbc(String database) {
        return info.path("databases").path(database).asText();
    }

    /**
     * CPU ticks (1/100 s) used so far by each part of the stack: the services, "postgres" (both
     * servers, backends included) and "redis".
     */
    Map<String, Long> ticks() {
        Map<String, Long> t = new LinkedHashMap<>();
        pids.forEach((s, pid) -> t.put(s, ProcStat.ticks(pid, false)));
        long pg = 0;
        for (String port : List.of(PORTS.get("LAB_PG_PORT"), PORTS.get("LAB_INVENTORY_PG_PORT"))) {
            Optional<ProcessHandle> postmaster = ProcessHandle.allProcesses().filter(h -> h.info().commandLine()
                    .map(c -> c.contains("bin/postgres") && c.contains("-p " + port)).orElse(false)).findFirst();
            if (postmaster.isPresent()) {
                pg += ProcStat.ticks(postmaster.get().pid(), true); // + the time of backends that exited
                pg += postmaster.get().children().mapToLong(c -> ProcStat.ticks(c.pid(), false)).sum();
            }
        }
        t.put("postgres", pg);
        t.put("redis", launcher.toHandle().children().filter(h -> h.info().command().map(c -> c.contains("redis-server"))
                .orElse(false)).mapToLong(h -> ProcStat.ticks(h.pid(), false)).sum());
        return t;
    }

    /**
     * PostgreSQL's own counters so far, per database: {transactions (committed or rolled back),
     * statements (pg_stat_statements calls, BEGIN and COMMIT included)}. Our own readings are left
     * out of the statements (they name pg_stat_*); their transactions are counted, one per reading
     * and database, which {@link StackBench} subtracts.
     */
    Map<String, long[]> pgCounters() {
        Map<String, long[]> x = new LinkedHashMap<>();
        for (String db : List.of("orders", "payments", "notifications", "inventory")) {
            x.put(db, new long[]{-1, -1});
        }
        for (String server : List.of("orders", "inventory")) { // one database per server reads the whole server
            try (Connection c = DriverManager.getConnection(jdbc(server))) {
                try (ResultSet rs = c.createStatement().executeQuery("""
                        SELECT d.datname, d.xact_commit + d.xact_rollback,
                               (SELECT coalesce(sum(s.calls), 0) FROM pg_stat_statements s
                                 WHERE s.dbid = d.datid AND s.query NOT LIKE '%pg_stat%')
                          FROM pg_stat_database d WHERE d.datname IN ('orders', 'payments', 'notifications', 'inventory')""")) {
                    while (rs.next()) {
                        x.put(rs.getString(1), new long[]{rs.getLong(2), rs.getLong(3)});
                    }
                }
            } catch (SQLException e) {
                System.err.println("bench: PostgreSQL counters unavailable on " + server + ": " + e.getMessage());
            }
        }
        return x;
    }

    /** Installs pg_stat_statements (preloaded through {@code LAB_PG_PRELOAD}) on both servers. */
    void countStatements() throws SQLException {
        for (String server : List.of("orders", "inventory")) {
            try (Connection c = DriverManager.getConnection(jdbc(server))) {
                c.createStatement().execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            }
        }
    }

    /**
     * {@code POST /admin/reset} on every service (breakers closed, bulkheads empty, counters zero),
     * once the stack has finished what earlier loads left it: see {@link #awaitIdle}.
     */
    void reset() throws Exception {
        String token = Files.readString(dir.resolve(".run/admin-token")).trim();
        HttpClient client = HttpClient.newHttpClient();
        awaitIdle(client, token);
        for (String s : SERVICES) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(adminUrl(s) + "/admin/reset"))
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(s + " answered " + r.statusCode() + " to /admin/reset: " + r.body());
            }
        }
    }

    /** The longest {@link #awaitIdle} waits: a backlog the client gave up on still drains in seconds. */
    static final Duration IDLE_WAIT = Duration.ofSeconds(90);

    /**
     * Waits until orders has no order in flight and payments nothing queued or in progress. A step
     * past the ceiling leaves a backlog that outlives its load; a configuration measured next would
     * start on a stack still serving it, and its breakers would open on the backlog's slow answers
     * (F's ceiling once read 0 orders/s, every order refused in under a millisecond, right after
     * A's overload step).
     */
    private void awaitIdle(HttpClient client, String token) throws Exception {
        long until = System.nanoTime() + IDLE_WAIT.toNanos();
        while (true) {
            JsonNode orders = counters(client, token, "orders");
            JsonNode payments = counters(client, token, "payments");
            long busy = orders.path("in_flight_orders").asLong(0) + payments.path("queue_length").asLong(0)
                    + payments.path("busy_slots").asLong(0);
            if (busy == 0) {
                return;
            }
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the benchmark's stack is still busy " + IDLE_WAIT.toSeconds()
                        + " s after a load ended: orders " + orders + ", payments " + payments);
            }
            Thread.sleep(200); // polling the stack's own counters
        }
    }

    private JsonNode counters(HttpClient client, String token, String service) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(adminUrl(service) + "/admin/counters"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(service + " answered " + r.statusCode() + " to /admin/counters: " + r.body());
        }
        return Json.MAPPER.readTree(r.body());
    }

    /**
     * Stops the launcher (SIGTERM: it stops the services, then Redis and PostgreSQL), keeps the
     * services' logs beside the results and drops the rest of {@code .run/} (pids, the admin token).
     */
    @Override
    public void close() throws Exception {
        launcher.destroy();
        if (!launcher.waitFor(60, TimeUnit.SECONDS)) {
            launcher.destroyForcibly();
        }
        Path run = dir.resolve(".run");
        if (Files.isDirectory(run.resolve("logs"))) {
            Files.move(run.resolve("logs"), dir.resolve("logs"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        try (var files = Files.walk(run)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 12), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public String toString() {
        return "stack in " + dir + " (gateway " + url("gateway") + ")";
    }
}
