package frl.resilience.compose;

import frl.resilience.BulkheadFullException;
import frl.resilience.Compartment;
import frl.resilience.Deadline;
import frl.resilience.DeadlineExceededException;
import frl.resilience.LoadShedder;
import frl.resilience.NanoClock;
import frl.resilience.breaker.CircuitBreaker;
import frl.resilience.breaker.CircuitOpenException;
import frl.resilience.retry.Retry;
import frl.resilience.retry.Verdict;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Composition: the one place the patterns are stacked around an outgoing call, outermost first:
 * <pre>
 *   Retry( CircuitBreaker( Bulkhead( Timeout( call ) ) ) )
 * </pre>
 * Every layer is optional (null = off), so the experiment's configurations switch layers without
 * changing the call site: A = none, B = retry, C = B + timeout, D = C + breaker, E = D + bulkhead.
 * (Load shedding guards a service's own entrance, not its outgoing calls: see {@link LoadShedder}.)
 *
 * <p><b>Why this order.</b>
 * <ul>
 * <li><b>Retry outside the breaker.</b> Every attempt passes the breaker, so the breaker counts
 *     every failure (inside it, it would see one outcome per three attempts and stay closed while
 *     retries tripled the load), and once it opens, the next attempt gets a
 *     {@code CircuitOpenException}, which {@link Retry} never retries: an open breaker ends the
 *     retries at once instead of feeding them.
 * <li><b>Breaker outside the bulkhead.</b> An open breaker refuses without taking a bulkhead slot,
 *     leaving the slots to calls that may succeed. A bulkhead rejection is handed back to the
 *     breaker as "never made" ({@code releasePermission}), not as a failure: a full bulkhead says
 *     <em>we</em> have too many calls in flight, not that the downstream is failing, and counting it
 *     would let a burst of our own traffic open the breaker on a healthy service for 30 s.
 *     A slow downstream, the usual reason the bulkhead fills, still reaches the breaker through
 *     the timeouts and slow calls of the calls that do run.
 * <li><b>Timeout innermost.</b> Each attempt gets its own bound, computed as late as possible
 *     (after any wait for a slot) from what is left of the deadline:
 *     {@code min(hopTimeout, deadline.remaining())}. So a retry near the deadline gets a shorter
 *     timeout than the first attempt did, and no attempt can outlive the request. A timeout
 *     outside the retry would bound all attempts together, which is the deadline's job.
 * </ul>
 * The call applies the timeout it is given itself (for {@code java.net.http}:
 * {@code HttpRequest.Builder.timeout(t)}): the client that owns the socket is the one that can
 * abandon it. A timed-out call throws {@code HttpTimeoutException}, which {@link Verdict#of}
 * treats as transient for the retry and as a failure for the breaker.
 *
 * <p>The breaker records what {@link Verdict#isDownstreamFailure()} says: a 4xx is the
 * downstream working correctly; a rejection by our bulkhead, a spent deadline and an interrupt
 * release the permission instead, since the downstream was never asked.
 *
 * <p>Immutable and thread-safe if its layers are (they are); a {@link Passage} belongs to one
 * attempt. Knobs: each layer's own.
 */
public record Resilience(Retry retry, CircuitBreaker breaker, Compartment bulkhead, Duration hopTimeout, NanoClock clock) {

    /** One try of the call, bounded by {@code timeoutOrNull} (null: no timeouts configured). */
    @FunctionalInterface
    public interface Attempt<T> {
        T run(Duration timeoutOrNull) throws Exception;
    }

    public Resilience {
        Objects.requireNonNull(clock, "clock");
        if (hopTimeout != null && !hopTimeout.isPositive()) {
            throw new IllegalArgumentException("hopTimeout must be positive or null (off), was " + hopTimeout);
        }
    }

    /** Every layer off (Config A): the call runs once, with no timeout. */
    public static Resilience none(NanoClock clock) {
        return new Resilience(null, null, null, null, clock);
    }

    public Resilience withRetry(Retry r) {
        return new Resilience(r, breaker, bulkhead, hopTimeout, clock);
    }

    public Resilience withBreaker(CircuitBreaker b) {
        return new Resilience(retry, b, bulkhead, hopTimeout, clock);
    }

    public Resilience withBulkhead(Compartment b) {
        return new Resilience(retry, breaker, b, hopTimeout, clock);
    }

    public Resilience withHopTimeout(Duration t) {
        return new Resilience(retry, breaker, bulkhead, t, clock);
    }

    /**
     * Runs {@code attempt} through every layer that is on.
     *
     * @param deadline   the request's deadline, or null for none
     * @param classifier what a result means, e.g. {@code r -> Verdict.ofHttp(r.status(), r.header("Retry-After"))}
     * @return the last attempt's result (which may be a failed response, once retries are exhausted)
     * @throws frl.resilience.breaker.CircuitOpenException if the breaker refused (503)
     * @throws BulkheadFullException                         if the bulkhead refused (503)
     * @throws DeadlineExceededException                     if the deadline was spent (504)
     * @throws Exception                                     the last attempt's own exception
     */
    public <T> T call(Deadline deadline, Attempt<T> attempt, Function<? super T, Verdict> classifier) throws Exception {
        // Resilience::once captures nothing (this is its first argument), so it is one object for
        // good; a lambda capturing the call's arguments cost 32 B per call (see Retry.Step).
        return retry == null ? once(attempt, deadline, classifier) : retry.call(deadline, this, attempt, Resilience::once, classifier);
    }

    /**
     * One attempt through the breaker, the bulkhead and the timeout: {@link #enter}'s steps, with
     * the passage kept in locals. The success path of every outgoing call runs here, and an object
     * per attempt would be garbage the JIT may or may not remove (measured: 48 B per call when not).
     */
    private <T> T once(Attempt<T> attempt, Deadline deadline, Function<? super T, Verdict> classifier) throws Exception {
        long start = breaker == null ? 0 : clock.nanoTime(); // also the time the breaker judges permission by
        long ticket = breaker == null ? CircuitBreaker.REFUSED : breaker.acquirePermission(start);
        Compartment.Slot slot = takeSlot(deadline, ticket);
        Duration timeout = timeoutAfterSlot(deadline, slot, ticket);
        T result;
        Verdict verdict;
        try {
            result = attempt.run(timeout);
            verdict = classifier.apply(result);
        } catch (Throwable t) {
            Passage.threw(t, breaker, slot, clock, ticket, start);
            throw t;
        }
        Passage.returned(verdict, breaker, slot, clock, ticket, start);
        return result;
    }

    /**
     * Takes one attempt through the breaker, the bulkhead and the timeout, in that order; the
     * caller makes the call with {@link Passage#timeout()} and then reports how it ended, exactly
     * once. {@link #call} does the same around every attempt; a caller that cannot block (the
     * simulator in {@code frl.sim}) does it across events, and gets the same layers.
     *
     * @throws frl.resilience.breaker.CircuitOpenException if the breaker refused
     * @throws BulkheadFullException                         if the bulkhead refused (the breaker's permission is handed back)
     * @throws DeadlineExceededException                     if nothing is left of the deadline (slot and permission handed back)
     * @throws InterruptedException                          if interrupted waiting for a slot (likewise)
     */
    public Passage enter(Deadline deadline) throws InterruptedException {
        long start = breaker == null ? 0 : clock.nanoTime();
        long ticket = breaker == null ? CircuitBreaker.REFUSED : breaker.acquirePermission(start);
        Compartment.Slot slot = takeSlot(deadline, ticket);
        return new Passage(breaker, slot, clock, timeoutAfterSlot(deadline, slot, ticket), ticket, start);
    }

    /** A slot (null without a bulkhead); refused or interrupted, the breaker's permission goes back. */
    private Compartment.Slot takeSlot(Deadline deadline, long ticket) throws InterruptedException {
        if (bulkhead == null) {
            return null;
        }
        try {
            // The compartment is told the bound the call will get: an adaptive one measures
            // the call's latency against it; a fixed bulkhead ignores it.
            return bulkhead.enter(timeout(deadline));
        } catch (RuntimeException | InterruptedException neverAsked) {
            handBack(null, ticket);
            throw neverAsked;
        }
    }

    /** The attempt's bound, computed after any wait for a slot; a spent deadline hands slot and permission back. */
    private Duration timeoutAfterSlot(Deadline deadline, Compartment.Slot slot, long ticket) {
        try {
            return timeout(deadline);
        } catch (RuntimeException spent) {
            handBack(slot, ticket);
            throw spent;
        }
    }

    private void handBack(Compartment.Slot slot, long ticket) {
        if (slot != null) {
            slot.leave(Compartment.Outcome.NOT_SENT);
        }
        if (breaker != null) {
            breaker.releasePermission(ticket);
        }
    }

    private Duration timeout(Deadline deadline) {
        return deadline == null ? hopTimeout : deadline.timeoutFor(hopTimeout);
    }
}
