package frl.experiment.metrics;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Refusals per hop from two /metrics scrapes per service, filtered to the run's configuration. */
class RejectionsTest {
    private static String orders(int paymentsE, int inventoryE, int paymentsF, int trips) {
        return """
                # TYPE lab_bulkhead_rejections counter
                lab_bulkhead_rejections_total{downstream="payments",config="E"} %d
                lab_bulkhead_rejections_total{downstream="inventory",config="E"} %d
                lab_bulkhead_rejections_total{downstream="payments",config="F"} %d
                # TYPE lab_breaker_transitions counter
                lab_breaker_transitions_total{breaker="orders->payments",config="E",from="CLOSED",to="OPEN"} %d
                lab_breaker_transitions_total{breaker="orders->payments",config="E",from="OPEN",to="HALF_OPEN"} 9
                """.formatted(paymentsE, inventoryE, paymentsF, trips);
    }

    private static final String GATEWAY = """
            # TYPE lab_bulkhead_rejections counter
            # TYPE lab_breaker_transitions counter
            # TYPE lab_breaker_rejections counter
            lab_breaker_rejections_total{breaker="gateway->orders",config="E"} 40
            """;

    @Test
    void eachHopGetsItsOwnDeltaForTheRunsConfig() {
        Rejections r = Rejections.of(Map.of("orders", orders(10, 1, 100, 1), "gateway", GATEWAY.replace(" 40", " 5")),
                Map.of("orders", orders(25, 4, 900, 3), "gateway", GATEWAY), "E");

        assertEquals(15, r.count("bulkhead", "orders->payments"), "payments and inventory are no longer summed");
        assertEquals(3, r.count("bulkhead", "orders->inventory"));
        assertEquals(0, r.count("bulkhead", "orders->notifications"), "reported, none");
        assertEquals(2, r.count("breaker_trips", "orders->payments"), "transitions to OPEN only");
        assertEquals(35, r.count("breaker_refused", "gateway->orders"));
    }

    @Test
    void whatTheStackDoesNotReportIsNotANumber() {
        // Given scrapes that never show a breaker-refusal family, and a gateway whose second scrape failed
        Rejections r = Rejections.of(Map.of("orders", orders(0, 0, 0, 0), "gateway", "# TYPE lab_bulkhead_rejections counter\n"),
                Map.of("orders", orders(0, 0, 0, 0)), "E");

        assertTrue(Double.isNaN(r.count("breaker_refused", "orders->payments")), "never seen in this run: not reported");
        assertTrue(Double.isNaN(r.count("bulkhead", "gateway->orders")), "the gateway was not scraped twice");
        assertEquals(0, r.count("bulkhead", "orders->payments"));
        assertTrue(Double.isNaN(Rejections.UNKNOWN.count("bulkhead", "orders->payments")));
    }

    @Test
    void aContractFamilyWithNoLineYetIsZero() {
        // A labelled Prometheus counter prints nothing before its first increment
        Rejections r = Rejections.of(Map.of("orders", "# TYPE lab_breaker_state gauge\n"), Map.of("orders", ""), "F");

        assertEquals(0, r.count("bulkhead", "orders->payments"));
        assertEquals(0, r.count("breaker_trips", "orders->inventory"));
        assertTrue(Double.isNaN(r.count("breaker_refused", "orders->payments")));
    }
}
