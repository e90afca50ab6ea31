package frl.soak;

import com.fasterxml.jackson.databind.JsonNode;
import frl.experiment.stack.StackInfo;
import frl.experiment.stack.StackJson;
import redis.clients.jedis.RedisClient;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes one reading of every {@link SoakMetric}: per service its heap ({@code GET /admin/jvm} on the
 * management listener; with {@code liveHeap}, {@code ?gc=full} and the live heap after it), threads and open file descriptors ({@link ProcStats}); per database
 * its PostgreSQL sessions; Redis' key counts.
 *
 * <p>The stack description is read again at every sample: the launcher restarts a service that
 * died and rewrites the pids in {@code stack.json}, and a soak should follow the new process
 * rather than read a dead one. A reading that fails is NaN (and the failure is returned, to be
 * printed), never 0: a missing sample must not look like a flat line.
 *
 * <p>The sampler holds one connection per database and one Redis client for the whole soak, and
 * leaves its own session out of the count ({@code pid <> pg_backend_pid()}), so watching does not
 * move what is watched. Not thread-safe: one sampling thread.
 */
public final class Sampler implements AutoCloseable {
    static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(3);
    /** A full collection of a 1 GiB heap on a busy machine: a second or two, bounded well above. */
    static final Duration FULL_GC_TIMEOUT = Duration.ofSeconds(15);
    private static final String SESSIONS =
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()";

    /** One number: a metric of one series (a service, a database, or "redis"). */
    public record Reading(SoakMetric metric, String series, double value) {
    }

    /** The readings of one moment, {@code t} seconds into the soak, and what failed to read. */
    public record Sample(double t, boolean faultOn, List<Reading> readings, List<String> failures) {
    }

    private final Path stackFile;
    private final HttpClient http;
    private final String token;
    private final Map<String, String> databases;
    private final Map<String, Connection> sessions = new LinkedHashMap<>();
    private final RedisClient redis;

    public Sampler(Path stackFile, StackInfo stack, HttpClient http) throws IOException {
        this.stackFile = stackFile;
        this.http = http;
        this.token = stack.adminToken();
        if (!stack.hasDatabases() || stack.redis() == null) {
            throw new IOException(stackFile + " names no databases or no Redis; a soak needs both");
        }
        this.databases = Map.of("orders", stack.databases().orders(), "payments", stack.databases().payments(),
                "inventory", stack.databases().inventory(), "notifications", stack.databases().notifications());
        this.redis = RedisClient.create(stack.redis());
    }

    /**
     * One reading of everything; with {@code liveHeap} each service first runs a full collection and
     * reports its live heap ({@link SoakMetric#LIVE_HEAP}); samples without it have no such reading.
     */
    public Sample sample(double t, boolean faultOn, boolean liveHeap) throws InterruptedException {
        List<Reading> out = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        StackInfo stack;
        try {
            stack = StackInfo.read(stackFile);
        } catch (IOException e) {
            failures.add("stack.json: " + e.getMessage());
            return new Sample(t, faultOn, out, failures);
        }
        for (String s : StackInfo.SERVICES) {
            Long pid = stack.pids().get(s);
            out.add(new Reading(SoakMetric.THREADS, s, pid == null ? Double.NaN : ProcStats.threads(pid)));
            out.add(new Reading(SoakMetric.OPEN_FDS, s, pid == null ? Double.NaN : ProcStats.openFds(pid)));
            double heap = Double.NaN, live = Double.NaN;
            try {
                JsonNode jvm = jvm(stack, s, liveHeap);
                heap = jvm.path("heap_after_gc_bytes").asDouble(Double.NaN) / (1024 * 1024);
                live = liveHeap ? jvm.path("live_heap_bytes").asDouble(Double.NaN) / (1024 * 1024) : Double.NaN;
            } catch (IOException e) {
                failures.add(s + " /admin/jvm: " + e.getMessage());
            }
            out.add(new Reading(SoakMetric.HEAP_AFTER_GC, s, heap));
            if (liveHeap) {
                out.add(new Reading(SoakMetric.LIVE_HEAP, s, live));
            }
        }
        for (String db : StackInfo.SERVICES) {
            if (databases.containsKey(db)) {
                out.add(new Reading(SoakMetric.PG_CONNECTIONS, db, sessions(db, failures)));
            }
        }
        double keys = Double.NaN, withoutTtl = Double.NaN;
        try {
            keys = redis.dbSize();
            withoutTtl = keys - expiring(redis.info("keyspace"));
        } catch (RuntimeException e) {
            failures.add("redis: " + e.getMessage());
        }
        out.add(new Reading(SoakMetric.REDIS_KEYS, "redis", keys));
        out.add(new Reading(SoakMetric.REDIS_KEYS_WITHOUT_TTL, "redis", withoutTtl));
        return new Sample(t, faultOn, List.copyOf(out), List.copyOf(failures));
    }

    /**
     * Keys with a TTL over every database, from {@code INFO keyspace} lines like
     * {@code db0:keys=12,expires=10,avg_ttl=86399000}.
     */
    static long expiring(String keyspaceInfo) {
        long n = 0;
        for (String line : keyspaceInfo.split("\r?\n")) {
            if (line.startsWith("db")) {
                for (String field : line.substring(line.indexOf(':') + 1).split(",")) {
                    if (field.startsWith("expires=")) {
                        n += Long.parseLong(field.substring("expires=".length()).trim());
                    }
                }
            }
        }
        return n;
    }

    private JsonNode jvm(StackInfo stack, String service, boolean fullGc) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.adminUrl(service) + "/admin/jvm"
                        + (fullGc ? "?gc=full" : "")))
                .timeout(fullGc ? FULL_GC_TIMEOUT : ADMIN_TIMEOUT).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("answered " + r.statusCode() + ": " + r.body());
        }
        return StackJson.MAPPER.readTree(r.body());
    }

    /** Sessions on {@code db} besides the sampler's; a broken connection is replaced at the next sample. */
    private double sessions(String db, List<String> failures) {
        try {
            Connection c = sessions.get(db);
            if (c == null || c.isClosed()) {
                c = DriverManager.getConnection(databases.get(db));
                sessions.put(db, c);
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(SESSIONS)) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            failures.add("postgres " + db + ": " + e.getMessage());
            Connection broken = sessions.remove(db);
            try {
                if (broken != null) {
                    broken.close();
                }
            } catch (SQLException ignored) {
                // it was broken already
            }
            return Double.NaN;
        }
    }

    @Override
    public void close() {
        for (Connection c : sessions.values()) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing what we opened; nothing to do if it fails
            }
        }
        redis.close();
    }
}
