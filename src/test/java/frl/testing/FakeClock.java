package frl.testing;

import frl.resilience.NanoClock;
import frl.resilience.Sleeper;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when a test says so, and a sleeper that moves it.
 *
 * <p>Thread-safe: the time is an {@link AtomicLong}; recorded sleeps are a copy-on-write list.
 */
public final class FakeClock implements NanoClock, Sleeper {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L); // not zero: zero hides bugs
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    public void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    public void advanceMillis(long ms) {
        advance(Duration.ofMillis(ms));
    }

    /** Sleeping on a fake clock returns at once, having moved time forward by the duration. */
    @Override
    public void sleep(Duration d) throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("interrupted before sleeping " + d);
        }
        sleeps.add(d);
        advance(d);
    }

    /** Every duration passed to {@link #sleep}, in order. */
    public List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }
}
