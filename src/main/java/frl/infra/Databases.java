package frl.infra;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Connection pools, schemas and the inventory catalogue: the database chores every service, the
 * stack launcher and the tests share. Stateless, so thread-safe.
 */
public final class Databases {
    /** Fail a request that waits this long for a pooled connection instead of hanging it. */
    public static final long CONNECTION_TIMEOUT_MS = 5_000;
    /** Product ids are {@code prod-001 .. prod-999}: three digits keep them sortable as text. */
    public static final int MAX_PRODUCTS = 999;

    private Databases() {
    }

    /**
     * A HikariCP pool of exactly {@code maxSize} connections (HikariCP's advice: a fixed-size pool,
     * so a burst never pays for opening connections). Close it to release them.
     */
    public static HikariDataSource pool(String jdbcUrl, int maxSize, String poolName) {
        return pool(jdbcUrl, maxSize, maxSize, poolName);
    }

    /**
     * A pool that keeps only {@code minIdle} idle connections: for tests, which open many small
     * databases on one server and must not exhaust its {@code max_connections}.
     */
    public static HikariDataSource pool(String jdbcUrl, int maxSize, int minIdle, String poolName) {
        if (maxSize < 1 || minIdle < 0 || minIdle > maxSize) {
            throw new IllegalArgumentException(
                    "need 1 <= maxSize and 0 <= minIdle <= maxSize, was maxSize=" + maxSize + " minIdle=" + minIdle);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName(poolName);
        config.setMaximumPoolSize(maxSize);
        config.setMinimumIdle(minIdle);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        if (minIdle < maxSize) {
            config.setIdleTimeout(10_000); // HikariCP's minimum: give surplus connections back soon
        }
        return new HikariDataSource(config);
    }

    /**
     * Runs the statements of a classpath resource such as {@code sql/orders.sql}, in one
     * transaction: PostgreSQL's DDL is transactional, so a failing statement leaves nothing
     * half-applied. Our schema files use only {@code IF NOT EXISTS} statements, so applying one to
     * an existing database changes nothing.
     */
    public static void applySchema(DataSource db, String classpathResource) throws SQLException {
        List<String> statements = splitStatements(readResource(classpathResource));
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                for (String sql : statements) {
                    st.execute(sql);
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Inserts products {@code prod-001 .. prod-NNN} with {@code stockEach} units each (stock =
     * initial_stock). Idempotent: existing products are left as they are (ON CONFLICT DO NOTHING),
     * so a restart never resets stock behind the audit's back. Returns how many rows were new.
     */
    public static int seedCatalogue(DataSource inventory, int products, int stockEach) throws SQLException {
        if (products < 1 || products > MAX_PRODUCTS) {
            throw new IllegalArgumentException("products must be 1.." + MAX_PRODUCTS + ", was " + products);
        }
        if (stockEach < 0) {
            throw new IllegalArgumentException("stockEach must be >= 0, was " + stockEach);
        }
        String sql = """
                INSERT INTO products (id, name, stock, initial_stock)
                SELECT 'prod-' || lpad(i::text, 3, '0'), 'Product ' || lpad(i::text, 3, '0'), ?, ?
                  FROM generate_series(1, ?) AS i
                ON CONFLICT (id) DO NOTHING""";
        try (Connection c = inventory.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, stockEach);
            ps.setInt(2, stockEach);
            ps.setInt(3, products);
            return ps.executeUpdate();
        }
    }

    /**
     * Resets the inventory between experiment runs: deletes every reservation and sets each
     * product's stock back to its initial stock, in one transaction, so the audit's invariant
     * (stock + reserved = initial_stock) holds before and after.
     */
    public static void restoreStock(DataSource inventory) throws SQLException {
        try (Connection c = inventory.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.executeUpdate("DELETE FROM reservations");
                st.executeUpdate("UPDATE products SET stock = initial_stock WHERE stock <> initial_stock");
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Splits a script into statements at semicolons, dropping {@code --} comments. A semicolon or
     * {@code --} inside a single-quoted literal is text, not syntax; that is the only quoting our
     * files use (no dollar quoting, no block comments, no functions), and it keeps this a loop
     * instead of a parser. A file that needs more should be split by hand.
     */
    static List<String> splitStatements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inLiteral = false;
        for (int i = 0; i < script.length(); i++) {
            char ch = script.charAt(i);
            if (inLiteral) {
                current.append(ch);
                inLiteral = ch != '\''; // a doubled '' closes and reopens: still correct
            } else if (ch == '\'') {
                current.append(ch);
                inLiteral = true;
            } else if (ch == '-' && i + 1 < script.length() && script.charAt(i + 1) == '-') {
                int eol = script.indexOf('\n', i);
                i = eol < 0 ? script.length() : eol - 1; // keep the newline as whitespace
            } else if (ch == ';') {
                addIfNotBlank(statements, current);
            } else {
                current.append(ch);
            }
        }
        if (inLiteral) {
            throw new IllegalArgumentException("unterminated string literal in SQL script");
        }
        addIfNotBlank(statements, current);
        return statements;
    }

    private static void addIfNotBlank(List<String> statements, StringBuilder current) {
        String sql = current.toString().strip();
        if (!sql.isEmpty()) {
            statements.add(sql);
        }
        current.setLength(0);
    }

    private static String readResource(String classpathResource) {
        String name = classpathResource.startsWith("/") ? classpathResource.substring(1) : classpathResource;
        try (InputStream in = Databases.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no classpath resource " + classpathResource
                        + " (schemas live in src/main/resources/sql, e.g. sql/orders.sql)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + classpathResource, e);
        }
    }
}
