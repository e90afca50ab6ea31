package frl.experiment.metrics;

/**
 * What the correctness audit found in one run. The counts are views, not a partition: one bad
 * charge can be both an orphan and a duplicate, and is then counted in both columns.
 *
 * <p>Orders still PENDING when the drain gave up are not settled, so they and their charges,
 * reservations and notifications are left out of every correctness column and counted in
 * {@code pendingOrders} instead: an unsettled order is a fact about the drain, not a verdict on
 * the patterns.
 *
 * @param duplicateChargesPerOrder charges beyond the first per order id: a service retried a
 *                                 charge that had already gone through
 * @param duplicateChargesPerKey   charges beyond the first per client Idempotency-Key (orders grouped
 *                                 by key, charges joined by order id; an order without a key is its
 *                                 own group): a customer who pressed once and paid twice, including
 *                                 a client re-send that became a second order
 * @param ordersWithoutKey         orders with no recorded key: the per-key count cannot see their
 *                                 re-sends (a stack that records keys only where it enforces them)
 * @param confirmedWithoutCharge   CONFIRMED orders with no charge: goods given away
 * @param orphanCharges            charges whose order is not CONFIRMED (missing or FAILED): money
 *                                 taken for nothing
 * @param stockDriftUnits          sum over products of |stock + RESERVED quantities - initial_stock|
 * @param driftedProducts          products where that is not 0
 * @param notificationsMissing     CONFIRMED orders with no ORDER_CONFIRMED delivery
 * @param notificationsDuplicated  deliveries beyond the first per (order, kind)
 * @param notificationsSpurious    ORDER_CONFIRMED deliveries for orders that are not CONFIRMED
 * @param ackedNotConfirmed        orders the client got a 201 for that are not CONFIRMED in the database
 * @param pendingOrders            orders still PENDING when the drain ended (left out of the columns above)
 * @param leakedReservations       RESERVED reservation rows of orders that are FAILED or missing
 * @param outboxUnsent             outbox rows not yet delivered after the drain
 * @param orders                   orders of this run
 * @param confirmedOrders          of which CONFIRMED
 */
public record AuditResult(long duplicateChargesPerOrder, long duplicateChargesPerKey, long ordersWithoutKey,
                          long confirmedWithoutCharge, long orphanCharges,
                          long stockDriftUnits, long driftedProducts,
                          long notificationsMissing, long notificationsDuplicated, long notificationsSpurious,
                          long ackedNotConfirmed, long pendingOrders, long leakedReservations,
                          long outboxUnsent, long orders, long confirmedOrders) {
}
