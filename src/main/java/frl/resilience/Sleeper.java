package frl.resilience;

import java.time.Duration;

/**
 * Waits for a duration: the only way any pattern waits.
 *
 * <p>Production passes {@link #system()}. Tests pass a sleeper that advances their fake clock and
 * records the requested delays, so a retry schedule is checked as a list of numbers.
 *
 * <p>An implementation must throw {@link InterruptedException} when interrupted (never swallow
 * it): timeouts and shutdown on virtual threads rely on interrupts reaching the caller.
 */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    static Sleeper system() {
        return duration -> {
            if (duration.isPositive()) {
                Thread.sleep(duration);
            }
        };
    }
}
