package frl.experiment.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where admin calls go. The stub serves /admin/* and /metrics only on each service's management
 * port (404 on its service port), so a call that reaches the wrong listener fails visibly.
 */
class AdminClientTest {
    @TempDir
    Path dir;

    private static AdminClient client(Path stackJson) throws Exception {
        StackInfo stack = StackInfo.read(stackJson);
        return new AdminClient(HttpTransport.newClient(AdminClient.DEFAULT_TIMEOUT), stack, stack.adminToken());
    }

    @Test
    void everyAdminAndMetricsCallGoesToTheManagementListener() throws Exception {
        try (StubStack stub = new StubStack(0, 0, true)) {
            AdminClient admin = client(stub.writeStackJson(dir));

            admin.resetAll();
            AdminClient.Snapshot counters = admin.counters();

            assertTrue(counters.complete(), String.join("; ", counters.failures()));
            assertEquals(5, counters.byService().size());
            assertTrue(counters.latencyMs().values().stream().allMatch(ms -> ms >= 0), "every answer is timed");
            assertEquals(5, admin.metrics().size(), "/metrics too");
            assertTrue(admin.sweep(), "orders runs the sweep on its management port");
            assertEquals(0, admin.backlog().paymentsQueued(), "the stub's payments reports an empty queue");
            assertTrue(admin.healthy("gateway"), "health stays on the service port");
        }
    }

    @Test
    void withoutAnAdminEntryCallsGoToTheServiceUrlAsBefore() throws Exception {
        // Given the same stub, but a stack.json that does not name the management listeners
        try (StubStack stub = new StubStack(0, 0, true)) {
            AdminClient admin = client(stub.writeStackJson(dir, false));

            AdminClient.Snapshot counters = admin.counters();

            // Then the calls went to the service ports (which refuse them here): the fallback is taken
            assertFalse(counters.complete());
            assertNull(counters.byService());
            assertEquals(5, counters.failures().size());
            assertTrue(counters.failures().get(0).contains("404"), counters.failures().get(0));
            assertFalse(admin.sweep(), "a 404 means: no sweep on this stack");
        }
    }

    @Test
    void aStackWithoutManagementListenersIsManagedOnItsServicePorts() throws Exception {
        try (StubStack stub = new StubStack(0, 0)) {
            AdminClient admin = client(stub.writeStackJson(dir));

            assertTrue(admin.counters().complete());
            assertFalse(StackInfo.read(dir.resolve("stack.json")).hasManagementListeners());
        }
    }

    @Test
    void countFieldsAreReadDefensively() throws Exception {
        var json = StackJson.MAPPER.readTree("{\"queue_length\": 3, \"busy_slots\": \"x\", \"pending_orders\": -2}");
        assertEquals(3, AdminClient.field(json, "queue_length"));
        assertEquals(-1, AdminClient.field(json, "busy_slots"), "not a number: not reported");
        assertEquals(-1, AdminClient.field(json, "pending_orders"), "a negative count is not a count");
        assertEquals(-1, AdminClient.field(json, "absent"));
    }
}
