package frl.resilience.breaker;

/**
 * Which state admitted a call: the breaker's ticket numbers.
 *
 * <p>Each state the breaker enters gets the next number (a reset in CLOSED too), and every call it
 * admits carries that number as its ticket. An outcome is judged only by the state that admitted
 * the call. One with an older ticket belongs to a state that is gone: a call let through before a
 * trip, finishing while OPEN, HALF_OPEN or CLOSED again. It is ignored, since the decision it could
 * have informed was made without it, and a failure from before an outage must not re-trip a
 * breaker that has just closed. In HALF_OPEN this is what tells a probe from a straggler: counting
 * by numbers alone, a release of an old call would give back a probe's slot, and the probe's
 * failure would then look like a straggler's and be dropped.
 *
 * <p>One number per state, not per call: a state needs to know only whether an outcome is its own;
 * within a state calls are interchangeable (HALF_OPEN just counts its probes). Numbers per call
 * would need a set of those outstanding. A {@code long}, not an object: asking and answering
 * allocate nothing, and it never runs out (2^63 transitions).
 *
 * <p>Not thread-safe: the breaker's lock guards it.
 */
final class Tickets {
    private long current = CircuitBreaker.REFUSED + 1;

    /** The ticket of every call the current state admits. */
    long current() {
        return current;
    }

    /** The breaker entered a new state: tickets issued so far are stale. */
    void next() {
        current++;
    }

    /** Whether the current state admitted the call; a number never issued is a caller's bug. */
    boolean isCurrent(long ticket, String breakerName) {
        if (ticket <= CircuitBreaker.REFUSED || ticket > current) {
            throw new IllegalArgumentException("circuit breaker '" + breakerName + "' never issued ticket " + ticket);
        }
        return ticket == current;
    }
}
