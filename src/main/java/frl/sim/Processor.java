package frl.sim;

import frl.resilience.Deadline;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * The payment processor in virtual time, with the rules of {@code PaymentProcessor}: a fixed
 * number of worker slots, a FIFO queue in front of them (the real one is a fair semaphore), and a
 * service time per request drawn from a seeded distribution. A queueing system of the M/G/c
 * kind, which is how {@code ProcessorQueueTest} checks it against queueing theory.
 *
 * <pre>
 *   submit -&gt; QUEUED -&gt; SERVING -&gt; served(waited, release)   the job holds its slot until it releases it
 *   QUEUED -&gt; REFUSED(DROPPED_EXPIRED)  enforced deadline spent while queued, or found spent on
 *                                        taking the slot: dropped without work (deadline propagation)
 *   QUEUED -&gt; REFUSED(QUEUE_TIMEOUT)    no enforced deadline, and no slot within maxQueueWait
 * </pre>
 * Work whose caller gave up but carries no enforced deadline is served anyway: abandoned work
 * still costs capacity. A request that fails still holds its slot for its service time (the
 * caller decides the outcome in {@link Job#served}, inside the slot).
 *
 * <p>The capacity-drop fault ({@link #resize}) changes the number of slots; requests holding a
 * slot finish, and no new ones start until fewer than the new number are busy.
 *
 * <p>Not thread-safe: one run, one thread.
 */
public final class Processor {

    /** Why a request left without being served. */
    public enum Refusal { DROPPED_EXPIRED, QUEUE_TIMEOUT }

    /** A request for a slot. */
    public interface Job {
        /**
         * The service time is over and the job is still in its slot, where it does its work (an
         * injected error, a ledger write); it runs {@code release} when it leaves the slot.
         *
         * @param waitedNanos how long it queued for the slot
         */
        void served(long waitedNanos, Runnable release);

        void refused(Refusal why);
    }

    private final EventLoop loop;
    private final LongSupplier serviceNanos;
    private final Duration maxQueueWait;
    private final int baseSlots;
    private final ArrayDeque<Waiting> queue = new ArrayDeque<>();
    private final ArrayDeque<Waiting> patient = new ArrayDeque<>(); // queued without an enforced deadline, oldest first
    private int slots;
    private int busy;
    private int waiting; // entries of the queue that have not timed out

    /**
     * @param serviceNanos draws one service time (the lab's: log-normal; the queueing test's: exponential)
     * @param maxQueueWait how long a request without an enforced deadline waits for a slot
     */
    public Processor(EventLoop loop, int slots, LongSupplier serviceNanos, Duration maxQueueWait) {
        if (slots < 1) {
            throw new IllegalArgumentException("payment slots must be >= 1, was " + slots);
        }
        this.loop = loop;
        this.slots = slots;
        this.baseSlots = slots;
        this.serviceNanos = serviceNanos;
        this.maxQueueWait = maxQueueWait;
    }

    /**
     * Queues {@code job} for a slot.
     *
     * @param deadline the caller's deadline, or null
     * @param enforce  whether an expired deadline lets the processor drop the request (configs C..F)
     */
    public void submit(Deadline deadline, boolean enforce, Job job) {
        boolean dropsWhenSpent = enforce && deadline != null;
        Waiting w = new Waiting(job, dropsWhenSpent ? deadline : null, loop.nanoTime());
        queue.add(w);
        waiting++;
        if (busy >= slots || waiting > 1) { // it has to queue: bound its wait (a free slot needs no timer)
            if (dropsWhenSpent) {
                w.timer = loop.after(deadline.remaining().toNanos(), () -> giveUp(w));
            } else {
                patient.add(w);
                if (patient.size() == 1) {
                    loop.after(maxQueueWait.toNanos(), this::expirePatient);
                }
            }
        }
        dispatch();
    }

    /**
     * Requests without an enforced deadline all wait the same maxQueueWait, so they expire in the
     * order they queued: one timer for the oldest stands in for a timer each (a queue of
     * thousands in a storm would otherwise fill the event heap with them).
     */
    private void expirePatient() {
        long now = loop.nanoTime();
        while (!patient.isEmpty() && (patient.peek().left || patient.peek().arrived + maxQueueWait.toNanos() <= now)) {
            Waiting w = patient.poll();
            giveUp(w);
        }
        if (!patient.isEmpty()) {
            loop.at(patient.peek().arrived + maxQueueWait.toNanos(), this::expirePatient);
        }
    }

    private void giveUp(Waiting w) {
        if (w.left) {
            return;
        }
        w.left = true;
        waiting--;
        w.job.refused(w.deadline != null ? Refusal.DROPPED_EXPIRED : Refusal.QUEUE_TIMEOUT);
    }

    /** Hands free slots to the longest-waiting requests. */
    private void dispatch() {
        while (busy < slots && waiting > 0) {
            Waiting w = queue.poll();
            if (w.left) {
                continue; // timed out earlier: removed lazily
            }
            w.left = true;
            waiting--;
            if (w.timer != null) {
                w.timer.cancel();
            }
            if (w.deadline != null && w.deadline.isExpired()) {
                w.job.refused(Refusal.DROPPED_EXPIRED); // the caller gave up while we queued: no work wasted
                continue;
            }
            busy++;
            long waited = loop.nanoTime() - w.arrived;
            loop.after(serviceNanos.getAsLong(), () -> w.job.served(waited, new Release()));
        }
    }

    /** Gives back one slot, once. */
    private final class Release implements Runnable {
        private boolean done;

        @Override
        public void run() {
            if (done) {
                throw new IllegalStateException("a payment slot was released twice");
            }
            done = true;
            busy--;
            dispatch();
        }
    }

    /** The capacity-drop fault: run with {@code n} slots (0 = nothing is served) until {@link #restore()}. */
    public void resize(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("slots must be >= 0, was " + n);
        }
        slots = n;
        dispatch();
    }

    public void restore() {
        resize(baseSlots);
    }

    public int slots() {
        return slots;
    }

    /** Slots held right now (may exceed {@link #slots()} while a capacity drop takes effect). */
    public int busy() {
        return busy;
    }

    /** Requests waiting for a slot. */
    public int queued() {
        return waiting;
    }

    private static final class Waiting {
        final Job job;
        final Deadline deadline; // null: not dropped when spent
        final long arrived;
        EventLoop.Event timer;
        boolean left;

        Waiting(Job job, Deadline deadline, long arrived) {
            this.job = job;
            this.deadline = deadline;
            this.arrived = arrived;
        }
    }
}
