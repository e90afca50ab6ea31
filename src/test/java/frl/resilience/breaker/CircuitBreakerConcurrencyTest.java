package frl.resilience.breaker;

import frl.resilience.Threads;
import frl.resilience.breaker.CircuitBreakerConfig.WindowType;
import frl.testing.FakeClock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static frl.resilience.breaker.CircuitBreaker.State.CLOSED;
import static frl.resilience.breaker.CircuitBreaker.State.OPEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many threads on one breaker, platform and virtual: no count is lost, no limit is passed. */
class CircuitBreakerConcurrencyTest {

    static final int THREADS = 8, CALLS_EACH = 5_000;

    final FakeClock clock = new FakeClock();

    /** Starts {@code tasks} copies of {@code body} at once and waits for all of them. */
    static void race(Threads threads, int tasks, Runnable body) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1), done = new CountDownLatch(tasks);
        try (ExecutorService pool = threads.executor()) {
            for (int i = 0; i < tasks; i++) {
                pool.submit(() -> {
                    start.await();
                    body.run();
                    done.countDown();
                    return null;
                });
            }
            start.countDown();
            assertTrue(done.await(30, TimeUnit.SECONDS));
        }
    }

    @ParameterizedTest(name = "{0} threads")
    @EnumSource(Threads.class)
    void concurrentRecordsAreAllCountedInBothWindows(Threads threads) throws Exception {
        for (WindowType type : WindowType.values()) {
            // Given a window big enough for every call that never trips (it takes 100% of them failing)
            int total = THREADS * CALLS_EACH;
            CircuitBreaker b = new CircuitBreaker("payments",
                    new CircuitBreakerConfig(type, total, 0, 100, total, null, Duration.ofSeconds(30), 3), clock);
            // When 8 threads each record 5000 alternating outcomes at once
            race(threads, THREADS, () -> {
                for (int i = 0; i < CALLS_EACH; i++) {
                    long ticket = b.tryAcquirePermission();
                    if (i % 2 == 0) {
                        b.onFailure(ticket);
                    } else {
                        b.onSuccess(ticket, 0);
                    }
                }
            });
            // Then all 40000 calls and 20000 failures are in the window
            assertEquals(new Snapshot("payments", CLOSED, total / 2, total, 50.0, 0), b.snapshot(), type.name());
        }
    }

    @ParameterizedTest(name = "{0} threads")
    @EnumSource(Threads.class)
    void aStormOfFailuresTripsTheBreakerExactlyOnce(Threads threads) throws Exception {
        // Given the count window most breaker tests use (5 failures trip it) and a listener counting transitions
        CircuitBreaker b = new CircuitBreaker("payments", CircuitBreakerTest.LAST_20_CALLS, clock);
        AtomicInteger opened = new AtomicInteger();
        b.addListener((name, from, to) -> opened.incrementAndGet());
        // When 200 calls, all let through while CLOSED, fail at the same moment
        long ticket = b.acquirePermission();
        for (int i = 1; i < 200; i++) {
            assertEquals(ticket, b.tryAcquirePermission()); // one state admitted them all: one ticket
        }
        race(threads, 200, () -> b.onFailure(ticket));
        // Then exactly one transition, CLOSED -> OPEN, and the outcomes after it were ignored
        assertEquals(OPEN, b.state());
        assertEquals(1, opened.get());
        assertEquals(5, b.snapshot().failures());
    }

    @ParameterizedTest(name = "{0} threads")
    @EnumSource(Threads.class)
    void concurrentCallersGetExactlyThePermittedProbes(Threads threads) throws Exception {
        // Given a breaker whose open duration has just passed, with 3 probes allowed
        CircuitBreaker b = new CircuitBreaker("payments", CircuitBreakerTest.LAST_20_CALLS, clock);
        b.transitionTo(OPEN, clock.nanoTime());
        clock.advance(Duration.ofSeconds(30));
        // When 500 callers ask at once
        AtomicInteger admitted = new AtomicInteger();
        race(threads, 500, () -> {
            if (b.tryAcquirePermission() != CircuitBreaker.REFUSED) {
                admitted.incrementAndGet();
            }
        });
        // Then 3 are let through, not one more
        assertEquals(3, admitted.get());
    }
}
