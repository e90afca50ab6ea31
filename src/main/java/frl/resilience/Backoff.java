package frl.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * Backoff and jitter: how long to wait before retry number {@code n}.
 *
 * <p><b>The failure it prevents.</b> A downstream blips; a thousand clients see the error in the
 * same millisecond and retry in the same millisecond, so the service that was recovering gets a
 * second spike exactly when it is weakest. Backoff spreads one client's retries out in time;
 * jitter spreads many clients' retries apart from each other.
 *
 * <p><b>Schedules</b> ({@code n} = retry number, 1 = the first retry; {@code b} = base,
 * {@code c} = cap, {@code r} = a random draw in [0, 1)):
 * <pre>
 *   Kind.NONE          e(n) = 0                     retry at once (only for tests and Config A)
 *   Kind.FIXED         e(n) = b                     b == c
 *   Kind.EXPONENTIAL   e(n) = min(c, b * 2^(n-1))   100, 200, 400, ... ms
 * </pre>
 * <b>Jitter</b>, as defined by Marc Brooker, "Exponential Backoff and Jitter" (AWS Architecture
 * Blog, 2015), applied to {@code e = e(n)}:
 * <pre>
 *   Jitter.NONE          e                                 every client in lockstep
 *   Jitter.FULL          r * e                             anywhere in [0, e)
 *   Jitter.EQUAL         e/2 + r * (e - e/2)               never less than half the schedule
 *   Jitter.DECORRELATED  min(c, b + r * (3 * prev - b))    grows from the previous delay, not
 *                                                          from n (prev = b before the first)
 * </pre>
 * Brooker's simulation found FULL and DECORRELATED do the least total work; NONE the most.
 * Every result lies in [0, cap]: {@link #delay} is a pure function of its arguments, so the
 * tests check it as a table and randomness stays with the caller (who seeds it).
 *
 * <p><b>Knobs</b> (defaults quoted by the docs):
 * <ul>
 * <li>{@link #DEFAULT_BASE} 100 ms (the spec's {@code base_delay}). Too small: the retry lands
 *     while the fault is still there. Too large: the caller's deadline is spent waiting.
 * <li>{@link #DEFAULT_CAP} 2 s. Too large: one client waits longer than anyone will care about
 *     (the retry's deadline check then gives up instead). Must be at least the base.
 * <li>{@link #DEFAULT_JITTER} FULL. NONE synchronises clients into waves: Config B shows it.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public record Backoff(Kind kind, Duration base, Duration cap, Jitter jitter) {

    public enum Kind { NONE, FIXED, EXPONENTIAL }

    public enum Jitter { NONE, FULL, EQUAL, DECORRELATED }

    public static final Duration DEFAULT_BASE = Duration.ofMillis(100);
    public static final Duration DEFAULT_CAP = Duration.ofSeconds(2);
    public static final Jitter DEFAULT_JITTER = Jitter.FULL;
    /** Keeps {@code 3 * prev} and {@code b * 2^n} inside a long of nanoseconds. */
    public static final Duration MAX_CAP = Duration.ofDays(1);

    public Backoff {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(cap, "cap");
        Objects.requireNonNull(jitter, "jitter");
        if (base.isNegative() || cap.isNegative()) {
            throw new IllegalArgumentException("backoff base and cap must not be negative, were " + base + " and " + cap);
        }
        if (cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff cap " + cap + " is below its base " + base);
        }
        if (cap.compareTo(MAX_CAP) > 0) {
            throw new IllegalArgumentException("backoff cap must be at most " + MAX_CAP + ", was " + cap);
        }
        if (kind == Kind.NONE && (!base.isZero() || jitter != Jitter.NONE)) {
            throw new IllegalArgumentException("Kind.NONE takes zero base and Jitter.NONE, was base " + base + ", jitter " + jitter);
        }
        if (kind == Kind.EXPONENTIAL && base.isZero()) {
            throw new IllegalArgumentException("Kind.EXPONENTIAL needs a positive base, was " + base);
        }
        if (kind == Kind.FIXED && !base.equals(cap)) {
            throw new IllegalArgumentException("Kind.FIXED needs base == cap, was " + base + " and " + cap);
        }
        if (jitter == Jitter.DECORRELATED && kind != Kind.EXPONENTIAL) {
            // Decorrelated jitter is its own growth rule; pairing it with a fixed schedule means nothing.
            throw new IllegalArgumentException("Jitter.DECORRELATED needs Kind.EXPONENTIAL, was " + kind);
        }
    }

    /** No wait at all between attempts. */
    public static Backoff none() {
        return new Backoff(Kind.NONE, Duration.ZERO, Duration.ZERO, Jitter.NONE);
    }

    /** The same delay before every retry, optionally jittered. */
    public static Backoff fixed(Duration delay, Jitter jitter) {
        return new Backoff(Kind.FIXED, delay, delay, jitter);
    }

    /** Doubling from {@code base}, never above {@code cap}. */
    public static Backoff exponential(Duration base, Duration cap, Jitter jitter) {
        return new Backoff(Kind.EXPONENTIAL, base, cap, jitter);
    }

    /** The lab's default: exponential from 100 ms, capped at 2 s, full jitter. */
    public static Backoff defaults() {
        return exponential(DEFAULT_BASE, DEFAULT_CAP, DEFAULT_JITTER);
    }

    /**
     * The wait before retry {@code retryNumber}.
     *
     * @param retryNumber   1 for the first retry (the second attempt), 2 for the next, ...
     * @param previousDelay the delay this method returned last time; only DECORRELATED reads it
     *                      (null or below the base counts as the base)
     * @param draw          a random number in [0, 1); ignored by Jitter.NONE
     * @return a delay in [0, cap]
     */
    public Duration delay(int retryNumber, Duration previousDelay, double draw) {
        if (retryNumber < 1) {
            throw new IllegalArgumentException("retryNumber starts at 1 (the first retry), was " + retryNumber);
        }
        if (!(draw >= 0.0 && draw < 1.0)) { // also rejects NaN
            throw new IllegalArgumentException("draw must lie in [0, 1), was " + draw);
        }
        long b = base.toNanos();
        long c = cap.toNanos();
        long e = switch (kind) {
            case NONE -> 0;
            case FIXED -> b;
            case EXPONENTIAL -> doubled(b, retryNumber - 1, c);
        };
        long nanos = switch (jitter) {
            case NONE -> e;
            case FULL -> (long) (draw * e);
            case EQUAL -> e / 2 + (long) (draw * (e - e / 2));
            case DECORRELATED -> {
                long prev = previousDelay == null ? b : Math.min(c, Math.max(b, previousDelay.toNanos()));
                yield Math.min(c, b + (long) (draw * (3 * prev - b)));
            }
        };
        return Duration.ofNanos(nanos);
    }

    /** min(cap, base * 2^doublings), without overflowing on a large retry number. */
    private static long doubled(long base, int doublings, long cap) {
        if (base == 0) {
            return 0;
        }
        if (doublings >= Long.numberOfLeadingZeros(base) - 1 || base << doublings > cap) {
            return cap;
        }
        return base << doublings;
    }
}
