package frl.resilience;

import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

/**
 * A bulkhead whose size is an {@link AdaptiveLimit}: it admits calls while fewer than the current
 * limit are in flight, and feeds every ended call back to the limit as a sample.
 *
 * <p>It fills the bulkhead's slot in the composition ({@code Retry(CircuitBreaker(here(Timeout(call))))},
 * see {@link frl.resilience.compose.Resilience}; it and {@link Bulkhead} are each a {@link Compartment})
 * and refuses the same way, with {@link BulkheadFullException} naming it (503; never retried, never
 * held against the downstream by the breaker). At a service's front door it replaces a fixed
 * {@link LoadShedder}: {@link #tryAcquire} refuses with a return value, and the budget is the
 * client's deadline.
 *
 * <p><b>Of one call:</b>
 * <pre>
 *   ASK -&gt; ADMITTED  inFlight &lt; limit: a {@link Permit}, inFlight + 1
 *   ASK -&gt; REFUSED   otherwise: null from tryAcquire (BulkheadFullException from execute), counted
 *   ADMITTED -&gt; release(ANSWERED)   any answer, or an error that came back: a sample of its latency
 *   ADMITTED -&gt; release(TIMED_OUT)  no answer within its budget: a sample that used all of it
 *   ADMITTED -&gt; release(NOT_SENT)   interrupted, or its deadline was spent before it went: no sample
 * </pre>
 * A permit is released exactly once; a second release is a bug and throws. When the limit falls
 * below the calls in flight, none is cancelled: new calls wait for the count to drain below it.
 *
 * <p>The budget is the timeout the call is given, {@code min(hopTimeout, deadline.remaining())},
 * known before it starts ({@link Deadline#timeoutFor}). G always runs with timeouts; a call
 * without one has no yardstick, so the caller passes the longest wait it would accept.
 *
 * <p>Thread-safe: the bulkhead's monitor ({@code this}) guards the estimate, the in-flight count
 * and the refusal count. A lock, not a CAS loop, because a release changes the count and the
 * estimate together; it is held for a handful of arithmetic operations and never while blocking.
 * The clock is read outside it, twice per call (start and end). {@link #limit()} is what the
 * metrics and {@code /status} report. A release happens-before any acquire that sees its effect.
 */
public final class AdaptiveBulkhead implements Compartment {

    /** How an admitted call ended, as far as the limit is concerned. */

    private final String name;
    private final AdaptiveLimit.Config config;
    private final NanoClock clock;
    /** Guarded by "this". */
    private AdaptiveLimit.Estimate estimate;
    private int inFlight;
    private long rejections;

    public AdaptiveBulkhead(String name, AdaptiveLimit.Config config, NanoClock clock) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.estimate = AdaptiveLimit.initial(config);
    }

    /** One admitted call. Not thread-safe: it belongs to the thread making the call. */
    public final class Permit implements Compartment.Slot {
        private final long startNanos;
        private final long budgetNanos;
        private final int inFlightAtStart;
        private boolean released;

        private Permit(long startNanos, long budgetNanos, int inFlightAtStart) {
            this.startNanos = startNanos;
            this.budgetNanos = budgetNanos;
            this.inFlightAtStart = inFlightAtStart;
        }

        @Override
        public void leave(Outcome outcome) {
            release(outcome);
        }

        /** Ends the call, giving its slot back and, unless NOT_SENT, its latency to the limit. */
        public void release(Outcome outcome) {
            Objects.requireNonNull(outcome, "outcome");
            if (released) {
                throw new IllegalStateException("adaptive bulkhead '" + name + "': permit released twice");
            }
            released = true;
            long rtt = Math.max(0, clock.nanoTime() - startNanos);
            ended(outcome == Outcome.NOT_SENT ? null
                    : new AdaptiveLimit.Sample(rtt, budgetNanos, inFlightAtStart, outcome == Outcome.TIMED_OUT));
        }
    }

    /**
     * Admits a call that will be given {@code budget} (its timeout), or refuses it.
     *
     * @return the permit to release once the call has ended, or null: refused, answer 503 now
     */
    public Permit tryAcquire(Duration budget) {
        long budgetNanos = budget.toNanos();
        if (budgetNanos <= 0) {
            throw new IllegalArgumentException("adaptive bulkhead '" + name + "': budget must be positive, was " + budget);
        }
        long now = clock.nanoTime();
        synchronized (this) {
            if (inFlight >= estimate.permits()) {
                rejections++;
                return null;
            }
            inFlight++;
            return new Permit(now, budgetNanos, inFlight);
        }
    }

    /**
     * Admits a call that will be given {@code budget}, or refuses it with
     * {@link BulkheadFullException} (the composition's entry; {@link #tryAcquire} is the same as a
     * return value).
     */
    @Override
    public Permit enter(Duration budget) {
        Permit permit = tryAcquire(budget);
        if (permit == null) {
            throw new BulkheadFullException(name, limit());
        }
        return permit;
    }

    /** The one place the estimate changes: a call ended, with a sample or (null) without one. */
    private synchronized void ended(AdaptiveLimit.Sample sample) {
        inFlight--;
        if (sample != null) {
            estimate = AdaptiveLimit.next(estimate, sample, config);
        }
    }

    @Override
    public String name() {
        return name;
    }

    public AdaptiveLimit.Config config() {
        return config;
    }

    /** Calls that may be in flight now. */
    public synchronized int limit() {
        return estimate.permits();
    }

    public synchronized AdaptiveLimit.Estimate estimate() {
        return estimate;
    }

    public synchronized int inFlight() {
        return inFlight;
    }

    /** Calls refused since creation (or the last {@link #resetCounts()}). */
    @Override
    public synchronized long rejections() {
        return rejections;
    }

    /** Zeroes the refusal count (for {@code POST /admin/reset}); the limit and the calls in flight are untouched. */
    @Override
    public synchronized void resetCounts() {
        rejections = 0;
    }
}
