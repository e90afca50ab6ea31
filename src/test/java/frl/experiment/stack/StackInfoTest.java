package frl.experiment.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StackInfoTest {
    @TempDir
    Path dir;

    @Test
    void readsTheDocumentedShape() throws IOException {
        Path token = Files.writeString(dir.resolve("admin-token"), "s3cret\n");
        Path file = Files.writeString(dir.resolve("stack.json"), """
                {"services": {"gateway": "http://127.0.0.1:8000/", "orders": "http://127.0.0.1:8001",
                              "payments": "http://127.0.0.1:8002", "inventory": "http://127.0.0.1:8003",
                              "notifications": "http://127.0.0.1:8004"},
                 "databases": {"orders": "jdbc:postgresql://127.0.0.1:5432/orders?user=postgres",
                               "payments": "jdbc:postgresql://127.0.0.1:5432/payments?user=postgres",
                               "inventory": "jdbc:postgresql://127.0.0.1:5433/inventory?user=postgres",
                               "notifications": "jdbc:postgresql://127.0.0.1:5432/notifications?user=postgres"},
                 "redis": "redis://127.0.0.1:6379",
                 "admin_token_file": "%s",
                 "pids": {"gateway": 4242},
                 "something_new": true}
                """.formatted(token.toString().replace("\\", "\\\\")));

        StackInfo s = StackInfo.read(file);

        assertEquals("http://127.0.0.1:8000", s.url("gateway"), "trailing slash dropped");
        assertEquals("jdbc:postgresql://127.0.0.1:5433/inventory?user=postgres", s.databases().inventory());
        assertTrue(s.hasDatabases());
        assertEquals("s3cret", s.adminToken());
        assertEquals(4242L, s.pids().get("gateway"));
        assertFalse(s.publicView().toString().contains("jdbc"), "run.json never gets JDBC URLs (they may hold passwords)");
    }

    @Test
    void aMissingServiceOrFileIsExplained() throws IOException {
        Path file = Files.writeString(dir.resolve("stack.json"), "{\"services\": {\"gateway\": \"http://x\"}}");
        IOException e = assertThrows(IOException.class, () -> StackInfo.read(file));
        assertTrue(e.getMessage().contains("\"orders\""), e.getMessage());
        IOException missing = assertThrows(IOException.class, () -> StackInfo.read(dir.resolve("nope.json")));
        assertTrue(missing.getMessage().contains("make run-stack"), missing.getMessage());
    }

    @Test
    void adminUrlsFallBackToServiceUrlsAndPidsComeFromPidFiles() throws IOException {
        // Given a stack.json naming a management listener for orders only, and no pids, with the
        // launcher's pid files beside it (one of them garbage)
        Files.createDirectories(dir.resolve("pids"));
        Files.writeString(dir.resolve("pids/orders.pid"), "4243\n");
        Files.writeString(dir.resolve("pids/payments.pid"), "not a pid");
        Path file = Files.writeString(dir.resolve("stack.json"), """
                {"services": {"gateway": "http://127.0.0.1:8000", "orders": "http://127.0.0.1:8001",
                              "payments": "http://127.0.0.1:8002", "inventory": "http://127.0.0.1:8003",
                              "notifications": "http://127.0.0.1:8004"},
                 "admin": {"orders": "http://127.0.0.1:8101/"},
                 "launcher_pid": 4000}
                """);

        StackInfo s = StackInfo.read(file);

        assertEquals("http://127.0.0.1:8101", s.adminUrl("orders"), "its management listener");
        assertEquals("http://127.0.0.1:8002", s.adminUrl("payments"), "no entry: the service URL, as before");
        assertFalse(s.hasManagementListeners());
        assertEquals(java.util.Map.of("orders", 4243L), s.pids(), "read from pids/*.pid; the unreadable one left out");
        assertEquals(4000L, s.launcherPid());
        assertEquals("http://127.0.0.1:8101", s.publicView().get("orders_admin"), "run.json records where admin calls went");
    }
}
