package frl.infra;

import frl.testing.TestInfra;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PostgresServer, RedisServerHandle and Databases against a real PostgreSQL (via TestInfra). */
class InfraTest {
    private static final String[] SCHEMAS = {"sql/orders.sql", "sql/payments.sql", "sql/inventory.sql", "sql/notifications.sql"};

    @Test
    void splitStatementsDropsCommentsAndRespectsLiterals() {
        String script = """
                -- header; with a semicolon
                CREATE TABLE t (a text); -- trailing comment
                INSERT INTO t VALUES ('x;y -- not a comment', 'it''s');
                SELECT 1""";
        assertEquals(List.of(
                        "CREATE TABLE t (a text)",
                        "INSERT INTO t VALUES ('x;y -- not a comment', 'it''s')",
                        "SELECT 1"),
                Databases.splitStatements(script));
        assertThrows(IllegalArgumentException.class, () -> Databases.splitStatements("SELECT 'open"));
    }

    @Test
    void everySchemaAppliesTwiceWithoutError() throws SQLException {
        // Given a database with all four schemas applied
        DataSource db = TestInfra.freshDatabase(SCHEMAS);
        // When they are applied again (a service restarting against existing data)
        for (String schema : SCHEMAS) {
            Databases.applySchema(db, schema);
        }
        // Then nothing failed and the tables are there once
        assertEquals(1, count(db, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'outbox'"));
        assertEquals(1, count(db, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'products'"));
    }

    @Test
    void missingSchemaResourceIsNamed() {
        DataSource db = TestInfra.freshDatabase();
        var e = assertThrows(IllegalArgumentException.class, () -> Databases.applySchema(db, "sql/nope.sql"));
        assertTrue(e.getMessage().contains("sql/nope.sql"), e.getMessage());
    }

    @Test
    void seedCatalogueIsIdempotentAndLeavesExistingStockAlone() throws SQLException {
        DataSource db = TestInfra.freshDatabase("sql/inventory.sql");
        assertEquals(25, Databases.seedCatalogue(db, 25, 100));        // expect: 25 new products
        execute(db, "UPDATE products SET stock = 7 WHERE id = 'prod-001'");
        assertEquals(0, Databases.seedCatalogue(db, 25, 100));         // expect: nothing new
        assertEquals(5, Databases.seedCatalogue(db, 30, 100));         // expect: prod-026..prod-030
        assertEquals(30, count(db, "SELECT count(*) FROM products"));
        assertEquals(7, count(db, "SELECT stock FROM products WHERE id = 'prod-001'")); // not reset
        assertEquals(100, count(db, "SELECT initial_stock FROM products WHERE id = 'prod-030'"));
        assertEquals(1, count(db, "SELECT count(*) FROM products WHERE id = 'prod-030' AND name = 'Product 030'"));
        assertThrows(IllegalArgumentException.class, () -> Databases.seedCatalogue(db, 0, 100));
        assertThrows(IllegalArgumentException.class, () -> Databases.seedCatalogue(db, 1000, 100));
    }

    @Test
    void restoreStockDeletesReservationsAndRefillsStock() throws SQLException {
        // Given a catalogue with two reservations taken out of it
        DataSource db = TestInfra.freshDatabase("sql/inventory.sql");
        Databases.seedCatalogue(db, 20, 50);
        execute(db, """
                INSERT INTO reservations (order_id, product_id, quantity, config, status) VALUES
                  ('00000000-0000-0000-0000-000000000001', 'prod-001', 3, 'F', 'RESERVED'),
                  ('00000000-0000-0000-0000-000000000002', 'prod-002', 4, 'A', 'RESERVED')""");
        execute(db, "UPDATE products SET stock = stock - 3 WHERE id = 'prod-001'");
        execute(db, "UPDATE products SET stock = stock - 4 WHERE id = 'prod-002'");
        // When the stock is restored
        Databases.restoreStock(db);
        // Then every product is back at its initial stock and no reservation remains
        assertEquals(0, count(db, "SELECT count(*) FROM reservations"));
        assertEquals(0, count(db, "SELECT count(*) FROM products WHERE stock <> initial_stock"));
        assertEquals(20 * 50, count(db, "SELECT sum(stock) FROM products"));
    }

    @Test
    void createDatabaseReportsWhetherItCreated() throws SQLException {
        PostgresServer pg = TestInfra.postgres();
        String name = TestInfra.uniqueName("created");
        assertTrue(pg.createDatabase(name));
        assertFalse(pg.createDatabase(name));
        assertThrows(IllegalArgumentException.class, () -> pg.createDatabase("Robert'); DROP TABLE x;--"));
    }

    @Test
    void externalUrlKeepsHostUserAndOptionsWhenSwappingTheDatabase() {
        PostgresServer pg = PostgresServer.external("jdbc:postgresql://db.example:6543/postgres?user=lab&password=s3cret");
        assertEquals(6543, pg.port());
        assertEquals("jdbc:postgresql://db.example:6543/orders?user=lab&password=s3cret", pg.jdbcUrl("orders"));
        assertEquals(5432, PostgresServer.external("jdbc:postgresql://localhost/postgres").port());
        assertEquals("jdbc:postgresql://localhost/payments", PostgresServer.external("jdbc:postgresql://localhost").jdbcUrl("payments"));
        pg.close(); // an external server is left running: nothing to do, nothing thrown
        assertThrows(IllegalArgumentException.class, () -> PostgresServer.external("postgres://localhost/x"));
    }

    @Test
    void redisUrlIsParsed() {
        assertEquals(6390, RedisServerHandle.external("redis://10.0.0.5:6390").port());
        assertEquals(6379, RedisServerHandle.external("redis://cache").port());
        assertThrows(IllegalArgumentException.class, () -> RedisServerHandle.external("http://cache:6379"));
    }

    @Test
    void aPortInUseIsNamedInTheError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            var pg = assertThrows(PortInUseException.class, () -> PostgresServer.start(port));
            assertTrue(pg.getMessage().contains("port " + port), pg.getMessage());
            assertEquals(port, pg.port());
            var redis = assertThrows(PortInUseException.class, () -> RedisServerHandle.start(port));
            assertTrue(redis.getMessage().contains("port " + port), redis.getMessage());
        }
    }

    /**
     * The one check {@code make run-stack} and the embedded servers share: a listener on any local
     * address takes the port (run-stack used to probe 127.0.0.1 only, and called a port held on
     * ::1 free).
     */
    @ParameterizedTest(name = "held on {0}")
    @ValueSource(strings = {"127.0.0.1", "0.0.0.0", "::1", "::"})
    void aPortHeldOnAnyLocalAddressIsNotFree(String address) throws Exception {
        ServerSocket held;
        try {
            held = new ServerSocket(0, 50, InetAddress.getByName(address));
        } catch (java.io.IOException noSuchAddress) { // a host without IPv6
            Assumptions.abort(address + " cannot be bound here: " + noSuchAddress.getMessage());
            return;
        }
        try (held) {
            assertFalse(Ports.isFree(held.getLocalPort()), "port " + held.getLocalPort() + " held on " + address);
        }
    }

    @Test
    void aKeptDataDirectorySurvivesARestart(@TempDir Path dir) throws Exception {
        // Given a server with a kept data directory and a row written to it
        Path data = dir.resolve("pg-data");
        try (PostgresServer first = PostgresServer.start(0, data)) {
            first.createDatabase("kept");
            try (var pool = Databases.pool(first.jdbcUrl("kept"), 1, "kept-1")) {
                execute(pool, "CREATE TABLE note (text text)");
                execute(pool, "INSERT INTO note VALUES ('still here')");
            }
        }
        // When a second server starts on the same directory
        try (PostgresServer second = PostgresServer.start(0, data)) {
            // Then the database and its row are still there (no second initdb)
            assertFalse(second.createDatabase("kept"));
            try (var pool = Databases.pool(second.jdbcUrl("kept"), 1, "kept-2")) {
                assertEquals(1, count(pool, "SELECT count(*) FROM note WHERE text = 'still here'"));
            }
        }
    }

    private static void execute(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static long count(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
