package frl.experiment.metrics;

/**
 * What the correctness audit found in one run. The counts are views, not a partition: one bad
 * charge can be both an orphan and a duplicate, and is then counted in both columns.
 *
 * @param duplicateCharges        charges beyond the first per logical client request (per
 *                                Idempotency-Key; per order id when an order has no key)
 * @param confirmedWithoutCharge  CONFIRMED orders with no charge: goods given away
 * @param orphanCharges           charges whose order is not CONFIRMED (missing, FAILED, PENDING):
 *                                money taken for nothing
 * @param stockDriftUnits         sum over products of |stock + RESERVED quantities - initial_stock|
 * @param driftedProducts         products where that is not 0
 * @param notificationsMissing    CONFIRMED orders with no ORDER_CONFIRMED delivery
 * @param notificationsDuplicated deliveries beyond the first per (order, kind)
 * @param notificationsSpurious   ORDER_CONFIRMED deliveries for orders that are not CONFIRMED
 * @param ackedNotConfirmed       orders the client got a 201 for that are not CONFIRMED in the database
 * @param pendingOrders           orders still PENDING after the drain (the audit is incomplete for them)
 * @param leakedReservations      RESERVED reservation rows of orders that are not CONFIRMED
 * @param outboxUnsent            outbox rows not yet delivered after the drain
 * @param orders                  orders of this run
 * @param confirmedOrders         of which CONFIRMED
 */
public record AuditResult(long duplicateCharges, long confirmedWithoutCharge, long orphanCharges,
                          long stockDriftUnits, long driftedProducts,
                          long notificationsMissing, long notificationsDuplicated, long notificationsSpurious,
                          long ackedNotConfirmed, long pendingOrders, long leakedReservations,
                          long outboxUnsent, long orders, long confirmedOrders) {
}
