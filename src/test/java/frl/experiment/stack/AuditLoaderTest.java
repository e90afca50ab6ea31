package frl.experiment.stack;

import frl.experiment.metrics.Audit;
import frl.experiment.metrics.AuditResult;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The JDBC loader against a real PostgreSQL (embedded, from the Maven artifact) with the lab's
 * four schemas applied to one database: it must read exactly the run's rows (its config, created
 * since the reset mark) and nothing older or of another config.
 */
class AuditLoaderTest {
    private static EmbeddedPostgres pg;
    private static String url;

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
        url = pg.getJdbcUrl("postgres", "postgres");
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            for (String schema : new String[]{"orders", "payments", "inventory", "notifications"}) {
                st.execute(resource("sql/" + schema + ".sql"));
            }
        }
    }

    @AfterAll
    static void stop() throws IOException {
        if (pg != null) {
            pg.close();
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = AuditLoaderTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void sql(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    @Test
    void loadsOnlyThisRunsRowsAndTheAuditReadsThem() throws Exception {
        // Given rows from an earlier run (before the mark) and from another config
        String old = UUID.randomUUID().toString();
        sql("INSERT INTO products (id, name, stock, initial_stock) VALUES ('prod-001', 'Widget', 96, 100) ON CONFLICT DO NOTHING",
                "INSERT INTO orders (id, customer_id, config, idempotency_key, status, total_cents, items) VALUES ('" + old
                        + "', 'c', 'B', 'old-key', 'CONFIRMED', 5998, '[]')",
                "INSERT INTO charges (order_id, config, amount_cents) VALUES ('" + old + "', 'B', 5998)");
        AuditLoader loader = new AuditLoader(new StackInfo.Databases(url, url, url, url));
        AuditLoader.Marks marks = loader.markAll();
        String other = UUID.randomUUID().toString();
        sql("INSERT INTO orders (id, customer_id, config, idempotency_key, status, total_cents, items) VALUES ('" + other
                + "', 'c', 'C', 'other-key', 'FAILED', 5998, '[]')");

        // and this run (config B): two orders from one key, both charged; one notification twice;
        // 4 units reserved against stock 96 of 100; one outbox row still unsent
        String o1 = UUID.randomUUID().toString(), o2 = UUID.randomUUID().toString();
        sql("INSERT INTO orders (id, customer_id, config, idempotency_key, status, total_cents, items) VALUES ('" + o1
                        + "', 'c', 'B', 'k1', 'CONFIRMED', 5998, '[]'), ('" + o2 + "', 'c', 'B', 'k1', 'CONFIRMED', 5998, '[]')",
                "INSERT INTO charges (order_id, config, amount_cents) VALUES ('" + o1 + "', 'B', 5998), ('" + o2 + "', 'B', 5998)",
                "INSERT INTO reservations (order_id, product_id, quantity, config, status) VALUES ('" + o1
                        + "', 'prod-001', 2, 'B', 'RESERVED'), ('" + o2 + "', 'prod-001', 2, 'B', 'RESERVED')",
                "INSERT INTO deliveries (event_id, order_id, kind, config) VALUES (NULL, '" + o1 + "', 'ORDER_CONFIRMED', 'B'), "
                        + "(NULL, '" + o1 + "', 'ORDER_CONFIRMED', 'B'), ('" + UUID.randomUUID() + "', '" + o2 + "', 'ORDER_CONFIRMED', 'B')",
                "INSERT INTO outbox (aggregate_id, event_id, event_type, payload) VALUES ('" + o1 + "', '" + UUID.randomUUID()
                        + "', 'ORDER_CONFIRMED', '{}')");

        // When
        AuditRows rows = loader.load(marks, "B");
        AuditResult r = Audit.reconcile(rows, Set.of(o1, o2));

        // Then
        assertEquals(2, rows.orders().size(), "neither the earlier run's order nor config C's");
        assertEquals(2, rows.charges().size());
        assertEquals(2, rows.reservations().size());
        assertEquals(3, rows.deliveries().size());
        assertEquals(1, rows.outboxUnsent());
        assertEquals(1, r.duplicateChargesPerKey(), "two orders, one key, two charges");
        assertEquals(0, r.duplicateChargesPerOrder(), "one charge per order");
        assertEquals(0, r.stockDriftUnits(), "96 + 4 = 100");
        assertEquals(1, r.notificationsDuplicated());
        assertEquals(0, r.notificationsMissing());
        assertEquals(0, r.ackedNotConfirmed());
    }
}
