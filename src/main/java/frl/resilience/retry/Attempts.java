package frl.resilience.retry;

import frl.resilience.Deadline;
import frl.resilience.RetryGate;
import frl.resilience.retry.Retry.Event;
import frl.resilience.retry.Retry.Listener;
import frl.resilience.retry.Retry.Next;
import frl.resilience.retry.Retry.Policy;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The attempts of one call, from {@link Retry#start}: its attempt number and last backoff, and
 * the decision after each attempt ({@link Retry}'s class comment lists the states). {@link #judge}
 * an outcome; on RETRY wait {@link #delay()} however the caller waits, then {@link #resume()}.
 * {@link Retry#call} is that loop with a sleeper; the simulator in {@code frl.sim} waits on its
 * own event queue instead, and both run these decisions.
 *
 * <p>Not thread-safe: one caller drives one call.
 */
public final class Attempts {
    private final Policy policy;
    private final DoubleSupplier random;
    private final Listener listener; // null: none
    private final Deadline deadline; // null: only maxAttempts bounds the call
    private final RetryGate gate;    // asked last, once every other check said retry
    private int n = 1;
    private Duration previousBackoff;
    private Duration backoff = Duration.ZERO;
    private Duration delay = Duration.ZERO;

    Attempts(Policy policy, DoubleSupplier random, Listener listener, Deadline deadline, RetryGate gate) {
        this.policy = policy;
        this.random = random;
        this.listener = listener;
        this.deadline = deadline;
        this.gate = gate;
    }

    /** The attempt being made: 1 for the first. */
    public int number() {
        return n;
    }

    /**
     * Decides what follows the current attempt, which ended with {@code verdict} ({@code error}
     * if it threw) after {@code tookNanos}, and tells the listener. On RETRY, wait
     * {@link #delay()} and call {@link #resume()}; anything else ends the call with this outcome.
     */
    public Next judge(Verdict verdict, Throwable error, long tookNanos) {
        backoff = Duration.ZERO;
        delay = Duration.ZERO;
        Next next;
        if (!(verdict instanceof Verdict.Retryable retryable)) {
            next = Next.DONE;
        } else if (n >= policy.maxAttempts()) {
            next = Next.GIVE_UP_ATTEMPTS;
        } else if (retryable.retryAfter() != null && retryable.retryAfter().compareTo(policy.maxRetryAfter()) > 0) {
            next = Next.GIVE_UP_RETRY_AFTER;
        } else {
            backoff = policy.backoff().delay(n, previousBackoff, random.getAsDouble());
            delay = retryable.retryAfter() == null ? backoff : retryable.retryAfter().plus(backoff);
            // Strictly less: a wait that ends exactly at the deadline leaves no time to call.
            next = deadline != null && delay.compareTo(deadline.remaining()) >= 0 ? Next.GIVE_UP_DEADLINE
                    : gate.tryAcquireRetry() ? Next.RETRY : Next.GIVE_UP_BUDGET;
        }
        if (next != Next.RETRY) {
            delay = Duration.ZERO;
        }
        if (listener != null) {
            listener.onAttempt(new Event(n, verdict, error, tookNanos, next, delay));
        }
        return next;
    }

    /** The wait the last {@link #judge} chose before the next attempt (zero unless RETRY). */
    public Duration delay() {
        return delay;
    }

    /**
     * After the wait: moves on to the next attempt and returns true, or returns false if the
     * deadline passed during the wait (no attempt could finish; the last outcome stands).
     */
    public boolean resume() {
        if (deadline != null && deadline.isExpired()) {
            return false;
        }
        previousBackoff = backoff; // the backoff alone: a server's Retry-After must not inflate the next one
        n++;
        return true;
    }
}
