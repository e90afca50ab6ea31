package frl.experiment.metrics;

import frl.experiment.stack.AuditRows;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The reconciliation on fixture rows: a clean baseline, then one fixture per anomaly kind. */
class AuditTest {
    private final List<AuditRows.Order> orders = new ArrayList<>();
    private final List<AuditRows.Charge> charges = new ArrayList<>();
    private final List<AuditRows.Product> products = new ArrayList<>(List.of(new AuditRows.Product("p1", 90, 100)));
    private final List<AuditRows.Reservation> reservations = new ArrayList<>();
    private final List<AuditRows.Delivery> deliveries = new ArrayList<>();
    private long chargeIds;

    /** A correct confirmed order: one charge, 2 units reserved, one notification. */
    private void goodOrder(String id, String key) {
        orders.add(new AuditRows.Order(id, key, "CONFIRMED"));
        charges.add(new AuditRows.Charge(++chargeIds, id, 5998));
        reservations.add(new AuditRows.Reservation(id, "p1", 2, "RESERVED"));
        deliveries.add(new AuditRows.Delivery("e-" + id, id, "ORDER_CONFIRMED"));
    }

    private AuditResult audit(Set<String> acked) {
        return Audit.reconcile(new AuditRows(orders, charges, products, reservations, deliveries, 0), acked);
    }

    /** Five good orders reserve 10 units: stock 90 + 10 = 100 initial. */
    private void fiveGoodOrders() {
        for (int i = 1; i <= 5; i++) {
            goodOrder("o" + i, "k" + i);
        }
    }

    @Test
    void aCleanRunHasNoAnomalies() {
        fiveGoodOrders();
        AuditResult r = audit(Set.of("o1", "o2", "o3", "o4", "o5"));
        assertEquals(new AuditResult(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 5), r);
    }

    @Test
    void aSecondChargeForOneOrderIsADuplicateInBothViews() {
        fiveGoodOrders();
        charges.add(new AuditRows.Charge(99, "o3", 5998));
        AuditResult r = audit(Set.of());
        assertEquals(1, r.duplicateChargesPerOrder());
        assertEquals(1, r.duplicateChargesPerKey());
        assertEquals(0, r.orphanCharges());
    }

    @Test
    void twoOrdersFromOneKeyBothChargedIsADuplicateOnlyTheKeyViewSees() {
        // Given a client re-send (same key k3) became a second order in a config without
        // idempotency, and key k4 was re-sent twice more; stock is adjusted so reservations balance
        fiveGoodOrders();
        products.set(0, new AuditRows.Product("p1", 84, 100));
        goodOrder("o6", "k3");
        goodOrder("o7", "k4");
        goodOrder("o8", "k4");

        AuditResult r = audit(Set.of());

        // Then each order has one charge (per order: no duplicate), but the customers behind k3
        // and k4 paid 2 and 3 times for one purchase each
        assertEquals(0, r.duplicateChargesPerOrder());
        assertEquals(3, r.duplicateChargesPerKey());
        assertEquals(0, r.ordersWithoutKey());
        assertEquals(0, r.stockDriftUnits());
    }

    @Test
    void ordersWithoutAKeyAreTheirOwnGroupAndAreCounted() {
        // Given two orders the stack stored without a key (it recorded keys only where it enforced them)
        fiveGoodOrders();
        products.set(0, new AuditRows.Product("p1", 86, 100));
        goodOrder("o6", null);
        goodOrder("o7", null);

        AuditResult r = audit(Set.of());

        assertEquals(0, r.duplicateChargesPerKey(), "no key, no grouping: two orders are two purchases");
        assertEquals(2, r.ordersWithoutKey(), "and the report can say the per-key view was blind to them");
    }

    @Test
    void ordersStillPendingAtTheDrainBoundAreCountedApartNotAsAnomalies() {
        // Given an order the drain could not settle: charged, reserved, not confirmed
        fiveGoodOrders();
        products.set(0, new AuditRows.Product("p1", 88, 100));
        orders.add(new AuditRows.Order("o9", "k9", "PENDING"));
        charges.add(new AuditRows.Charge(77, "o9", 5998));
        reservations.add(new AuditRows.Reservation("o9", "p1", 2, "RESERVED"));

        AuditResult r = audit(Set.of("o9"));

        assertEquals(1, r.pendingOrders());
        assertEquals(0, r.orphanCharges(), "its charge is not judged: the order is not settled");
        assertEquals(0, r.leakedReservations());
        assertEquals(0, r.ackedNotConfirmed());
        assertEquals(0, r.stockDriftUnits(), "its reservation still balances the stock");
    }

    @Test
    void aConfirmedOrderWithoutAChargeIsCaught() {
        fiveGoodOrders();
        charges.removeIf(c -> c.orderId().equals("o2"));
        assertEquals(1, audit(Set.of()).confirmedWithoutCharge());
    }

    @Test
    void chargesForFailedOrMissingOrdersAreOrphans() {
        fiveGoodOrders();
        orders.add(new AuditRows.Order("o7", "k7", "FAILED"));
        charges.add(new AuditRows.Charge(50, "o7", 100));
        charges.add(new AuditRows.Charge(51, "ghost", 100));
        assertEquals(2, audit(Set.of()).orphanCharges());
    }

    @Test
    void stockThatDoesNotBalanceIsDrift() {
        fiveGoodOrders();
        products.add(new AuditRows.Product("p2", 47, 50)); // 3 units gone, nothing reserved
        products.set(0, new AuditRows.Product("p1", 92, 100)); // 2 units appeared
        AuditResult r = audit(Set.of());
        assertEquals(5, r.stockDriftUnits());
        assertEquals(2, r.driftedProducts());
    }

    @Test
    void notificationsMissingDuplicatedAndSpurious() {
        fiveGoodOrders();
        deliveries.removeIf(d -> d.orderId().equals("o1"));
        deliveries.add(new AuditRows.Delivery("e-o2b", "o2", "ORDER_CONFIRMED"));
        deliveries.add(new AuditRows.Delivery(null, "o2", "ORDER_CONFIRMED"));
        orders.add(new AuditRows.Order("o8", "k8", "FAILED"));
        deliveries.add(new AuditRows.Delivery("e-o8", "o8", "ORDER_CONFIRMED"));
        AuditResult r = audit(Set.of());
        assertEquals(1, r.notificationsMissing());
        assertEquals(2, r.notificationsDuplicated());
        assertEquals(1, r.notificationsSpurious());
    }

    @Test
    void a201TheDatabaseDoesNotConfirmAndALeakedReservation() {
        fiveGoodOrders();
        orders.add(new AuditRows.Order("o9", "k9", "FAILED"));
        reservations.add(new AuditRows.Reservation("o9", "p1", 1, "RESERVED"));
        products.set(0, new AuditRows.Product("p1", 89, 100));
        AuditResult r = audit(Set.of("o1", "o9", "never-stored"));
        assertEquals(2, r.ackedNotConfirmed());
        assertEquals(0, r.pendingOrders());
        assertEquals(1, r.leakedReservations());
        assertEquals(0, r.stockDriftUnits());
    }
}
