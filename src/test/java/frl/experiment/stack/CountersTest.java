package frl.experiment.stack;

import frl.experiment.metrics.Amplification;
import frl.experiment.metrics.Telemetry;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CountersTest {
    /** The example of docs/architecture.md, comments removed. */
    private static final String ORDERS = """
            {"service": "orders", "received": 1234, "completed_after_deadline": 17,
             "outgoing": {"payments":  {"attempts": 1500, "retries": 266},
                          "inventory": {"attempts": 1240, "retries": 6}},
             "breaker_transitions": 3, "bulkhead_rejections": 0, "shed": 0, "retry_budget_refusals": 12}""";

    private static Counters parse(String service, String json) throws Exception {
        return Counters.parse(service, StackJson.MAPPER.readTree(json));
    }

    @Test
    void parsesTheContractExampleAndTakesDifferences() throws Exception {
        Counters later = parse("orders", ORDERS);
        Counters earlier = parse("orders", "{\"received\": 234, \"retry_budget_refusals\": 2, \"outgoing\": {\"payments\": {\"attempts\": 500, \"retries\": 66}}}");

        Counters d = later.minus(earlier);

        assertEquals(1000, d.received());
        assertEquals(17, d.completedAfterDeadline());
        assertEquals(new Counters.Hop(1000, 200), d.outgoing().get("payments"));
        assertEquals(new Counters.Hop(1240, 6), d.outgoing().get("inventory"), "a hop absent earlier counts from 0");
        assertEquals(206, d.retries());
        assertEquals(3, d.breakerTransitions());
        assertEquals(10, d.retryBudgetRefusals());
        assertEquals(10, Telemetry.of(Map.of("orders", d)).retryBudgetRefusals());
    }

    @Test
    void amplificationDividesEachHopsOwnCountByClientRequests() throws Exception {
        Map<String, Counters> deltas = Map.of(
                "gateway", parse("gateway", "{\"received\": 1100, \"shed\": 40}"),
                "orders", parse("orders", "{\"received\": 1000}"),
                "payments", parse("payments", "{\"received\": 2600, \"completed_after_deadline\": 5}"),
                "inventory", parse("inventory", "{\"received\": 1010}"),
                "notifications", parse("notifications", "{\"received\": 900}"));

        Amplification a = Amplification.of(deltas, 1000);
        Telemetry t = Telemetry.of(deltas);

        assertEquals(1.1, a.clientToGateway(), 1e-12);
        assertEquals(1.0, a.gatewayToOrders(), 1e-12);
        assertEquals(2.6, a.ordersToPayments(), 1e-12);
        assertEquals(1.01, a.ordersToInventory(), 1e-12);
        assertEquals(5, t.wastedWork());
        assertEquals(40, t.shed());
        assertTrue(Double.isNaN(Amplification.of(null, 1000).gatewayToOrders()), "unreadable counters: unknown, not 0");
        assertTrue(Double.isNaN(Amplification.of(deltas, 0).gatewayToOrders()));
        assertTrue(Double.isNaN(Telemetry.of(null).wastedWork()));
    }
}
