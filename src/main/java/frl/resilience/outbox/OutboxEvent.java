package frl.resilience.outbox;

import java.util.UUID;

/**
 * One outbox row as the relay hands it to a {@link OutboxRelay.Delivery}.
 *
 * @param id          the row's sequence number: the delivery order within an aggregate
 * @param aggregateId the entity the event is about (the order id)
 * @param eventId     the consumer's deduplication key: the same event may arrive more than once
 * @param eventType   e.g. {@code ORDER_CONFIRMED}
 * @param payloadJson the event body, JSON
 * @param attempts    delivery attempts made before this one (0 on the first)
 */
public record OutboxEvent(long id, String aggregateId, UUID eventId, String eventType, String payloadJson, int attempts) {
}
