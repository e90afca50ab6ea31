package frl.resilience.compose;

import frl.resilience.BulkheadFullException;
import frl.resilience.Compartment;
import frl.resilience.DeadlineExceededException;
import frl.resilience.NanoClock;
import frl.resilience.breaker.CircuitBreaker;
import frl.resilience.retry.Verdict;

import java.time.Duration;

/**
 * One attempt admitted by {@link Resilience#enter}: it holds the breaker's permission (its ticket)
 * and a bulkhead slot, for the layers that are on, until {@link #returned} or {@link #threw} gives
 * them back and tells the breaker what happened. The breaker records what
 * {@link Verdict#isDownstreamFailure()} says; an attempt that never reached the downstream hands
 * the permission back unjudged.
 *
 * <p>Not thread-safe: the caller that entered reports, once; a second report throws.
 */
public final class Passage {
    private final CircuitBreaker breaker; // null: no breaker layer
    private final Compartment.Slot slot;  // null: no bulkhead layer, so no slot to give back
    private final NanoClock clock;
    private final Duration timeout;
    private final long ticket;
    private final long startNanos;
    private boolean reported;

    Passage(CircuitBreaker breaker, Compartment.Slot slot, NanoClock clock, Duration timeout,
            long ticket, long startNanos) {
        this.breaker = breaker;
        this.slot = slot;
        this.clock = clock;
        this.timeout = timeout;
        this.ticket = ticket;
        this.startNanos = startNanos;
    }

    /** The bound for this attempt, or null when no timeouts are configured. */
    public Duration timeout() {
        return timeout;
    }

    /** The attempt returned a result, which the caller's classifier judged {@code verdict}. */
    public void returned(Verdict verdict) {
        markReported();
        returned(verdict, breaker, slot, clock, ticket, startNanos);
    }

    /**
     * The attempt threw. Our own bulkhead's or deadline's refusal further in, an interrupt, or
     * an Error means the downstream was never asked: the permission is handed back unjudged.
     */
    public void threw(Throwable error) {
        markReported();
        threw(error, breaker, slot, clock, ticket, startNanos);
    }

    private void markReported() {
        if (reported) {
            throw new IllegalStateException("this attempt's outcome was already reported");
        }
        reported = true;
    }

    // The exits themselves, on the passage's fields as arguments: Resilience.call keeps them in locals.

    static void returned(Verdict verdict, CircuitBreaker breaker, Compartment.Slot slot, NanoClock clock,
                         long ticket, long startNanos) {
        exit(verdict.isDownstreamFailure(), Compartment.Outcome.ANSWERED, breaker, slot, clock, ticket, startNanos);
    }

    static void threw(Throwable error, CircuitBreaker breaker, Compartment.Slot slot, NanoClock clock,
                      long ticket, long startNanos) {
        boolean neverAsked = error instanceof BulkheadFullException || error instanceof DeadlineExceededException
                || error instanceof InterruptedException || !(error instanceof Exception);
        exit(neverAsked ? null : Verdict.of(error).isDownstreamFailure(),
                neverAsked ? Compartment.Outcome.NOT_SENT : Compartment.Outcome.of(error),
                breaker, slot, clock, ticket, startNanos);
    }

    private static void exit(Boolean failed, Compartment.Outcome outcome, CircuitBreaker breaker,
                             Compartment.Slot slot, NanoClock clock, long ticket, long startNanos) {
        if (slot != null) {
            slot.leave(outcome);
        }
        if (breaker == null) {
            return;
        }
        if (failed == null) {
            breaker.releasePermission(ticket);
        } else if (failed) {
            breaker.onFailure(ticket);
        } else {
            breaker.onSuccess(ticket, breaker.timesCalls() ? clock.nanoTime() - startNanos : 0);
        }
    }
}
