package frl.sim;

import frl.resilience.NanoClock;

import java.util.Arrays;

/**
 * Virtual time: a clock that only this queue moves, and the queue of what happens next.
 *
 * <p>Why events and not one thread per request. The patterns take an injected {@link NanoClock},
 * so they run in virtual time as they are; what cannot run there is <em>waiting</em>. A thread per
 * simulated request, parked until the scheduler hands it the baton, costs two context switches
 * per wait (microseconds each), about a dozen waits per request: too slow for thousands of runs.
 * Here a wait is an entry in a binary heap (a few hundred nanoseconds), and the patterns are driven
 * through their event-style entry points ({@code Retry.start}, {@code Resilience.enter}), which
 * their blocking APIs run on too.
 *
 * <p>Order: events run by time, and events due at the same nanosecond in the order they were
 * scheduled (a sequence number breaks the tie), so a run is a pure function of its inputs: same
 * seed, same events, same results, byte for byte. Nothing here reads a real clock.
 *
 * <p>Cancelling ({@link Event#cancel()}) leaves the event in the heap and makes it a no-op: a
 * timeout that lost its race costs one heap entry until its time comes, which is cheaper than
 * searching the heap to remove it.
 *
 * <p>Not thread-safe: one run, one thread. Runs of a batch use one loop each.
 */
public final class EventLoop implements NanoClock {

    /** Something due at a point of virtual time. */
    public static final class Event {
        private Runnable action;

        private Event(Runnable action) {
            this.action = action;
        }

        /** It will not run (it may already have). */
        public void cancel() {
            action = null;
        }
    }

    // The heap keeps each entry's time and sequence number in arrays of its own, beside the
    // events: a comparison reads two longs from memory that the sift has just touched, instead of
    // following a pointer to an object per comparison (the loop's hottest path).
    private long[] times = new long[1024];
    private long[] sequences = new long[1024];
    private Event[] events = new Event[1024];
    private int size;
    private long now;
    private long sequence;
    private long executed;
    private boolean stopped;

    /** The virtual time, nanoseconds since the run's start. */
    @Override
    public long nanoTime() {
        return now;
    }

    /** Events that have run so far (cancelled ones not counted): the simulator's unit of work. */
    public long executed() {
        return executed;
    }

    /** Runs {@code action} at virtual time {@code time}, which must not be in the past. */
    public Event at(long time, Runnable action) {
        if (time < now) {
            throw new IllegalArgumentException("cannot schedule in the past: " + time + " ns < now " + now + " ns");
        }
        Event e = new Event(action);
        if (size == events.length) {
            times = Arrays.copyOf(times, size * 2);
            sequences = Arrays.copyOf(sequences, size * 2);
            events = Arrays.copyOf(events, size * 2);
        }
        long seq = sequence++;
        int i = size++;
        while (i > 0) { // sift up
            int parent = (i - 1) >>> 1;
            if (times[parent] < time || (times[parent] == time && sequences[parent] < seq)) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        put(i, time, seq, e);
        return e;
    }

    /** Runs {@code action} {@code delayNanos} from now (a negative delay means now). */
    public Event after(long delayNanos, Runnable action) {
        return at(now + Math.max(0, delayNanos), action);
    }

    /**
     * Runs every event due at or before {@code end}, in order, then leaves the clock at
     * {@code end}; or, if an event calls {@link #stop()}, returns right after that event with the
     * clock where it was. Events scheduled while running are run too if they are due in time.
     */
    public void runUntil(long end) {
        while (size > 0 && times[0] <= end) {
            if (stopped) {
                return;
            }
            now = times[0];
            Event e = poll();
            Runnable action = e.action;
            if (action != null) {
                e.action = null;
                executed++;
                action.run();
            }
        }
        if (!stopped) {
            now = Math.max(now, end);
        }
    }

    /** Ends the run: {@link #runUntil} returns after the current event, and runs nothing more. */
    public void stop() {
        stopped = true;
    }

    public boolean stopped() {
        return stopped;
    }

    /** Events still queued, cancelled ones included. */
    public int pending() {
        return size;
    }

    private Event poll() {
        Event top = events[0];
        int last = --size;
        long time = times[last];
        long seq = sequences[last];
        Event e = events[last];
        events[last] = null;
        if (size > 0) {
            int i = 0;
            while (true) { // sift down
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && before(child + 1, child)) {
                    child++;
                }
                if (times[child] > time || (times[child] == time && sequences[child] > seq)) {
                    break;
                }
                move(child, i);
                i = child;
            }
            put(i, time, seq, e);
        }
        return top;
    }

    private boolean before(int a, int b) {
        return times[a] < times[b] || (times[a] == times[b] && sequences[a] < sequences[b]);
    }

    private void move(int from, int to) {
        times[to] = times[from];
        sequences[to] = sequences[from];
        events[to] = events[from];
    }

    private void put(int i, long time, long seq, Event e) {
        times[i] = time;
        sequences[i] = seq;
        events[i] = e;
    }
}
