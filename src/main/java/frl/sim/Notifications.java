package frl.sim;

import java.util.function.Consumer;

/**
 * notifications in virtual time: one delivery row per call, deduplicated by event id in F
 * (the outbox delivers at least once). Always healthy: the notifications_down fault is not
 * simulated.
 *
 * <p>Not thread-safe: one run, one thread.
 */
final class Notifications {
    final Tally tally = new Tally("notifications");
    private final Stack stack;

    Notifications(Stack stack) {
        this.stack = stack;
    }

    void deliver(long eventId, long orderId, Consumer<Reply> respond) {
        tally.received++;
        stack.delays.db(() -> {
            stack.ledger.deliver(eventId, orderId, stack.setup.outbox());
            respond.accept(Reply.of(201));
        });
    }
}
