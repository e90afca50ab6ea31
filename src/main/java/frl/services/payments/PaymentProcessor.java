package frl.services.payments;

import frl.resilience.Deadline;
import frl.resilience.Sleeper;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The simulated payment processor: the lab's bottleneck, on purpose.
 *
 * <p>A fixed number of worker <em>slots</em>; each request holds one for a service time drawn from
 * a seeded log-normal distribution. Capacity is therefore {@code slots / mean service time}
 * (defaults: 4 slots x 50 ms = 80 requests/s), far below what the CPUs can serve, so an experiment
 * shows the same shape on any machine. See docs/architecture.md and EXPERIMENTS.md.
 *
 * <p>Two rules make it behave like a real dependency, and they are the heart of the lessons:
 * <ul>
 *   <li><b>Abandoned work still costs capacity.</b> A request whose caller already gave up is still
 *       processed, unless it carries an enforced deadline that has expired before it gets a slot:
 *       then it is dropped without work (deadline propagation at work).</li>
 *   <li><b>Injected errors cost capacity too.</b> A failed attempt holds its slot for the service
 *       time before it fails, as a real processor that times out internally would.</li>
 * </ul>
 *
 * <p>Knobs: {@code slots} (LAB_PAYMENT_SLOTS, default 4), {@code meanServiceTime}
 * (LAB_PAYMENT_SERVICE_MS, default 50 ms), {@code sigma} of the log-normal (0.5: p99 about 3x the
 * median), and {@link #MAX_QUEUE_WAIT} for requests without an enforced deadline. Too many slots
 * and the CPUs become the bottleneck (calibration checks this); too few and every scenario is an outage.
 *
 * <p>{@link #flush()} ends a run cleanly ({@code POST /admin/reset}): every request waiting for a
 * slot or holding one for its service time leaves at once with {@link Result#FLUSHED}, its work
 * never done (so nothing is charged) and its slot freed. Without it the queue a storm built (up to
 * {@link #MAX_QUEUE_WAIT} deep in A and B) would drain into the next run, which would start with a
 * full processor and charges it never asked for.
 *
 * <p>Thread-safe. Slots are a fair {@link Semaphore} (FIFO, so a queue forms as it would in front of
 * a real processor); resizing for the capacity-drop fault adds or removes permits. The random
 * source is a {@link SplittableRandom} guarded by {@code this}. A flush interrupts the threads
 * registered in {@code inside}; registering, leaving and flushing all hold {@code this}, so a thread
 * that has left (and is about to write a charge) is never interrupted, and one that was flushed
 * learns it from the epoch and clears the interrupt that was meant for it.
 */
public final class PaymentProcessor {
    public static final int DEFAULT_SLOTS = 4;
    public static final Duration DEFAULT_MEAN_SERVICE_TIME = Duration.ofMillis(50);
    public static final double DEFAULT_SIGMA = 0.5;
    /** Without an enforced deadline a request waits this long for a slot, then gives up (503). */
    public static final Duration MAX_QUEUE_WAIT = Duration.ofSeconds(60);

    /** Why a request left the processor. */
    public enum Result { DONE, DROPPED_EXPIRED, QUEUE_TIMEOUT, FLUSHED }

    private static final class Slots extends Semaphore {
        Slots(int permits) {
            super(permits, true);
        }

        void shrink(int n) {
            reducePermits(n);
        }
    }

    private final Slots slots;
    private final int baseSlots;
    private int currentSlots; // guarded by "this"
    private final double mu;
    private final double sigma;
    private final Sleeper sleeper;
    private final SplittableRandom random; // guarded by "this"
    private final java.util.Set<Thread> inside = new java.util.HashSet<>(); // guarded by "this": waiting or in service
    private long epoch; // guarded by "this": flushes so far

    public PaymentProcessor(int slots, Duration meanServiceTime, double sigma, long seed, Sleeper sleeper) {
        if (slots < 1) {
            throw new IllegalArgumentException("payment slots must be >= 1, got " + slots);
        }
        if (!meanServiceTime.isPositive() || sigma < 0 || sigma > 2) {
            throw new IllegalArgumentException("need mean service time > 0 and 0 <= sigma <= 2, got "
                    + meanServiceTime + " and " + sigma);
        }
        this.slots = new Slots(slots);
        this.baseSlots = slots;
        this.currentSlots = slots;
        this.sigma = sigma;
        // A log-normal with mean m has mu = ln(m) - sigma^2 / 2.
        this.mu = Math.log(meanServiceTime.toNanos()) - sigma * sigma / 2;
        this.sleeper = sleeper;
        this.random = new SplittableRandom(seed);
    }

    /**
     * Runs {@code work} in a slot after holding it for one service time.
     *
     * @param deadline        the caller's deadline, or null
     * @param enforceDeadline whether an expired deadline lets us drop the request (configs C..F)
     */
    public Result process(Deadline deadline, boolean enforceDeadline, Runnable work) throws InterruptedException {
        long myEpoch = enter();
        boolean held = false;
        Result early = null;
        try {
            Duration wait = enforceDeadline && deadline != null ? deadline.remaining() : MAX_QUEUE_WAIT;
            held = slots.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
            if (!held) {
                early = enforceDeadline && deadline != null ? Result.DROPPED_EXPIRED : Result.QUEUE_TIMEOUT;
            } else if (enforceDeadline && deadline != null && deadline.isExpired()) {
                early = Result.DROPPED_EXPIRED; // the caller gave up while we queued: no work wasted
            } else {
                sleeper.sleep(nextServiceTime());
            }
        } catch (InterruptedException e) {
            if (!flushedSince(myEpoch)) {
                leave(held);
                throw e; // not ours: the caller is being stopped
            }
            early = Result.FLUSHED; // our flush: the interrupt was the message, and it has been read
        }
        if (leave(held) != myEpoch) {
            Thread.interrupted(); // flushed after the sleep ended: clear the interrupt meant for us
            return Result.FLUSHED;
        }
        if (early != null) {
            return early;
        }
        work.run(); // outside the slot's bookkeeping: a flush can no longer reach this request
        return Result.DONE;
    }

    private synchronized long enter() {
        inside.add(Thread.currentThread());
        return epoch;
    }

    /** Leaves the processor (releasing the slot if held) and returns the epoch at that moment. */
    private synchronized long leave(boolean held) {
        inside.remove(Thread.currentThread());
        if (held) {
            slots.release();
        }
        return epoch;
    }

    private synchronized boolean flushedSince(long myEpoch) {
        return epoch != myEpoch;
    }

    /**
     * Ends all queued and in-service work now: each such request returns {@link Result#FLUSHED}
     * without running its work. Returns how many requests were flushed.
     */
    public synchronized int flush() {
        epoch++;
        inside.forEach(Thread::interrupt);
        return inside.size();
    }

    synchronized Duration nextServiceTime() {
        double g = random.nextDouble(); // Box-Muller for one standard normal draw
        double z = Math.sqrt(-2 * Math.log(1 - g)) * Math.cos(2 * Math.PI * random.nextDouble());
        return Duration.ofNanos((long) Math.exp(mu + sigma * z));
    }

    /** Draws from the seeded source, e.g. to decide an injected error. */
    public synchronized double draw() {
        return random.nextDouble();
    }

    /** The capacity-drop fault: run with {@code n} slots (0 = nothing is served) until {@link #restore()}. */
    public synchronized void resize(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("slots must be >= 0, got " + n);
        }
        if (n > currentSlots) {
            slots.release(n - currentSlots);
        } else if (n < currentSlots) {
            slots.shrink(currentSlots - n); // requests holding slots finish; fewer are handed out
        }
        currentSlots = n;
    }

    public synchronized void restore() {
        resize(baseSlots);
    }

    public synchronized int slots() {
        return currentSlots;
    }

    /** Slots held by requests right now (never negative, even while a capacity drop is taking effect). */
    public synchronized int busySlots() {
        return Math.max(0, currentSlots - slots.availablePermits());
    }

    /** Requests waiting for a slot (an estimate, as {@link Semaphore#getQueueLength()} says). */
    public int queueLength() {
        return slots.getQueueLength();
    }
}
