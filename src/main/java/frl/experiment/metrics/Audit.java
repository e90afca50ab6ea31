package frl.experiment.metrics;

import frl.experiment.stack.AuditRows;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The correctness audit as a pure reconciliation of database rows, by order id and by client
 * Idempotency-Key. Runs after the drain, so anything still inconsistent is an outcome, not a
 * transient; what the drain could not settle (orders still PENDING) is counted apart.
 *
 * <p>What it catches and which pattern should prevent it:
 * <ul>
 *   <li>duplicate charges, two ways. Per order: a service retried a charge that had gone through.
 *       Per client key: a client re-sent after a timeout while the first attempt still succeeded;
 *       without idempotency (A..E) the re-send becomes a second order with its own charge, which
 *       the per-order view cannot see, because each order has one charge. The orders table records
 *       the client's key in every configuration, so the per-key view sees it; only F prevents it;
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
 * passed in are the reservations made since that reset. Cost: linear in the rows, one pass each.
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
        Set<String> pending = new HashSet<>();
        long withoutKey = 0;
        for (AuditRows.Order o : rows.orders()) {
            orders.put(o.id(), o);
            if (CONFIRMED.equals(o.status())) {
                confirmed.add(o.id());
            } else if (PENDING.equals(o.status())) {
                pending.add(o.id());
            }
            if (o.idempotencyKey() == null || o.idempotencyKey().isBlank()) {
                withoutKey++;
            }
        }

        Map<String, Integer> perOrder = new HashMap<>();
        Map<String, Integer> perKey = new HashMap<>();
        Set<String> charged = new HashSet<>();
        long orphans = 0;
        for (AuditRows.Charge c : rows.charges()) {
            if (pending.contains(c.orderId())) {
                continue;
            }
            charged.add(c.orderId());
            perOrder.merge(c.orderId(), 1, Integer::sum);
            perKey.merge(clientKey(orders.get(c.orderId()), c.orderId()), 1, Integer::sum);
            if (!confirmed.contains(c.orderId())) {
                orphans++;
            }
        }
        long withoutCharge = confirmed.stream().filter(id -> !charged.contains(id)).count();

        Map<String, Long> reservedPerProduct = new HashMap<>();
        long leaked = 0;
        for (AuditRows.Reservation r : rows.reservations()) {
            if (RESERVED.equals(r.status())) {
                reservedPerProduct.merge(r.productId(), (long) r.quantity(), Long::sum);
                if (!confirmed.contains(r.orderId()) && !pending.contains(r.orderId())) {
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
            if (pending.contains(d.orderId())) {
                continue;
            }
            perOrderAndKind.merge(d.orderId() + "|" + d.kind(), 1, Integer::sum);
            if (CONFIRMED_KIND.equals(d.kind()) && !confirmed.contains(d.orderId())) {
                spurious++;
            }
        }
        long missing = confirmed.stream().filter(id -> !perOrderAndKind.containsKey(id + "|" + CONFIRMED_KIND)).count();

        long ackedNotConfirmed = clientAcked.stream().filter(id -> !confirmed.contains(id) && !pending.contains(id)).count();
        return new AuditResult(beyondFirst(perOrder), beyondFirst(perKey), withoutKey, withoutCharge, orphans,
                driftUnits, drifted, missing, beyondFirst(perOrderAndKind), spurious, ackedNotConfirmed, pending.size(),
                leaked, rows.outboxUnsent(), rows.orders().size(), confirmed.size());
    }

    /** The group a charge belongs to in the per-key view: its order's client key, else the order itself. */
    private static String clientKey(AuditRows.Order o, String orderId) {
        return o != null && o.idempotencyKey() != null && !o.idempotencyKey().isBlank()
                ? "key:" + o.idempotencyKey() : "order:" + orderId;
    }

    private static long beyondFirst(Map<String, Integer> counts) {
        return counts.values().stream().mapToLong(n -> n - 1).sum();
    }
}
