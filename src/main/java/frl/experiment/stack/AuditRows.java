package frl.experiment.stack;

import java.util.List;

/**
 * The rows one run left in the four databases, as the audit needs them (see the schemas in
 * src/main/resources/sql). Plain records, so the reconciliation is tested on fixture rows.
 *
 * @param outboxUnsent outbox rows still unsent after the drain (the outbox's lag at audit time)
 */
public record AuditRows(List<Order> orders, List<Charge> charges, List<Product> products,
                        List<Reservation> reservations, List<Delivery> deliveries, long outboxUnsent) {

    /** orders.orders: {@code status} is PENDING, CONFIRMED or FAILED. */
    public record Order(String id, String idempotencyKey, String status) {
    }

    /** payments.charges: one row per successful charge. */
    public record Charge(long id, String orderId, long amountCents) {
    }

    /** inventory.products. */
    public record Product(String id, int stock, int initialStock) {
    }

    /** inventory.reservations: {@code status} is RESERVED or RELEASED. */
    public record Reservation(String orderId, String productId, int quantity, String status) {
    }

    /** notifications.deliveries: one row per delivery received. */
    public record Delivery(String eventId, String orderId, String kind) {
    }
}
