package frl.services.payments;

import frl.resilience.Sleeper;
import frl.services.Poll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link PaymentProcessor#flush()}: what {@code POST /admin/reset} does to work a storm left in the
 * processor. A service time here lasts until the test says otherwise (the sleeper blocks while
 * {@code hold} is set), so "in service" and "queued" are states the test puts requests in, not
 * moments it hopes to catch. Run under platform and virtual threads.
 */
class PaymentProcessorFlushTest {
    private final AtomicBoolean hold = new AtomicBoolean(true);
    /** In service until interrupted while {@code hold} is set; instant afterwards. */
    private final Sleeper sleeper = d -> {
        if (hold.get()) {
            new CountDownLatch(1).await();
        }
    };
    private final PaymentProcessor processor = new PaymentProcessor(1, Duration.ofMillis(50), 0.5, 7, sleeper);
    private final AtomicInteger worked = new AtomicInteger();

    /** One request on its own thread; the result says also whether its interrupt flag was left set. */
    private record Outcome(PaymentProcessor.Result result, boolean interruptedAfter) {
    }

    private Future<Outcome> submit(boolean virtual) {
        FutureTask<Outcome> task = new FutureTask<>(() -> {
            PaymentProcessor.Result r = processor.process(null, false, worked::incrementAndGet);
            return new Outcome(r, Thread.currentThread().isInterrupted());
        });
        (virtual ? Thread.ofVirtual() : Thread.ofPlatform()).start(task);
        return task;
    }

    @Test
    void aFlushEndsQueuedAndInServiceWorkUndoneAndFreesEverySlotOnPlatformThreads() throws Exception {
        flushEndsEverything(false);
    }

    @Test
    void aFlushEndsQueuedAndInServiceWorkUndoneAndFreesEverySlotOnVirtualThreads() throws Exception {
        flushEndsEverything(true);
    }

    private void flushEndsEverything(boolean virtual) throws Exception {
        // Given one request holding the only slot and one queued behind it
        Future<Outcome> inService = submit(virtual);
        Poll.until(processor::busySlots, n -> n == 1, 5_000);
        Future<Outcome> queued = submit(virtual);
        Poll.until(processor::queueLength, n -> n == 1, 5_000);

        // When the processor is flushed
        int flushed = processor.flush();

        // Then both leave with FLUSHED, neither did its work (no charge), no interrupt is left
        // behind for the handler's next step, and the processor is empty
        assertEquals(2, flushed);
        assertEquals(new Outcome(PaymentProcessor.Result.FLUSHED, false), inService.get(5, TimeUnit.SECONDS));
        assertEquals(new Outcome(PaymentProcessor.Result.FLUSHED, false), queued.get(5, TimeUnit.SECONDS));
        assertEquals(0, worked.get());
        assertEquals(0, processor.busySlots());
        assertEquals(0, processor.queueLength());

        // And the next request is served as usual, in the freed slot
        hold.set(false);
        assertEquals(new Outcome(PaymentProcessor.Result.DONE, false), submit(virtual).get(5, TimeUnit.SECONDS));
        assertEquals(1, worked.get());
    }

    @Test
    void aFlushWithNothingInsideChangesNothing() throws Exception {
        assertEquals(0, processor.flush());
        hold.set(false);
        assertEquals(PaymentProcessor.Result.DONE, submit(true).get(5, TimeUnit.SECONDS).result());
        assertEquals(1, processor.slots());
    }

    @Test
    void anInterruptThatIsNotAFlushStillStopsTheCaller() throws Exception {
        // Given a request in service on a thread that is being stopped (shutdown, not a reset)
        FutureTask<PaymentProcessor.Result> task = new FutureTask<>(() -> processor.process(null, false, worked::incrementAndGet));
        Thread t = Thread.ofVirtual().start(task);
        Poll.until(processor::busySlots, n -> n == 1, 5_000);

        // When it is interrupted
        t.interrupt();

        // Then the interrupt reaches the caller (never swallowed), the work is not done, the slot is free
        ExecutionException e = assertThrows(ExecutionException.class, () -> task.get(5, TimeUnit.SECONDS));
        assertInstanceOf(InterruptedException.class, e.getCause());
        assertEquals(0, worked.get());
        assertEquals(0, processor.busySlots());
        assertFalse(processor.queueLength() > 0);
    }
}
