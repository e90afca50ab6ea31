package frl.sim;

import frl.resilience.Deadline;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * inventory in virtual time: {@code InventoryService.reserve} and {@code release} as transactions
 * on {@link RowLocks}. A reservation locks its product's row from its UPDATE to its COMMIT (one
 * database round trip here); with an enforced deadline (C..F) it waits for the lock at most what
 * is left of the deadline ({@code SET LOCAL lock_timeout}), then answers 504; without one it
 * waits as long as it takes. In F a reservation that already exists for the order is replayed.
 * Compensation ({@code DELETE /reservations/{id}}) takes the row lock too, with no timeout.
 *
 * <p>Not thread-safe: one run, one thread.
 */
final class Inventory {
    final Tally tally = new Tally("inventory");
    private final Stack stack;

    Inventory(Stack stack) {
        this.stack = stack;
    }

    void reserve(long orderId, int product, int quantity, long deadlineHeaderMs, Consumer<Reply> respond) {
        tally.received++;
        Deadline deadline = deadlineHeaderMs < 0 ? null : Deadline.after(Duration.ofMillis(deadlineHeaderMs), stack.loop);
        boolean enforce = stack.setup.timeouts() && deadline != null;
        long lockTimeout = enforce ? Math.max(1, deadline.remaining().toMillis()) * 1_000_000 : -1;
        if (!stack.setup.idempotency()) {
            lockAndReserve(orderId, product, quantity, deadline, lockTimeout, false, respond);
            return;
        }
        stack.delays.db(() -> { // F: SELECT the order's reservation first
            if (stack.ledger.reserved(orderId)) {
                respond.accept(Reply.of(201)); // replayed: the first reservation stands
            } else {
                lockAndReserve(orderId, product, quantity, deadline, lockTimeout, true, respond);
            }
        });
    }

    private void lockAndReserve(long orderId, int product, int quantity, Deadline deadline, long lockTimeout,
                                boolean idempotent, Consumer<Reply> respond) {
        stack.locks.lock(product, lockTimeout, locked -> {
            if (!locked) {
                respond.accept(Reply.of(504)); // lock_not_available: the caller's deadline would pass first
                return;
            }
            stack.loop.after(stack.delays.dbNanos(), () -> { // UPDATE stock, INSERT reservation, COMMIT
                // F: a concurrent attempt of the same order committed first (unique key): its reservation stands
                boolean taken = idempotent && stack.ledger.reserved(orderId) || stack.ledger.reserve(orderId, product, quantity);
                stack.locks.unlock(product);
                if (deadline != null && deadline.isExpired()) {
                    tally.completedAfterDeadline++;
                }
                respond.accept(Reply.of(taken ? 201 : 409));
            });
        });
    }

    /** Compensation: puts back what the order holds; idempotent. */
    void release(long orderId, Consumer<Reply> respond) {
        int product = stack.ledger.reservedProduct(orderId);
        if (product < 0) {
            stack.delays.db(() -> respond.accept(Reply.of(200)));
            return;
        }
        stack.locks.lock(product, -1, locked -> stack.loop.after(stack.delays.dbNanos(), () -> {
            stack.ledger.release(orderId);
            stack.locks.unlock(product);
            respond.accept(Reply.of(200));
        }));
    }
}
