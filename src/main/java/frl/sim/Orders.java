package frl.sim;

import frl.resilience.Deadline;
import frl.resilience.DeadlineExceededException;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * orders in virtual time: {@code OrdersService}'s saga, step for step, with its calls going
 * through this configuration's patterns ({@link Hop}):
 * <pre>
 *   F: claim the Idempotency-Key (Redis): replay a finished answer | 409 while in flight
 *   INSERT PENDING -&gt; reserve (inventory) -&gt; charge (payments) -&gt; CONFIRMED (+ outbox row in F)
 *                  -&gt; A..E: notify directly (best effort) -&gt; 201
 *   any failure    -&gt; compensate: release the reservation, then FAILED; if the release fails
 *                     the order stays PENDING (the recovery sweep's, not simulated). A..F release
 *                     through the forward path without a deadline; G through its compensation
 *                     path (own retries, timeouts and deadline; no breaker, no bulkhead)
 * </pre>
 * A failure answers 503 (504 when the deadline was spent, 402 when declined), which the gateway's
 * retry treats as retryable: a new order in A..E, the stored answer in F. Work finished after the
 * caller's deadline counts as wasted. In F an outbox relay delivers the notifications.
 *
 * <p>Not thread-safe: one run, one thread.
 */
final class Orders {
    final Tally tally = new Tally("orders");
    private final Stack stack;
    private final Hop inventory;
    private final Hop payments;
    private final Hop notifications;
    private final Hop release; // G's compensation path to inventory, or the forward hop (A..F)
    private final long claimTimeoutNanos;
    private final long amountCents = Model.QUANTITY * Model.UNIT_PRICE_CENTS;

    Orders(Stack stack) {
        this.stack = stack;
        this.inventory = new Hop(stack, tally, "inventory");
        this.payments = new Hop(stack, tally, "payments");
        this.notifications = new Hop(stack, tally, "notifications");
        Hop compensating = Hop.compensating(stack, tally, "inventory");
        this.release = compensating == null ? inventory : compensating;
        this.claimTimeoutNanos = stack.model.claimTimeout().toNanos();
    }

    void create(String key, long deadlineHeaderMs, int product, Consumer<Reply> respond) {
        tally.received++;
        Deadline deadline = deadlineHeaderMs < 0 ? null : Deadline.after(Duration.ofMillis(deadlineHeaderMs), stack.loop);
        if (!stack.setup.idempotency()) {
            place(key, deadline, product, respond);
            return;
        }
        stack.delays.redis(() -> {
            long claim = stack.ledger.claim(key, stack.loop.nanoTime(), claimTimeoutNanos);
            if (claim < 0) {
                respond.accept(stack.ledger.replay(key)); // Idempotent-Replayed: the first answer
            } else if (claim == 0) {
                respond.accept(Reply.retryAfter(409, 1)); // still being processed
            } else {
                place(key, deadline, product, answer -> stack.delays.redis(() -> {
                    stack.ledger.complete(key, claim, answer); // every replay of this key returns it
                    respond.accept(answer);
                }));
            }
        });
    }

    private void place(String key, Deadline deadline, int product, Consumer<Reply> respond) {
        stack.delays.db(() -> {
            Ledger.Order row = stack.ledger.insertPending(key, stack.setup.idempotency());
            if (!row.status.equals(Ledger.PENDING)) { // F: the key's order exists and is decided
                respond.accept(row.status.equals(Ledger.CONFIRMED) ? Reply.created(row.id) : Reply.of(200));
                return;
            }
            long id = row.id;
            inventory.call(deadline, (h, r) -> stack.inventory.reserve(id, product, Model.QUANTITY, h, r), reserved -> {
                if (reserved.error() != null) {
                    failed(row, 503, reserved.error(), respond);
                } else if (reserved.is(409) || reserved.is(422)) {
                    stack.delays.db(() -> {
                        row.status = Ledger.FAILED;
                        respond.accept(Reply.of(reserved.reply().status()));
                    });
                } else if (!reserved.is(201)) {
                    failed(row, 503, null, respond);
                } else {
                    payments.call(deadline, (h, r) -> stack.payments.charge(id, amountCents, h, r), charged -> {
                        if (charged.error() != null) {
                            failed(row, 503, charged.error(), respond);
                        } else if (charged.is(402)) {
                            failed(row, 402, null, respond);
                        } else if (!charged.is(201)) {
                            failed(row, 503, null, respond);
                        } else {
                            confirm(row, deadline, respond);
                        }
                    });
                }
            });
        });
    }

    private void confirm(Ledger.Order row, Deadline deadline, Consumer<Reply> respond) {
        stack.delays.db(() -> { // UPDATE ... CONFIRMED, with the outbox row in the same transaction (F)
            row.status = Ledger.CONFIRMED;
            long eventId = stack.ledger.nextId();
            Runnable done = () -> {
                if (deadline != null && deadline.isExpired()) {
                    tally.completedAfterDeadline++;
                }
                respond.accept(Reply.created(row.id));
            };
            if (stack.setup.outbox()) {
                stack.ledger.outbox.add(new long[]{eventId, row.id});
                done.run();
            } else { // best effort: a failure loses the notification
                notifications.call(deadline, (h, r) -> stack.notifications.deliver(eventId, row.id, r), answer -> done.run());
            }
        });
    }

    /**
     * Compensation: release the reservation, then FAILED (or PENDING if that failed). The deadline
     * is the compensation path's own, started now (G), or none (A..F): never the failed request's.
     */
    private void failed(Ledger.Order row, int status, Throwable cause, Consumer<Reply> respond) {
        int answer = cause instanceof DeadlineExceededException ? 504 : status;
        var path = stack.setup.compensation();
        Deadline own = path == null ? null : Deadline.after(path.timeouts().budget(), stack.loop);
        release.call(own, (h, r) -> stack.inventory.release(row.id, r), released -> stack.delays.db(() -> {
            if (released.is(200)) {
                row.status = Ledger.FAILED;
            } // else: a note on the PENDING order, left for the recovery sweep
            respond.accept(Reply.of(answer));
        }));
    }

    /** F: the outbox relay, polling every relayPoll, delivering up to relayBatch rows a round, one at a time. */
    void startRelay() {
        stack.loop.after(stack.model.relayPoll().toNanos(), this::relayRound);
    }

    private void relayRound() {
        stack.delays.db(() -> deliverNext(stack.model.relayBatch()));
    }

    private void deliverNext(int left) {
        long[] event = stack.ledger.outbox.peek();
        if (event == null || left == 0) {
            if (event == null) {
                stack.loop.after(stack.model.relayPoll().toNanos(), this::relayRound);
            } else {
                relayRound();
            }
            return;
        }
        notifications.call(null, (h, r) -> stack.notifications.deliver(event[0], event[1], r), answer -> {
            if (answer.reply() != null && answer.reply().status() / 100 == 2) {
                stack.ledger.outbox.poll(); // marked sent
                deliverNext(left - 1);
            } else {
                stack.loop.after(stack.model.relayPoll().toNanos(), this::relayRound); // retried later
            }
        });
    }
}
