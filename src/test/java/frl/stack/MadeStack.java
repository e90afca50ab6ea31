package frl.stack;

import com.fasterxml.jackson.databind.JsonNode;
import frl.http.Json;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The stack as a reader starts it, through {@code make run-stack} and {@code make stop-stack} in
 * this checkout, but with its own run directory and free ports, so it never meets the stack a
 * developer runs on the fixed ports, or another checkout's. It starts from the classes this test
 * JVM runs ({@code BUILD=0} and a classpath file written from {@code java.class.path}), because a
 * Maven build inside the test phase would rewrite the classes under the running tests.
 *
 * <p>The processes it starts outlive the {@code make} that started them, like a reader's do; the
 * tests stop them with {@code make stop-stack} and check with {@link #survivors()} that nothing
 * is left. Not thread-safe: one test drives it.
 */
public final class MadeStack {
    /** Every port the stack binds, by the variable that moves it. */
    public static final List<String> PORT_VARIABLES = List.of("LAB_GATEWAY_PORT", "LAB_ORDERS_PORT", "LAB_PAYMENTS_PORT",
            "LAB_INVENTORY_PORT", "LAB_NOTIFICATIONS_PORT", "LAB_GATEWAY_ADMIN_PORT", "LAB_ORDERS_ADMIN_PORT",
            "LAB_PAYMENTS_ADMIN_PORT", "LAB_INVENTORY_ADMIN_PORT", "LAB_NOTIFICATIONS_ADMIN_PORT", "LAB_PG_PORT",
            "LAB_INVENTORY_PG_PORT", "LAB_REDIS_PORT");
    /** The port each variable defaults to: the services' data ports, their management ports (+100), the databases'. */
    public static final Map<String, Integer> DEFAULT_PORTS = Map.ofEntries(Map.entry("LAB_GATEWAY_PORT", 8000),
            Map.entry("LAB_ORDERS_PORT", 8001), Map.entry("LAB_PAYMENTS_PORT", 8002), Map.entry("LAB_INVENTORY_PORT", 8003),
            Map.entry("LAB_NOTIFICATIONS_PORT", 8004), Map.entry("LAB_GATEWAY_ADMIN_PORT", 8100),
            Map.entry("LAB_ORDERS_ADMIN_PORT", 8101), Map.entry("LAB_PAYMENTS_ADMIN_PORT", 8102),
            Map.entry("LAB_INVENTORY_ADMIN_PORT", 8103), Map.entry("LAB_NOTIFICATIONS_ADMIN_PORT", 8104),
            Map.entry("LAB_PG_PORT", 5432), Map.entry("LAB_INVENTORY_PG_PORT", 5433), Map.entry("LAB_REDIS_PORT", 6379));

    public final Path repo = Path.of("").toAbsolutePath();
    public final Path run;
    public final Map<String, Integer> ports = new LinkedHashMap<>();
    /** More variables for every {@code make} (e.g. {@code LAB_PAYMENTS_PROXY=1}). */
    public final Map<String, String> extraEnvironment = new LinkedHashMap<>();
    private final Path classpathFile;

    /** What one {@code make} printed and how it ended. */
    public record Result(int exit, String output) {
    }

    public MadeStack(Path scratch) throws IOException {
        this.run = scratch.resolve(".run").toAbsolutePath();
        this.classpathFile = scratch.resolve("classpath.txt");
        Files.writeString(classpathFile, Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.endsWith("test-classes")).collect(Collectors.joining(File.pathSeparator)));
        // Every port picked while the others are still held, so no two variables get the same one
        // (the kernel may hand out a port again as soon as its probe socket closes)
        List<ServerSocket> held = new java.util.ArrayList<>();
        try {
            for (String var : PORT_VARIABLES) {
                ServerSocket s = new ServerSocket(0);
                held.add(s);
                ports.put(var, s.getLocalPort());
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }

    /** Runs {@code make <target>} in this checkout against this stack's run directory and ports. */
    public Result make(String target) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("make", "--no-print-directory", target, "BUILD=0", "WARM=0",
                "CLASSPATH_FILE=" + classpathFile, "LAB_RUN_DIR=" + run);
        pb.directory(repo.toFile()).redirectErrorStream(true);
        environment(pb.environment());
        Path out = Files.createTempFile(run.getParent(), "make-" + target, ".log");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("make " + target + " did not finish in 180 s:\n" + Files.readString(out));
        }
        return new Result(p.exitValue(), Files.readString(out));
    }

    /** The environment a command run against this stack needs: its ports, run directory and JDK. */
    public void environment(Map<String, String> env) {
        ports.forEach((k, v) -> env.put(k, Integer.toString(v)));
        env.put("LAB_RUN_DIR", run.toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.remove("LAB_PG_URL");
        env.remove("LAB_INVENTORY_PG_URL");
        env.remove("LAB_REDIS_URL");
        env.remove("LAB_ADMIN_TOKEN");
        env.putAll(extraEnvironment);
    }

    public JsonNode stackJson() throws IOException {
        return Json.MAPPER.readTree(run.resolve("stack.json").toFile());
    }

    /**
     * Every pid the stack's own files name while it runs: the launcher, the five services, the
     * Redis server and each PostgreSQL postmaster (the first line of its {@code postmaster.pid}).
     */
    public Map<Long, String> recordedPids() throws IOException {
        Map<Long, String> pids = new LinkedHashMap<>();
        JsonNode json = stackJson();
        pids.put(json.path("launcher_pid").asLong(), "launcher");
        json.path("pids").properties().forEach(e -> pids.put(e.getValue().asLong(), e.getKey()));
        pids.put(Long.parseLong(Files.readString(run.resolve("pids/redis.pid")).split(" ")[0]), "redis");
        for (String pg : List.of("orders", "inventory")) {
            pids.put(Long.parseLong(Files.readAllLines(run.resolve("pg").resolve(pg).resolve("postmaster.pid")).get(0).trim()),
                    "postgres " + pg);
        }
        return pids;
    }

    /**
     * What is still alive of this stack, read from /proc (independent of how make stop-stack looks):
     * each pid in {@code recorded} that still runs this stack's program (a command line naming its
     * run directory, as its JVMs' {@code -Dlab.run=} and PostgreSQL's {@code -D} do, or for Redis
     * "redis-server ... 127.0.0.1:<its port>"), any other process whose command line names the run
     * directory, and any listener left on its ports. A pid reused by someone else's program is not
     * counted: it does not match.
     */
    public List<String> survivors(Map<Long, String> recorded) throws IOException {
        String redis = "127.0.0.1:" + ports.get("LAB_REDIS_PORT");
        List<String> left = new ArrayList<>();
        for (var e : recorded.entrySet()) {
            Path p = Path.of("/proc", Long.toString(e.getKey()));
            String cmd = commandLine(p);
            boolean ours = cmd.contains(run.toString()) || cmd.contains("redis-server") && cmd.endsWith(redis);
            if (ours && !isZombie(p)) {
                left.add(e.getKey() + " (" + e.getValue() + ") " + cmd);
            }
        }
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(d -> d.getFileName().toString().matches("\\d+")).toList()) {
                String cmd = commandLine(p);
                boolean ours = cmd.contains(run.toString()) || cmd.contains("redis-server") && cmd.endsWith(redis);
                if (ours && !isZombie(p) && !recorded.containsKey(Long.parseLong(p.getFileName().toString()))) {
                    left.add(p.getFileName() + " " + cmd);
                }
            }
        }
        for (var e : ports.entrySet()) {
            if (!isFree(e.getValue())) {
                left.add("port " + e.getValue() + " (" + e.getKey() + ") is still taken");
            }
        }
        return left;
    }

    private static String commandLine(Path proc) {
        try {
            return new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').trim();
        } catch (IOException e) {
            return ""; // gone while we looked
        }
    }

    private static boolean isZombie(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true; // gone
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return s.isBound();
        } catch (IOException e) {
            return false;
        }
    }
}
