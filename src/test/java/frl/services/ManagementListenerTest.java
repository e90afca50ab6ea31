package frl.services;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static frl.services.LabStack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every service's management listener (issue 7): {@code /admin/*} and {@code /metrics} live on
 * their own port, {@code /health} on both, and the data port tells whoever still asks it where
 * the admin routes went.
 */
class ManagementListenerTest extends StackTest {
    private static final List<String> SERVICES = List.of("gateway", "orders", "payments", "inventory", "notifications");

    @Test
    void theDataPortSendsAdminAndMetricsCallersToTheManagementListener() throws Exception {
        for (String s : SERVICES) {
            assertNotEquals(stack.url(s).getPort(), stack.adminUrl(s).getPort(), s);
            for (String path : List.of("/admin/counters", "/admin/reset", "/metrics")) {
                HttpResponse<String> r = stack.send(s, path.equals("/admin/reset") ? "POST" : "GET", path, null,
                        "Authorization", "Bearer " + LabStack.TOKEN);
                assertEquals(404, r.statusCode(), s + path);
                JsonNode body = json(r);
                assertEquals("not_found", body.path("error").asText());
                assertTrue(body.path("detail").asText().contains(stack.adminUrl(s).toString().replaceAll("/$", "") + path),
                        s + path + ": " + r.body());
            }
        }
    }

    @Test
    void healthAnswersOnBothListenersAndBusinessRoutesOnlyOnTheDataPort() throws Exception {
        for (String s : SERVICES) {
            assertEquals(200, stack.send(s, "GET", "/health", null).statusCode(), s);
            assertEquals(200, stack.sendManagement(s, "GET", "/health", null).statusCode(), s);
        }
        HttpResponse<String> r = stack.sendManagement("gateway", "POST", "/orders", LabStack.orderBody("prod-001", 1, "1.00"));
        assertEquals(404, r.statusCode(), r.body());
        assertEquals("not_found", json(r).path("error").asText());
    }

    @Test
    void countersAnswerWhileEveryDataPlaneRequestIsStuck() throws Exception {
        // Given payments serves nothing and orders of config A (no deadline) pile up in its queue
        stack.admin("payments", "POST", "/admin/chaos", "{\"slots\": 0}");
        List<Thread> clients = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            clients.add(Thread.ofVirtual().start(() -> {
                try {
                    stack.order('A', null, LabStack.orderBody("prod-012", 1, "1.00"));
                } catch (Exception e) {
                    // answered by the reset below, or cut off when the class ends
                }
            }));
        }
        Poll.until(() -> json(stack.admin("payments", "GET", "/admin/counters", null)).path("queue_length").asLong(), n -> n == 20, 10_000);

        // Then every service's counters answer, and orders reports its in-flight and PENDING orders
        for (String s : SERVICES) {
            assertEquals(200, stack.admin(s, "GET", "/admin/counters", null).statusCode(), s);
        }
        JsonNode orders = json(stack.admin("orders", "GET", "/admin/counters", null));
        assertEquals(20, orders.path("in_flight_orders").asLong(), orders.toString());
        assertEquals(20, orders.path("pending_orders").asLong(), orders.toString());

        // And the reset ends them all
        stack.admin("payments", "POST", "/admin/reset", null);
        for (Thread t : clients) {
            assertTrue(t.join(java.time.Duration.ofSeconds(10)));
        }
        assertEquals(0, json(stack.admin("orders", "GET", "/admin/counters", null)).path("pending_orders").asLong());
    }
}
