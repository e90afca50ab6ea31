package frl.sim;

import frl.http.Rejections;
import frl.resilience.AdaptiveBulkhead;
import frl.resilience.BulkheadFullException;
import frl.resilience.Compartment;
import frl.resilience.Deadline;
import frl.resilience.DeadlineExceededException;
import frl.resilience.LoadShedder;
import frl.resilience.breaker.CircuitOpenException;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The gateway in virtual time, as {@code GatewayService.create}: the real {@link LoadShedder} at
 * the door (E, F) or G's {@link AdaptiveBulkhead} front door (an order's latency measured against
 * its deadline is the limit's sample), the end-to-end deadline started here
 * ({@code min(client's, configured)}), then
 * orders through this configuration's patterns. A pattern's refusal becomes the status the real
 * server maps it to (open breaker 503 + Retry-After, full bulkhead 503, spent deadline 504,
 * timeout 504, unreachable 502).
 *
 * <p>Not thread-safe: one run, one thread.
 */
final class Gateway {
    final Tally tally = new Tally("gateway");
    private final Stack stack;
    private final LoadShedder shedder; // null: no shedding in this configuration
    private final AdaptiveBulkhead frontDoor; // G's adaptive limit in the shedder's place, or null
    private final Hop orders;

    Gateway(Stack stack) {
        this.stack = stack;
        this.shedder = stack.setup.shedding() == null ? null
                : new LoadShedder("gateway-" + stack.setup.name(), stack.setup.shedding());
        this.frontDoor = stack.setup.adaptive() == null ? null : new AdaptiveBulkhead("gateway", stack.setup.adaptive(), stack.loop);
        this.orders = new Hop(stack, tally, "orders");
    }

    void create(String key, long deadlineHeaderMs, int product, Consumer<Reply> respond) {
        tally.received++;
        if (shedder != null && !shedder.tryAcquire()) {
            tally.shed++;
            respond.accept(Reply.retryAfter(503, shedder.retryAfter()));
            return;
        }
        Deadline configured = Deadline.after(stack.setup.deadline(), stack.loop);
        Deadline client = deadlineHeaderMs < 0 ? null : Deadline.after(Duration.ofMillis(deadlineHeaderMs), stack.loop);
        Deadline deadline = client != null && client.remaining().compareTo(configured.remaining()) < 0 ? client : configured;
        AdaptiveBulkhead.Permit permit = null;
        if (frontDoor != null) {
            try {
                permit = frontDoor.tryAcquire(deadline.timeoutFor(null));
            } catch (DeadlineExceededException spent) {
                respond.accept(Reply.of(504));
                return;
            }
            if (permit == null) {
                tally.shed++;
                respond.accept(Reply.retryAfter(503, Rejections.SHORTEST_RETRY_AFTER)); // as Rejections.shed(frontDoor)
                return;
            }
        }
        AdaptiveBulkhead.Permit admitted = permit;
        orders.call(deadline, (h, r) -> stack.orders.create(key, h, product, r), answer -> {
            if (shedder != null) {
                shedder.release();
            }
            if (admitted != null) {
                admitted.release(answer.error() == null ? Compartment.Outcome.ANSWERED : Compartment.Outcome.of(answer.error()));
            }
            respond.accept(relay(answer));
        });
    }

    /** A downstream answer passes through; an exception becomes the status the real server answers. */
    static Reply relay(Answer a) {
        if (a.reply() != null) {
            return a.reply();
        }
        return switch (a.error()) {
            case CircuitOpenException c -> Reply.retryAfter(503, c.retryAfterSeconds());
            case BulkheadFullException b -> Reply.retryAfter(503, 1);
            case DeadlineExceededException d -> Reply.of(504);
            case HttpTimeoutException t -> Reply.of(504);
            case IOException io -> Reply.of(502);
            default -> Reply.of(500);
        };
    }
}
