package frl.testing;

import com.zaxxer.hikari.HikariDataSource;
import frl.infra.Databases;
import frl.infra.PostgresServer;
import frl.infra.RedisServerHandle;
import redis.clients.jedis.RedisClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real PostgreSQL and Redis for tests: no mocks. One PostgreSQL and one Redis per test JVM, started
 * lazily on free ports by the first test that asks, and stopped by a JVM shutdown hook.
 *
 * <p>Set {@code LAB_PG_URL} (a JDBC URL to a maintenance database as a user that may create
 * databases, e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&password=...})
 * or {@code LAB_REDIS_URL} ({@code redis://host:port}) to use servers you run instead.
 *
 * <p>Isolation, so tests never share rows or keys:
 * <ul>
 *   <li>{@link #freshDatabase(String...)} creates a new, uniquely named database with the given
 *       schemas applied, e.g. {@code freshDatabase("sql/orders.sql")}. Close the returned pool when
 *       done (or leave it to the shutdown hook); it keeps no idle connections, so forgotten pools
 *       cost the server little.</li>
 *   <li>Redis has no cheap "new database", so give keys a unique prefix ({@link #uniqueName}).
 *       {@link #flushRedis()} empties the current Redis database: never call it against a Redis
 *       that something else uses.</li>
 * </ul>
 *
 * <pre>{@code
 * DataSource orders = TestInfra.freshDatabase("sql/orders.sql");
 * RedisClient redis = TestInfra.redis();                  // shared: do not close it
 * String ns = TestInfra.uniqueName("idem");              // prefix for this test's keys
 * }</pre>
 *
 * <p>Start-up costs PostgreSQL about 1-3 s (once per JVM; the binaries are unpacked to /tmp on the
 * first run) and Redis about 0.1 s; each fresh database about 0.1 s. Times go to stderr.
 *
 * <p>Thread-safe: the servers are created under the class lock; pools and names use atomics and
 * a synchronized list.
 */
public final class TestInfra {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final String RUN = Long.toString(ProcessHandle.current().pid(), 36);
    private static final List<AutoCloseable> TO_CLOSE = new ArrayList<>(); // guarded by TestInfra.class

    private static PostgresServer postgres;   // guarded by TestInfra.class
    private static RedisServerHandle redisServer; // guarded by TestInfra.class
    private static RedisClient redis;         // guarded by TestInfra.class
    private static boolean hookInstalled;     // guarded by TestInfra.class

    private TestInfra() {
    }

    /** The shared PostgreSQL server (started on first use). */
    public static synchronized PostgresServer postgres() {
        if (postgres == null) {
            installShutdownHook();
            String url = System.getenv("LAB_PG_URL");
            long start = System.nanoTime();
            try {
                postgres = url == null || url.isBlank() ? PostgresServer.start(0) : PostgresServer.external(url);
            } catch (IOException e) {
                throw new UncheckedIOException("TestInfra could not start PostgreSQL", e);
            }
            log(postgres + " ready in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        }
        return postgres;
    }

    /**
     * A new database of its own, with {@code schemaResources} (e.g. {@code "sql/orders.sql"})
     * applied in order, behind a pool of at most 8 connections that keeps none idle.
     */
    public static HikariDataSource freshDatabase(String... schemaResources) {
        PostgresServer server = postgres();
        String name = uniqueName("test").toLowerCase();
        try {
            server.createDatabase(name);
            HikariDataSource pool = Databases.pool(server.jdbcUrl(name), 8, 0, name);
            for (String schema : schemaResources) {
                Databases.applySchema(pool, schema);
            }
            synchronized (TestInfra.class) {
                TO_CLOSE.add(pool);
            }
            return pool;
        } catch (SQLException e) {
            throw new IllegalStateException("TestInfra could not create database " + name, e);
        }
    }

    /** The shared Redis server (started on first use). */
    public static synchronized RedisServerHandle redisServer() {
        if (redisServer == null) {
            installShutdownHook();
            String url = System.getenv("LAB_REDIS_URL");
            long start = System.nanoTime();
            try {
                redisServer = url == null || url.isBlank() ? RedisServerHandle.start(0) : RedisServerHandle.external(url);
            } catch (IOException e) {
                throw new UncheckedIOException("TestInfra could not start Redis", e);
            }
            log(redisServer + " ready in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        }
        return redisServer;
    }

    public static String redisUrl() {
        return redisServer().url();
    }

    /** A client shared by every test in this JVM; it is thread-safe. Do not close it. */
    public static synchronized RedisClient redis() {
        if (redis == null) {
            redis = RedisClient.create(redisUrl());
        }
        return redis;
    }

    /** Empties the current Redis database. Prefer unique key prefixes; see the class comment. */
    public static void flushRedis() {
        redis().flushDB();
    }

    /** {@code prefix_<pid>_<n>}: unique within this JVM and across JVMs sharing a server. */
    public static String uniqueName(String prefix) {
        return prefix + "_" + RUN + "_" + SEQUENCE.incrementAndGet();
    }

    private static void installShutdownHook() {
        if (!hookInstalled) {
            hookInstalled = true;
            Runtime.getRuntime().addShutdownHook(new Thread(TestInfra::stopAll, "test-infra-stop"));
        }
    }

    private static synchronized void stopAll() {
        List<AutoCloseable> all = new ArrayList<>(TO_CLOSE);
        all.add(redis);
        all.add(redisServer);
        all.add(postgres);
        for (AutoCloseable c : all) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    log("could not close " + c + ": " + e);
                }
            }
        }
    }

    private static void log(String message) {
        System.err.println("[TestInfra] " + message);
    }
}
