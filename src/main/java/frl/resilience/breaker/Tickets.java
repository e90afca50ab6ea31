package frl.resilience.breaker;

/**
 * Which state admitted a call (the breaker's ticket numbers), and which calls may pass the
 * breaker's lock by: the closed state's bookkeeping that is read without it.
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
 * <p><b>Without the lock.</b> Two answers are published for callers that skip the breaker's lock:
 * <ul>
 * <li>{@link #closedTicket()}: the ticket CLOSED hands out, or {@link CircuitBreaker#REFUSED} in
 *     any other state. CLOSED admits every call and counts none, so asking it for permission
 *     changes nothing and needs no lock.
 * <li>{@link #skipsSuccess}: CLOSED, with a count window whose last N outcomes are all successes.
 *     One more success leaves that ring exactly as it was (it evicts a success), so recording it
 *     may be skipped: the skipped record orders before any failure recorded after the flag was
 *     read, and the window then reads exactly as if it had been recorded. A time window never
 *     sets it (its successes age out and count towards a later failure rate).
 * </ul>
 *
 * <p>Thread-safety: every method but those two is called under the breaker's lock, which guards
 * {@code current}; the two published fields are volatile, written under the lock, read without it.
 */
final class Tickets {
    private long current = CircuitBreaker.REFUSED + 1;
    private volatile long closedTicket = current;
    private volatile boolean cleanWindow;

    /** The ticket of every call the current state admits. */
    long current() {
        return current;
    }

    /** The breaker entered {@code state}: tickets issued so far are stale. */
    void enter(CircuitBreaker.State state) {
        // Cleared before the ticket changes: a reader that still sees it true sees the old ticket or none.
        cleanWindow = false;
        current++;
        closedTicket = state == CircuitBreaker.State.CLOSED ? current : CircuitBreaker.REFUSED;
    }

    /** Whether the current state admitted the call; a number never issued is a caller's bug. */
    boolean isCurrent(long ticket, String breakerName) {
        if (ticket <= CircuitBreaker.REFUSED || ticket > current) {
            throw new IllegalArgumentException("circuit breaker '" + breakerName + "' never issued ticket " + ticket);
        }
        return ticket == current;
    }

    /** Read without the lock: CLOSED's ticket, or REFUSED (then ask under the lock). */
    long closedTicket() {
        return closedTicket;
    }

    /** Read without the lock: whether a success with this ticket would change nothing. */
    boolean skipsSuccess(long ticket) {
        return cleanWindow && ticket == closedTicket;
    }

    /** After CLOSED recorded an outcome: whether its window now holds only successes, and is full. */
    void windowIsClean(boolean clean) {
        cleanWindow = clean;
    }
}
