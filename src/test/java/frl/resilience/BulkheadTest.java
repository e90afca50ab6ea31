package frl.resilience;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BulkheadTest {

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void whenEverySlotIsTakenTheNextCallerIsRefusedAtOnce() {
        // Given 2 slots, both taken
        Bulkhead b = new Bulkhead("inventory", Bulkhead.Config.of(2));
        assertTrue(b.tryAcquire());
        assertTrue(b.tryAcquire());
        // When a third caller asks, Then it is refused and counted
        assertFalse(b.tryAcquire());
        assertEquals(1, b.rejections());
        assertEquals(2, b.inUse());
        // When one slot is released, Then the next caller gets it
        b.release();
        assertTrue(b.tryAcquire());
        assertEquals(1, b.rejections());
    }

    @Test
    void executeRefusesWithATypedExceptionNamingTheBulkheadAndNeverRunsTheCall() {
        Bulkhead b = new Bulkhead("payments", Bulkhead.Config.of(1));
        assertTrue(b.tryAcquire());
        AtomicInteger ran = new AtomicInteger();
        var e = assertThrows(BulkheadFullException.class, () -> b.execute(ran::incrementAndGet));
        assertEquals("payments", e.bulkheadName());
        assertEquals("bulkhead 'payments' is full (1 calls in flight)", e.getMessage());
        assertEquals(0, ran.get());
    }

    @Test
    void executeGivesTheSlotBackEvenWhenTheCallThrows() {
        Bulkhead b = new Bulkhead("payments", Bulkhead.Config.of(1));
        assertThrows(IllegalStateException.class, () -> b.execute(() -> { throw new IllegalStateException("boom"); }));
        assertEquals(0, b.inUse());
        assertTrue(b.tryAcquire());
    }

    @Test
    void aReleaseWithoutAnAcquireIsABugAndSaysSo() {
        Bulkhead b = new Bulkhead("payments", Bulkhead.Config.of(1));
        assertThrows(IllegalStateException.class, b::release);
        assertTrue(b.tryAcquire());
        assertFalse(b.tryAcquire()); // the bad release did not add a slot
    }

    @Test
    void aWaitingCallerIsAdmittedWhenASlotFreesWithinTheWait() throws Exception {
        // Given 1 slot, taken, and a 5 s max wait
        Bulkhead b = new Bulkhead("payments", new Bulkhead.Config(1, Duration.ofSeconds(5)));
        assertTrue(b.tryAcquire());
        // When another thread asks, and the slot is then released
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(b::tryAcquire);
        b.release();
        // Then the waiter gets it (whether it was already waiting or arrived just after)
        assertTrue(waiter.get(5, TimeUnit.SECONDS));
        assertEquals(0, b.rejections());
    }

    @Test
    void aWaitThatRunsOutIsARejection() {
        // The one real wait in this suite: 1 ms inside Semaphore.tryAcquire (see Bulkhead's header)
        Bulkhead b = new Bulkhead("payments", new Bulkhead.Config(1, Duration.ofMillis(1)));
        assertTrue(b.tryAcquire());
        assertFalse(b.tryAcquire());
        assertEquals(1, b.rejections());
    }

    @Test
    void anInterruptWhileWaitingIsKeptAndIsNotARejection() {
        // Given a full bulkhead with a wait, and a thread that has been interrupted
        Bulkhead b = new Bulkhead("payments", new Bulkhead.Config(1, Duration.ofSeconds(5)));
        assertTrue(b.tryAcquire());
        Thread.currentThread().interrupt();
        // When it asks, Then false, the flag is set again, and no rejection is counted
        assertFalse(b.tryAcquire());
        assertTrue(Thread.currentThread().isInterrupted());
        assertEquals(0, b.rejections());
        // And execute propagates the InterruptedException instead of pretending the bulkhead was full
        assertThrows(InterruptedException.class, () -> b.execute(() -> "never"));
    }

    @Test
    void configIsValidatedQuotingTheBadValue() {
        assertEquals("bulkhead maxConcurrent must be at least 1, was 0", assertThrows(IllegalArgumentException.class,
                () -> Bulkhead.Config.of(0)).getMessage());
        assertEquals("bulkhead maxWait must not be negative, was PT-1S", assertThrows(IllegalArgumentException.class,
                () -> new Bulkhead.Config(1, Duration.ofSeconds(-1))).getMessage());
        assertEquals(new Bulkhead.Config(20, Duration.ZERO), Bulkhead.Config.defaults());
    }

    @ParameterizedTest
    @EnumSource(Threads.class)
    void underConcurrencyExactlyTheSlotsAreAdmittedAndEveryoneElseIsCounted(Threads threads) throws Exception {
        // Given 3 slots and 40 concurrent callers whose calls hold their slot until released
        int slots = 3, callers = 40;
        Bulkhead b = new Bulkhead("inventory", Bulkhead.Config.of(slots));
        CountDownLatch inside = new CountDownLatch(slots), refused = new CountDownLatch(callers - slots),
                gate = new CountDownLatch(1), done = new CountDownLatch(callers);
        AtomicInteger concurrent = new AtomicInteger(), maxConcurrent = new AtomicInteger();
        try (ExecutorService pool = threads.executor()) {
            for (int i = 0; i < callers; i++) {
                pool.submit(() -> {
                    try {
                        b.execute(() -> {
                            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                            inside.countDown();
                            gate.await();
                            return concurrent.decrementAndGet();
                        });
                    } catch (BulkheadFullException e) {
                        refused.countDown();
                    } finally {
                        done.countDown();
                    }
                    return null;
                });
            }
            // When every caller has either got in or been refused, and the holders are let go
            assertTrue(inside.await(10, TimeUnit.SECONDS));
            assertTrue(refused.await(10, TimeUnit.SECONDS));
            gate.countDown();
            assertTrue(done.await(10, TimeUnit.SECONDS));
        }
        // Then never more than 3 ran at once, 37 were refused and counted, and every slot came back
        assertEquals(slots, maxConcurrent.get());
        assertEquals(callers - slots, b.rejections());
        assertEquals(0, b.inUse());
    }
}
