package frl.resilience.retry;

import frl.resilience.Backoff;
import frl.resilience.Deadline;
import frl.resilience.DeadlineExceededException;
import frl.resilience.NanoClock;
import frl.resilience.RetryGate;
import frl.resilience.Sleeper;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * Retry: try a failed call again, a bounded number of times, after a backoff.
 *
 * <p><b>The failure it prevents.</b> A transient fault (a dropped connection, a restarting
 * instance, one overloaded moment) fails a request that would have succeeded a moment later.
 * <b>The failure it causes</b> when used naively: every retry is extra load on a service that is
 * already failing. With 3 attempts per hop and two hops, one click can become 9 calls at the
 * bottom, which is how retries can turn a partial failure into an outage (the experiment's
 * Config B measures how much). So this retry is
 * bounded by attempts, spaced by {@link Backoff} with jitter, cut off by the {@link Deadline},
 * and it never retries a rejection by a circuit breaker or bulkhead: those layers exist to stop
 * load from growing, and retrying their "no" would multiply exactly the traffic they refused.
 *
 * <p><b>States of one call</b> ({@code n} counts attempts, the first is 1):
 * <pre>
 *   ATTEMPT(n) -&gt; DONE               Success or NonRetryable verdict: return it / throw it
 *   ATTEMPT(n) -&gt; GIVE_UP_ATTEMPTS   Retryable, but n == maxAttempts
 *   ATTEMPT(n) -&gt; GIVE_UP_RETRY_AFTER Retryable, but the server asked for more than maxRetryAfter
 *   ATTEMPT(n) -&gt; GIVE_UP_DEADLINE   Retryable, but the wait would reach the deadline: a sleep
 *                                    that ends with no time left can only end in a 504
 *   ATTEMPT(n) -&gt; GIVE_UP_BUDGET     Retryable, and every check above said retry, but the
 *                                    {@link RetryGate} refused (a retry budget that is spent)
 *   ATTEMPT(n) -&gt; SLEEP -&gt; ATTEMPT(n+1)
 *   SLEEP      -&gt; STOP               interrupted: the flag is restored and the last outcome returned
 * </pre>
 * Giving up returns the last result (say, the 503 response) or throws the last exception, so
 * the caller sees the real failure, not a wrapper. The wait is the backoff; when the server sent
 * {@code Retry-After}, it is that plus the backoff, so clients told the same number do not all
 * come back in the same instant.
 *
 * <p><b>Knobs</b> ({@link Policy}): {@link Policy#DEFAULT_MAX_ATTEMPTS} 3, counting the first
 * (the spec's {@code max_attempts}); more multiplies load on a sick service, 1 turns retry off.
 * Backoff {@link Backoff#defaults()}: 100 ms base, full jitter. {@link Policy#DEFAULT_MAX_RETRY_AFTER}
 * 10 s: a server asking for a longer pause is answered by giving up, not by parking a thread.
 *
 * <p>Thread-safe if its listener and random source are: a call keeps all its state in the locals
 * of {@link RetryLoop} and in its own {@link Attempts}, so one Retry serves every request of a
 * service. The listener runs on the calling thread, once per attempt, before any sleep.
 *
 * <p>Here: the policy, the listener's view of an attempt, and the public calls. The loop itself,
 * with its sleep and its interrupt handling, is {@link RetryLoop}; the decision after each attempt
 * (the table above, as code) is {@link Attempts#judge}.
 */
public final class Retry {

    /** How many attempts, spaced how. */
    public record Policy(int maxAttempts, Backoff backoff, Duration maxRetryAfter) {
        public static final int DEFAULT_MAX_ATTEMPTS = 3;
        public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(10);

        public Policy {
            Objects.requireNonNull(backoff, "backoff");
            Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts counts the first attempt and must be at least 1, was " + maxAttempts);
            }
            if (maxRetryAfter.isNegative()) {
                throw new IllegalArgumentException("maxRetryAfter must not be negative, was " + maxRetryAfter);
            }
        }

        public static Policy defaults() {
            return new Policy(DEFAULT_MAX_ATTEMPTS, Backoff.defaults(), DEFAULT_MAX_RETRY_AFTER);
        }

        public static Policy of(int maxAttempts, Backoff backoff) {
            return new Policy(maxAttempts, backoff, DEFAULT_MAX_RETRY_AFTER);
        }
    }

    /** What happens after an attempt. */
    public enum Next { RETRY, DONE, GIVE_UP_ATTEMPTS, GIVE_UP_RETRY_AFTER, GIVE_UP_DEADLINE, GIVE_UP_BUDGET }

    /**
     * One attempt, as the listener sees it. {@code error} is what the attempt threw (null if it
     * returned); {@code delay} is the wait chosen before the next attempt (zero unless RETRY).
     */
    public record Event(int attempt, Verdict verdict, Throwable error, long durationNanos, Next next, Duration delay) {}

    /** Told of every attempt, in order; metrics count attempts and retries (attempt &gt; 1) from it. */
    @FunctionalInterface
    public interface Listener {
        void onAttempt(Event event);
    }

    /** What the constructor was given, and the loop every call runs: {@link RetryLoop}. */
    private final RetryLoop loop;

    /**
     * @param random   draws in [0, 1) for the jitter, seeded by the caller; shared by every thread
     *                 using this Retry, so it must be thread-safe: {@code new Random(seed)::nextDouble}
     *                 is ({@code SplittableRandom} is not)
     * @param listener null for none
     */
    public Retry(Policy policy, NanoClock clock, Sleeper sleeper, DoubleSupplier random, Listener listener) {
        this(policy, clock, sleeper, random, listener, RetryGate.UNLIMITED);
    }

    /** @param gate told of every call, asked before every retry ({@link RetryGate#UNLIMITED}: always yes) */
    public Retry(Policy policy, NanoClock clock, Sleeper sleeper, DoubleSupplier random, Listener listener, RetryGate gate) {
        this.loop = new RetryLoop(Objects.requireNonNull(policy, "policy"), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(sleeper, "sleeper"), Objects.requireNonNull(random, "random"), listener,
                Objects.requireNonNull(gate, "gate"));
    }

    public Policy policy() {
        return loop.policy;
    }

    /**
     * Runs {@code attempt} until its verdict is final, attempts run out, or the deadline would be
     * passed. Results are judged by {@code classifier}; exceptions by {@link Verdict#of}.
     *
     * @param deadline null for none (then only maxAttempts bounds the call)
     * @return the last attempt's result
     * @throws DeadlineExceededException if the deadline is already spent: no attempt is made
     * @throws Exception                 the last attempt's exception, unwrapped
     */
    public <T> T call(Deadline deadline, Callable<T> attempt, Function<? super T, Verdict> classifier) throws Exception {
        return loop.run(deadline, attempt, null, (callable, unused, d, c) -> callable.call(), classifier);
    }

    /**
     * One attempt, handed on every try what it needs instead of capturing it. A lambda that
     * captured the call's arguments would be a new object per call, which the JIT cannot remove
     * once it is passed into this loop (32 B per call, measured in PatternBenchmarks); a lambda or
     * method reference that captures nothing ({@code Resilience::once}, whose {@code this} is
     * {@code first}) is one object for good.
     */
    @FunctionalInterface
    public interface Step<A, B, T> {
        T run(A first, B second, Deadline deadline, Function<? super T, Verdict> classifier) throws Exception;
    }

    /** As {@link #call(Deadline, Callable, Function)}, each attempt being {@code step.run(first, second, deadline, classifier)}. */
    public <A, B, T> T call(Deadline deadline, A first, B second, Step<? super A, ? super B, T> step,
                            Function<? super T, Verdict> classifier) throws Exception {
        return loop.run(deadline, first, second, step, classifier);
    }

    /**
     * The attempts of one call, for a caller that cannot block in {@link #call} (the simulator in
     * {@code frl.sim} waits on its own event queue instead): {@link Attempts#judge} each outcome,
     * wait {@link Attempts#delay()} however the caller waits, then {@link Attempts#resume()}.
     * {@link #call} is this loop with a {@link Sleeper}, so both run the same decisions.
     *
     * @throws DeadlineExceededException if the deadline is already spent: make no attempt
     */
    public Attempts start(Deadline deadline) {
        return loop.start(deadline);
    }
}
