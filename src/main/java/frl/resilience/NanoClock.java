package frl.resilience;

/**
 * A monotonic clock in nanoseconds: the only source of time any pattern reads.
 *
 * <p>Patterns never call {@code System.nanoTime()} themselves. Production code passes
 * {@link #system()}; tests pass a {@code FakeClock} and advance it explicitly, so a 30-second
 * open breaker is tested in microseconds and without {@code Thread.sleep}.
 *
 * <p>Only differences between two readings mean anything (as with {@code System.nanoTime()}).
 */
@FunctionalInterface
public interface NanoClock {
    long nanoTime();

    static NanoClock system() {
        return System::nanoTime;
    }
}
