package frl.services;

import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Waits for a condition that another thread or process makes true (an outbox relay delivering, a
 * lock being taken), checking every 20 ms and failing the test with the last value after a bound.
 * It never decides an outcome by how long it waited: it returns the value it observed.
 */
public final class Poll {
    private Poll() {
    }

    public static <T> T until(Callable<T> probe, Predicate<T> done, long timeoutMillis) throws Exception {
        long end = System.nanoTime() + timeoutMillis * 1_000_000;
        T last = probe.call();
        while (!done.test(last)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not reached within " + timeoutMillis + " ms; last value: " + last);
            }
            Thread.sleep(20);
            last = probe.call();
        }
        return last;
    }
}
