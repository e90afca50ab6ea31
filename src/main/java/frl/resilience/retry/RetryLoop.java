package frl.resilience.retry;

import frl.resilience.Deadline;
import frl.resilience.DeadlineExceededException;
import frl.resilience.NanoClock;
import frl.resilience.RetryGate;
import frl.resilience.Sleeper;
import frl.resilience.retry.Retry.Listener;
import frl.resilience.retry.Retry.Next;
import frl.resilience.retry.Retry.Policy;
import frl.resilience.retry.Retry.Step;

import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * The loop behind {@link Retry#call}: attempt, judge, sleep, attempt again. One per Retry, made
 * with it and shared by all its calls; it holds only what the Retry was built with. A call's own
 * state lives in this loop's locals and, once it needs one, in an {@link Attempts}: a first
 * attempt that ends the call with no listener to tell makes none, so a success allocates nothing.
 *
 * <p>Thread-safe if the listener and random source are: nothing here changes after construction.
 */
final class RetryLoop {
    final Policy policy;
    private final NanoClock clock;
    private final Sleeper sleeper;
    private final DoubleSupplier random;
    private final Listener listener; // null: none, and then no attempt is timed (no clock read)
    private final boolean timed;
    /** Asked last, once every other check said retry, so every retry it grants is made. */
    private final RetryGate gate;

    RetryLoop(Policy policy, NanoClock clock, Sleeper sleeper, DoubleSupplier random, Listener listener, RetryGate gate) {
        this.policy = policy;
        this.clock = clock;
        this.sleeper = sleeper;
        this.random = random;
        this.listener = listener;
        this.timed = listener != null;
        this.gate = gate;
    }

    /** {@link Retry#call(Deadline, Object, Object, Step, Function)}. */
    <A, B, T> T run(Deadline deadline, A first, B second, Step<? super A, ? super B, T> step,
                    Function<? super T, Verdict> classifier) throws Exception {
        admit(deadline);
        Attempts attempts = null; // made at the first outcome that needs one (below)
        while (true) {
            T result = null;
            Exception error = null;
            Verdict verdict;
            long start = timed ? clock.nanoTime() : 0; // only a listener asks how long an attempt took
            try {
                result = step.run(first, second, deadline, classifier);
                verdict = classifier.apply(result);
            } catch (Exception e) {
                error = e;
                verdict = Verdict.of(e);
            }
            if (attempts == null) {
                // A first attempt that ends the call, with no listener to tell, needs no Attempts,
                // so a success allocates nothing whatever the JIT inlines (inside Resilience it
                // did not remove the object: 48 B per call, found with JFR's allocation samples).
                if (listener == null && !(verdict instanceof Verdict.Retryable)) {
                    return outcome(result, error);
                }
                attempts = new Attempts(policy, random, listener, deadline, gate);
            }
            if (attempts.judge(verdict, error, timed ? clock.nanoTime() - start : 0) != Next.RETRY
                    || !waitThenResume(attempts, error)) {
                return outcome(result, error);
            }
        }
    }

    /** {@link Retry#start}. */
    Attempts start(Deadline deadline) {
        admit(deadline);
        return new Attempts(policy, random, listener, deadline, gate);
    }

    /** The checks before a call's first attempt. */
    private void admit(Deadline deadline) {
        if (deadline != null && deadline.isExpired()) {
            throw new DeadlineExceededException("deadline spent before the first attempt");
        }
        gate.onRequest(); // the budget counts calls, not attempts
    }

    /** Sleeps the chosen delay; false if the call must stop with its last outcome instead. */
    private boolean waitThenResume(Attempts attempts, Exception error) {
        try {
            sleeper.sleep(attempts.delay());
        } catch (InterruptedException interrupt) {
            // Someone wants this thread to stop: say so to whoever looks next, and stop.
            Thread.currentThread().interrupt();
            if (error != null) {
                error.addSuppressed(interrupt);
            }
            return false;
        }
        return attempts.resume(); // false if the sleep overran the deadline (a real clock can)
    }

    private static <T> T outcome(T result, Exception error) throws Exception {
        if (error != null) {
            throw error;
        }
        return result;
    }
}
