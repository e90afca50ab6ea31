package frl.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts and deadlines: a request's whole time budget, and each hop's share of it.
 *
 * <p><b>The failure it prevents.</b> The client gave up after 25 s, but orders is still waiting
 * on payments, which is still waiting on its database: every hop keeps working for an answer
 * nobody will read, holding threads and connections that live requests need. A per-hop timeout
 * alone does not stop it: three hops with 10 s each can run for 30 s after a 25 s deadline.
 * A deadline travels with the request, and every hop's timeout is cut to what is left of it.
 *
 * <p><b>States.</b> A deadline is a point on the monotonic clock; it is only ever
 * <pre>
 *   LIVE     remaining() &gt; 0     timeoutFor(hop) = min(hop, remaining())
 *   EXPIRED  remaining() == 0    timeoutFor(hop) throws DeadlineExceededException (HTTP 504)
 * </pre>
 * and it moves from LIVE to EXPIRED by the clock alone, never back.
 *
 * <p><b>On the wire</b> it is {@value #HEADER}: the budget <em>remaining</em>, in whole
 * milliseconds, rounded down. Never an absolute time: two hosts' wall clocks never agree (NTP
 * keeps them within milliseconds on a good day, seconds on a bad one), and a deadline of
 * "12:00:03.250" read on a host running 2 s fast is already over. A remaining budget needs no
 * agreement, only each host's own monotonic clock; it loses the network transit time on every hop,
 * which errs on the side of stopping early. Rounding down errs the same way.
 *
 * <p><b>Knobs</b> ({@link Config}):
 * <ul>
 * <li>{@link #DEFAULT_BUDGET} 25 s (the spec's deadline). Too long: work goes on after the client
 *     gave up (counted as {@code completed_after_deadline}). Too short: slow-but-healthy requests fail.
 * <li>{@link #DEFAULT_HOP_TIMEOUT} 10 s (the spec's read timeout). Too short: spurious timeouts,
 *     which retries then multiply. Too long: one slow hop eats the whole budget, leaving no time
 *     for a retry; the deadline still bounds it.
 * <li>{@link #MAX_BUDGET} 1 day: a larger header value is refused as malformed.
 * </ul>
 *
 * <p>Immutable and thread-safe (the clock it reads is the injected one).
 */
public final class Deadline {

    public static final String HEADER = "X-Deadline-Remaining-Ms";
    public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(25);
    public static final Duration DEFAULT_HOP_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration MAX_BUDGET = Duration.ofDays(1);

    /** Each hop's own timeout and the whole request's budget. */
    public record Config(Duration hopTimeout, Duration budget) {
        public Config {
            Objects.requireNonNull(hopTimeout, "hopTimeout");
            Objects.requireNonNull(budget, "budget");
            if (!hopTimeout.isPositive() || !budget.isPositive()) {
                throw new IllegalArgumentException("timeouts must be positive, got hop=" + hopTimeout + " deadline=" + budget);
            }
            if (budget.compareTo(MAX_BUDGET) > 0) {
                throw new IllegalArgumentException("deadline budget must be at most " + MAX_BUDGET + ", got " + budget);
            }
        }

        public static Config defaults() {
            return new Config(DEFAULT_HOP_TIMEOUT, DEFAULT_BUDGET);
        }
    }

    private final NanoClock clock;
    private final long expiresAtNanos;

    private Deadline(NanoClock clock, long expiresAtNanos) {
        this.clock = clock;
        this.expiresAtNanos = expiresAtNanos;
    }

    /** A deadline {@code budget} from now. */
    public static Deadline after(Duration budget, NanoClock clock) {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(clock, "clock");
        if (budget.isNegative() || budget.compareTo(MAX_BUDGET) > 0) {
            throw new IllegalArgumentException("deadline budget must lie in [0, " + MAX_BUDGET + "], was " + budget);
        }
        return new Deadline(clock, clock.nanoTime() + budget.toNanos());
    }

    /**
     * The deadline an upstream sent in {@value #HEADER}, starting its countdown now.
     *
     * @throws IllegalArgumentException if the value is missing, not a whole number of
     *                                  milliseconds, negative or above {@link #MAX_BUDGET} (HTTP 400)
     */
    public static Deadline fromHeader(String remainingMillis, NanoClock clock) {
        String value = remainingMillis == null ? "" : remainingMillis.trim();
        if (!value.matches("[0-9]{1,10}") || Long.parseLong(value) > MAX_BUDGET.toMillis()) {
            throw new IllegalArgumentException(HEADER + " must be whole milliseconds in [0, "
                    + MAX_BUDGET.toMillis() + "], was '" + remainingMillis + "'");
        }
        return after(Duration.ofMillis(Long.parseLong(value)), clock);
    }

    /** {@link #fromHeader} when the header is present, else a fresh deadline of {@code fallbackBudget}. */
    public static Deadline fromHeaderOr(String remainingMillisOrNull, Duration fallbackBudget, NanoClock clock) {
        return remainingMillisOrNull == null
                ? after(fallbackBudget, clock)
                : fromHeader(remainingMillisOrNull, clock);
    }

    /** What is left of the budget; zero once expired, never negative. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, expiresAtNanos - clock.nanoTime()));
    }

    public boolean isExpired() {
        return expiresAtNanos - clock.nanoTime() <= 0;
    }

    /** The value to send downstream in {@value #HEADER}: remaining whole milliseconds, rounded down. */
    public String headerValue() {
        return Long.toString(remaining().toMillis());
    }

    /**
     * The timeout for the next hop: {@code min(hopTimeout, remaining())}.
     *
     * @param hopTimeout this hop's own limit, or null for none (the deadline alone bounds it)
     * @throws DeadlineExceededException if nothing is left: do not start the call at all
     */
    public Duration timeoutFor(Duration hopTimeout) {
        Duration left = remaining();
        if (left.isZero()) {
            throw new DeadlineExceededException("deadline spent: no time left for the next call");
        }
        if (hopTimeout != null && !hopTimeout.isPositive()) {
            throw new IllegalArgumentException("hop timeout must be positive, was " + hopTimeout);
        }
        return hopTimeout == null || left.compareTo(hopTimeout) < 0 ? left : hopTimeout;
    }

    @Override
    public String toString() {
        return "Deadline[remaining=" + remaining().toMillis() + " ms]";
    }
}
