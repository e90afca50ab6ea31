package frl.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bulkhead: a cap on concurrent calls to one downstream.
 *
 * <p><b>The failure it prevents.</b> Inventory slows to 2 s per call. Orders keeps sending, and
 * every request now waits on inventory, holding its thread, its connection, its memory, until
 * orders has nothing left for payments either: one slow dependency took the whole service down.
 * A bulkhead (the watertight compartment of a ship) gives each downstream its own fixed number of
 * slots; when inventory's slots are full, further inventory calls are refused at once, and
 * payments calls still go through.
 *
 * <p><b>States of one call:</b>
 * <pre>
 *   ASK -&gt; ADMITTED   a slot was free (or freed within maxWait); the call runs and then releases it
 *   ASK -&gt; REJECTED   no slot within maxWait: BulkheadFullException (HTTP 503), counted
 *   ASK -&gt; STOPPED    interrupted while waiting: the InterruptedException propagates, not counted
 * </pre>
 *
 * <p><b>Knobs</b> ({@link Config}): {@link Config#DEFAULT_MAX_CONCURRENT} 20 (the spec's
 * {@code payments=20, inventory=20}). Too low: healthy bursts are refused. Too high: the
 * compartment is as large as the ship, and a slow downstream again holds every thread.
 * Little's law sizes it: slots = calls per second * seconds per call, plus headroom.
 * {@link Config#DEFAULT_MAX_WAIT} zero: reject at once. A wait turns the bulkhead into a queue,
 * and queued callers spend their deadline waiting for a service that is already slow.
 *
 * <p>With the default wait of zero, the count in flight is the slots: one compare-and-set to enter
 * and one to leave, as a semaphore would (two more atomics per call, a semaphore beside the count,
 * measured 1.6x Resilience4j's bulkhead). Only a bulkhead that waits has a semaphore. Its timed
 * wait is the JDK's own {@code Semaphore.tryAcquire(timeout)}, which reads the system clock inside
 * the JDK: there is no way to wait for a permit on an injected clock without polling. With the
 * default wait of zero no clock is read at all.
 *
 * <p>Its config and {@link LoadShedder}'s look alike (a limit and a duration) and stay apart on
 * purpose: the duration here is how long a caller may <em>wait</em> for a slot, there it is how long
 * a refused client is told to stay away. The count in flight and its release guard are shared
 * ({@link InFlight}); the semaphore is this class's own, because only a bulkhead waits.
 *
 * <p>Thread-safe: the atomic count guards the slots (with the semaphore, when callers may wait);
 * the counters are atomic. The semaphore is fair, so a caller that arrived first is served first.
 */
public final class Bulkhead implements Compartment {

    public record Config(int maxConcurrent, Duration maxWait) {
        public static final int DEFAULT_MAX_CONCURRENT = 20;
        public static final Duration DEFAULT_MAX_WAIT = Duration.ZERO;

        public Config {
            Objects.requireNonNull(maxWait, "maxWait");
            if (maxConcurrent < 1) {
                throw new IllegalArgumentException("bulkhead maxConcurrent must be at least 1, was " + maxConcurrent);
            }
            if (maxWait.isNegative()) {
                throw new IllegalArgumentException("bulkhead maxWait must not be negative, was " + maxWait);
            }
        }

        public static Config defaults() {
            return new Config(DEFAULT_MAX_CONCURRENT, DEFAULT_MAX_WAIT);
        }

        public static Config of(int maxConcurrent) {
            return new Config(maxConcurrent, DEFAULT_MAX_WAIT);
        }
    }

    private final String name;
    private final Config config;
    private final Semaphore slots; // null when no caller may wait: the count alone enforces the limit
    /** Slots handed out and not yet released; catches a release without an acquire. */
    private final InFlight inUse;
    private final LongAdder rejections = new LongAdder();

    private final Slot release = outcome -> release(); // one per bulkhead: entering allocates nothing

    public Bulkhead(String name, Config config) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.slots = config.maxWait().isZero() ? null : new Semaphore(config.maxConcurrent(), true);
        this.inUse = new InFlight("bulkhead '" + name + "'");
    }

    /**
     * Runs {@code call} in a slot.
     *
     * @throws BulkheadFullException if no slot came free within maxWait
     * @throws InterruptedException  if interrupted while waiting (propagated, never swallowed)
     */
    public <T> T execute(Callable<T> call) throws Exception {
        acquire();
        try {
            return call.call();
        } finally {
            release();
        }
    }

    /** A fixed bulkhead has no use for the call's budget: a slot, given back whatever the outcome. */
    @Override
    public Slot enter(Duration budget) throws InterruptedException {
        acquire();
        return release;
    }


    /**
     * Takes a slot, waiting up to maxWait; the caller must then call {@link #release()} exactly
     * once ({@link #execute} does both).
     *
     * @throws BulkheadFullException if no slot came free within maxWait
     * @throws InterruptedException  if interrupted while waiting (propagated, never swallowed)
     */
    public void acquire() throws InterruptedException {
        if (!admit()) {
            throw new BulkheadFullException(name, config.maxConcurrent());
        }
    }

    /**
     * Takes a slot if one comes free within maxWait; on {@code true} the caller must call
     * {@link #release()} exactly once. Returns false when full, and also when interrupted while
     * waiting, in which case the interrupt flag is set again for the caller to see.
     */
    public boolean tryAcquire() {
        try {
            return admit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Gives back a slot taken by {@link #acquire()} or {@link #tryAcquire()}. */
    public void release() {
        inUse.remove(); // throws first if nothing was acquired, so no permit is made out of thin air
        if (slots != null) {
            slots.release();
        }
    }

    private boolean admit() throws InterruptedException {
        boolean admitted;
        if (slots == null) {
            admitted = inUse.tryAdd(config.maxConcurrent());
        } else if (admitted = slots.tryAcquire(config.maxWait().toNanos(), TimeUnit.NANOSECONDS)) {
            inUse.add();
        }
        if (!admitted) {
            rejections.increment();
        }
        return admitted;
    }

    @Override
    public String name() {
        return name;
    }

    public Config config() {
        return config;
    }

    /** Calls currently holding a slot. */
    public int inUse() {
        return inUse.get();
    }

    /** Calls refused since creation (or the last {@link #resetCounts()}). */
    @Override
    public long rejections() {
        return rejections.sum();
    }

    /** Zeroes the rejection count (for {@code POST /admin/reset}); slots in use are untouched. */
    @Override
    public void resetCounts() {
        rejections.reset();
    }
}
