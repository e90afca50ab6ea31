package frl.resilience;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The count of calls in flight that {@link Bulkhead} and {@link LoadShedder} both keep, and the
 * guard both need: a release with nothing in flight is a caller's bug (a double release, or a
 * release after a refusal), and it throws instead of counting below zero. Unguarded, each such bug
 * would raise the limit by one for good, silently.
 *
 * <p>Thread-safe and lock-free: one {@link AtomicInteger}, changed only by atomic read-modify-write.
 */
final class InFlight {
    private final String owner;
    private final AtomicInteger count = new AtomicInteger();

    /** @param owner names the pattern in the error, e.g. {@code bulkhead 'payments'} */
    InFlight(String owner) {
        this.owner = owner;
    }

    /**
     * One more, if {@code LoadShedder.admits(inFlight, limit)}: compare-and-set, so concurrent callers
     * can never take the count past the limit, even for an instant.
     */
    boolean tryAdd(int limit) {
        while (true) {
            int current = count.get();
            if (!LoadShedder.admits(current, limit)) {
                return false;
            }
            if (count.compareAndSet(current, current + 1)) {
                return true;
            }
            // Another call changed the count between our read and our write: look again.
        }
    }

    /** One more, unconditionally: the caller already holds a permit that enforces the limit. */
    void add() {
        count.incrementAndGet();
    }

    /** One fewer; throws if none is in flight, and then the count stays at zero. */
    void remove() {
        if (count.getAndUpdate(n -> n > 0 ? n - 1 : n) == 0) {
            throw new IllegalStateException(owner + ": release() without a matching acquire");
        }
    }

    int get() {
        return count.get();
    }
}
