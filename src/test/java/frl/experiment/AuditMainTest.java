package frl.experiment;

import com.zaxxer.hikari.HikariDataSource;
import frl.experiment.report.Table;
import frl.experiment.stack.AuditLoader;
import frl.experiment.stack.StackInfo;
import frl.testing.TestInfra;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code make audit}'s table on a real PostgreSQL holding the four schemas and fixture rows. */
class AuditMainTest {
    @Test
    void oneRowPerConfigAndAnAllRowWhereStockDriftLives() throws Exception {
        try (HikariDataSource db = TestInfra.freshDatabase("sql/orders.sql", "sql/payments.sql", "sql/inventory.sql",
                "sql/notifications.sql")) {
            // Given B: one key re-sent into two charged orders; F: one clean order; 2+2+1 units
            // reserved against stock 95 of 100
            String b1 = UUID.randomUUID().toString(), b2 = UUID.randomUUID().toString(), f1 = UUID.randomUUID().toString();
            try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO products (id, name, stock, initial_stock) VALUES ('prod-001', 'Widget', 95, 100)");
                st.execute("INSERT INTO orders (id, customer_id, config, idempotency_key, status, total_cents, items) VALUES "
                        + "('" + b1 + "', 'c', 'B', 'k', 'CONFIRMED', 5998, '[]'), ('" + b2 + "', 'c', 'B', 'k', 'CONFIRMED', 5998, '[]'),"
                        + "('" + f1 + "', 'c', 'F', 'kf', 'CONFIRMED', 2999, '[]')");
                st.execute("INSERT INTO charges (order_id, config, amount_cents) VALUES ('" + b1 + "', 'B', 5998), ('" + b2
                        + "', 'B', 5998), ('" + f1 + "', 'F', 2999)");
                st.execute("INSERT INTO reservations (order_id, product_id, quantity, config, status) VALUES ('" + b1
                        + "', 'prod-001', 2, 'B', 'RESERVED'), ('" + b2 + "', 'prod-001', 2, 'B', 'RESERVED'), ('" + f1
                        + "', 'prod-001', 1, 'F', 'RESERVED')");
            }
            String url = db.getJdbcUrl();
            AuditLoader loader = new AuditLoader(new StackInfo.Databases(url, url, url, url));

            Table t = AuditMain.table(loader, AuditLoader.Marks.everything(), List.of("B", "F"));

            int perKey = t.header().indexOf("dup. charges per key"), drift = t.header().indexOf("stock drift (units)");
            assertEquals(List.of("B", "F", "all"), t.rows().stream().map(r -> r.get(0)).toList());
            assertEquals("1", t.rows().get(0).get(perKey), "B's customer paid twice");
            assertEquals("0", t.rows().get(1).get(perKey));
            assertEquals("-", t.rows().get(0).get(drift), "stock is shared: no per-config drift");
            assertEquals("0", t.rows().get(2).get(drift), "95 + 5 reserved = 100");
            assertTrue(t.text().contains("PENDING (not judged)"));
        }
    }

    @Test
    void sinceMustBeATimeWithAnOffset() {
        assertEquals(2026, AuditMain.parseSince("2026-11-26T20:00:00Z").getYear());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AuditMain.parseSince("yesterday")).getMessage().contains("yesterday"));
    }
}
