package frl.sim;

import frl.resilience.Deadline;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * payments in virtual time: {@code PaymentsService.charge}'s steps, in its order, around the
 * {@link Processor}.
 * <pre>
 *   outage                 -&gt; 503 + Retry-After 1, at once
 *   F, order already charged -&gt; 201 (replay: no work)
 *   processor: refused     -&gt; 504 (dropped: deadline spent while queued) | 503 (no slot in 60 s)
 *              served      -&gt; in the slot: injected error (503) or ledger write (201)
 *   then the latency fault, outside the slot; then "completed after the caller's deadline"?
 * </pre>
 * Chaos is the real switches: {@code error_rate}, {@code latency_ms}, {@code outage}, {@code slots}.
 *
 * <p>Not thread-safe: one run, one thread.
 */
final class Payments {
    final Tally tally = new Tally("payments");
    private final Stack stack;
    private final Draws errors;
    double errorRate;
    long latencyMs;
    boolean outage;

    Payments(Stack stack, Draws errors) {
        this.stack = stack;
        this.errors = errors;
    }

    void charge(long orderId, long amountCents, long deadlineHeaderMs, Consumer<Reply> respond) {
        tally.received++;
        if (outage) {
            respond.accept(Reply.retryAfter(503, 1));
            return;
        }
        if (!stack.setup.idempotency()) {
            process(orderId, amountCents, deadlineHeaderMs, respond);
            return;
        }
        stack.delays.db(() -> { // F: a retry of an attempt that already charged is answered as before
            if (stack.ledger.chargeOf(orderId) != null) {
                respond.accept(Reply.of(201));
            } else {
                process(orderId, amountCents, deadlineHeaderMs, respond);
            }
        });
    }

    private void process(long orderId, long amountCents, long deadlineHeaderMs, Consumer<Reply> respond) {
        Deadline deadline = deadlineHeaderMs < 0 ? null : Deadline.after(Duration.ofMillis(deadlineHeaderMs), stack.loop);
        double rate = errorRate; // read once, before processing, as the real service does
        stack.processor.submit(deadline, stack.setup.timeouts(), new Processor.Job() {
            @Override
            public void served(long waitedNanos, Runnable release) {
                if (rate > 0 && errors.uniform() < rate) {
                    release.run();
                    answer(Reply.of(503), deadline, true, respond);
                    return;
                }
                stack.loop.after(stack.delays.dbNanos(), () -> { // the ledger write, inside the slot
                    stack.ledger.charge(orderId, amountCents);
                    release.run();
                    answer(Reply.of(201), deadline, true, respond);
                });
            }

            @Override
            public void refused(Processor.Refusal why) {
                answer(Reply.of(why == Processor.Refusal.DROPPED_EXPIRED ? 504 : 503), deadline, false, respond);
            }
        });
    }

    /** The latency fault is added after the processor, outside the slot; then wasted work is counted. */
    private void answer(Reply reply, Deadline deadline, boolean worked, Consumer<Reply> respond) {
        Runnable send = () -> {
            if (worked && deadline != null && deadline.isExpired()) {
                tally.completedAfterDeadline++; // the caller has given up: this work was wasted
            }
            respond.accept(reply);
        };
        if (latencyMs > 0) {
            stack.loop.after(latencyMs * 1_000_000, send);
        } else {
            send.run();
        }
    }

    /** {@code POST /admin/chaos {"reset": true}}. */
    void clearChaos() {
        errorRate = 0;
        latencyMs = 0;
        outage = false;
        stack.processor.restore();
    }
}
