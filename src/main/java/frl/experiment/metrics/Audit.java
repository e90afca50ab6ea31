package frl.experiment.metrics;

import frl.experiment.stack.AuditRows;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The correctness audit as a pure reconciliation of database rows, by order id and
 * Idempotency-Key. Runs after the drain, so anything still inconsistent is an outcome, not a
 * transient.
 *
 * <p>What it catches and which pattern should prevent it:
 * <ul>
 *   <li>duplicate charges: a client (or a service) retries after a timeout while the first attempt
 *       still succeeds. Without idempotency keys (A..E) each re-send may become a second order and
 *       a second charge; counted per key so that case is caught, not only two charges on one order;
 *   <li>confirmed orders with no charge, charges with no confirmed order (orphans), reservations held
 *       by orders that are not confirmed: a step that failed half-way without compensation;
 *   <li>stock drift: the inventory invariant {@code stock + RESERVED quantities = initial_stock}
 *       (inventory.sql) broken by a lost update or a double reservation;
 *   <li>notifications missing or duplicated per committed (CONFIRMED) order: what the outbox (F)
 *       fixes, at-least-once delivery plus consumer deduplication;
 *   <li>201s the client got for orders the database does not hold as CONFIRMED: a lie to the user.
 * </ul>
 *
 * <p>Stock drift assumes {@code POST /admin/reset} restored stock to initial_stock and the rows
 * passed in are the reservations made since that reset.
 */
public final class Audit {
    /** The delivery kind a committed order must produce exactly once (notifications.sql). */
    public static final String CONFIRMED_KIND = "ORDER_CONFIRMED";
    public static final String CONFIRMED = "CONFIRMED";
    public static final String PENDING = "PENDING";
    public static final String RESERVED = "RESERVED";

    private Audit() {
    }

    /**
     * @param rows          the run's rows
     * @param clientAcked   order ids the client received in 201 responses during the run
     */
    public static AuditResult reconcile(AuditRows rows, Set<String> clientAcked) {
        Map<String, AuditRows.Order> orders = new HashMap<>();
        Set<String> confirmed = new HashSet<>();
        long pending = 0;
        for (AuditRows.Order o : rows.orders()) {
            orders.put(o.id(), o);
            if (CONFIRMED.equals(o.status())) {
                confirmed.add(o.id());
            } else if (PENDING.equals(o.status())) {
                pending++;
            }
        }

        Map<String, Integer> chargesPerRequest = new HashMap<>();
        Set<String> charged = new HashSet<>();
        long orphans = 0;
        for (AuditRows.Charge c : rows.charges()) {
            charged.add(c.orderId());
            AuditRows.Order o = orders.get(c.orderId());
            String request = o != null && o.idempotencyKey() != null ? "key:" + o.idempotencyKey() : "order:" + c.orderId();
            chargesPerRequest.merge(request, 1, Integer::sum);
            if (!confirmed.contains(c.orderId())) {
                orphans++;
            }
        }
        long duplicates = chargesPerRequest.values().stream().mapToLong(n -> n - 1).sum();
        long withoutCharge = confirmed.stream().filter(id -> !charged.contains(id)).count();

        Map<String, Long> reservedPerProduct = new HashMap<>();
        long leaked = 0;
        for (AuditRows.Reservation r : rows.reservations()) {
            if (RESERVED.equals(r.status())) {
                reservedPerProduct.merge(r.productId(), (long) r.quantity(), Long::sum);
                if (!confirmed.contains(r.orderId())) {
                    leaked++;
                }
            }
        }
        long driftUnits = 0, drifted = 0;
        for (AuditRows.Product p : rows.products()) {
            long drift = p.stock() + reservedPerProduct.getOrDefault(p.id(), 0L) - p.initialStock();
            driftUnits += Math.abs(drift);
            drifted += drift != 0 ? 1 : 0;
        }

        Map<String, Integer> perOrderAndKind = new HashMap<>();
        long spurious = 0;
        for (AuditRows.Delivery d : rows.deliveries()) {
            perOrderAndKind.merge(d.orderId() + "|" + d.kind(), 1, Integer::sum);
            if (CONFIRMED_KIND.equals(d.kind()) && !confirmed.contains(d.orderId())) {
                spurious++;
            }
        }
        long duplicated = perOrderAndKind.values().stream().mapToLong(n -> n - 1).sum();
        long missing = confirmed.stream().filter(id -> !perOrderAndKind.containsKey(id + "|" + CONFIRMED_KIND)).count();

        long ackedNotConfirmed = clientAcked.stream().filter(id -> !confirmed.contains(id)).count();
        return new AuditResult(duplicates, withoutCharge, orphans, driftUnits, drifted,
                missing, duplicated, spurious, ackedNotConfirmed, pending, leaked,
                rows.outboxUnsent(), rows.orders().size(), confirmed.size());
    }
}
