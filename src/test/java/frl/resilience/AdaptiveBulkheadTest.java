package frl.resilience;

import frl.resilience.Compartment.Outcome;
import frl.resilience.AdaptiveBulkhead.Permit;
import frl.resilience.retry.Verdict;
import frl.testing.FakeClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Enforcement: permits against the current limit, each ended call fed back, on a fake clock. */
class AdaptiveBulkheadTest {
    static final Duration BUDGET = Duration.ofSeconds(3);

    final FakeClock clock = new FakeClock();
    final AdaptiveBulkhead bulkhead = new AdaptiveBulkhead("orders->payments", AdaptiveLimit.Config.defaults(), clock);

    List<Permit> acquire(int n) {
        List<Permit> permits = IntStream.range(0, n).mapToObj(i -> bulkhead.tryAcquire(BUDGET)).toList();
        permits.forEach(p -> assertNotNull(p, "refused within the limit"));
        return permits;
    }

    @Test
    void beyondTheCurrentLimitCallsAreRefusedAsAReturnValueAndCounted() {
        // Given a fresh bulkhead (limit 20) with 20 calls in flight
        List<Permit> held = acquire(20);
        // When a 21st asks, Then it is refused: null, counted, nothing thrown
        assertNull(bulkhead.tryAcquire(BUDGET));
        assertEquals(1, bulkhead.rejections());
        // When one call ends after 100 ms, Then its slot is free and the limit has grown by one
        clock.advanceMillis(100);
        held.getFirst().release(Outcome.ANSWERED);
        assertEquals(21, bulkhead.limit());
        assertEquals(19, bulkhead.inFlight());
        acquire(2);
        assertNull(bulkhead.tryAcquire(BUDGET));
        assertEquals(2, bulkhead.rejections());
        bulkhead.resetCounts();
        assertEquals(0, bulkhead.rejections());
    }

    @Test
    void executeRefusesWithTheBulkheadExceptionNamingItAndNeverRunsTheCall() {
        acquire(20);
        AtomicInteger ran = new AtomicInteger();
        var e = assertThrows(BulkheadFullException.class, () -> bulkhead.execute(BUDGET, ran::incrementAndGet));
        assertEquals("orders->payments", e.bulkheadName());
        assertEquals("bulkhead 'orders->payments' is full (20 calls in flight)", e.getMessage());
        assertEquals(0, ran.get());
        // The composition already treats it as ours, not the downstream's: never retried, not a breaker failure
        assertEquals(false, Verdict.of(e).isDownstreamFailure());
    }

    @Test
    void aTimeoutCutsTheLimitToHalfOfWhatWasInFlightWhenTheCallStarted() throws Exception {
        // Given 10 calls in flight and an 11th that times out after its whole budget
        acquire(10);
        var e = assertThrows(HttpTimeoutException.class, () -> bulkhead.execute(BUDGET, () -> {
            clock.advance(BUDGET);
            throw new HttpTimeoutException("request timed out");
        }));
        assertEquals("request timed out", e.getMessage());
        // Then the limit is 11 * 0.5 = 5.5 -> 5 permits, and the slot came back
        assertEquals(5, bulkhead.limit());
        assertEquals(10, bulkhead.inFlight());
    }

    @Test
    void aQuickErrorIsAnAnswerAndAnInterruptOrSpentDeadlineSaysNothing() {
        // A refused connection that failed in 5 ms is a fast answer: errors are not pressure, the limit grows
        assertThrows(ConnectException.class, () -> bulkhead.execute(BUDGET, () -> {
            clock.advanceMillis(5);
            throw new ConnectException("Connection refused");
        }));
        assertEquals(21, bulkhead.limit());
        // A call interrupted, or whose deadline was spent before it went, measured nothing
        AdaptiveLimit.Estimate before = bulkhead.estimate();
        assertThrows(InterruptedException.class, () -> bulkhead.execute(BUDGET, () -> {
            clock.advance(Duration.ofSeconds(10));
            throw new InterruptedException();
        }));
        assertThrows(DeadlineExceededException.class, () -> bulkhead.execute(BUDGET, () -> {
            throw new DeadlineExceededException("deadline spent");
        }));
        assertEquals(before, bulkhead.estimate());
        assertEquals(0, bulkhead.inFlight());
    }

    @Test
    void aPermitIsReleasedOnceAndABudgetMustBePositive() {
        Permit p = bulkhead.tryAcquire(BUDGET);
        p.release(Outcome.NOT_SENT);
        assertEquals("adaptive bulkhead 'orders->payments': permit released twice",
                assertThrows(IllegalStateException.class, () -> p.release(Outcome.ANSWERED)).getMessage());
        assertEquals(0, bulkhead.inFlight());
        assertEquals("adaptive bulkhead 'orders->payments': budget must be positive, was PT0S",
                assertThrows(IllegalArgumentException.class, () -> bulkhead.tryAcquire(Duration.ZERO)).getMessage());
    }

    @ParameterizedTest
    @EnumSource(Threads.class)
    void underConcurrencyExactlyTheLimitIsAdmittedAndEveryReleaseIsCounted(Threads threads) throws Exception {
        // Given 100 callers arriving at once, holding what they get
        ConcurrentLinkedQueue<Permit> held = new ConcurrentLinkedQueue<>();
        AtomicInteger refused = new AtomicInteger();
        Concurrently.run(threads, 100, () -> {
            Permit p = bulkhead.tryAcquire(BUDGET);
            if (p == null) {
                refused.incrementAndGet();
            } else {
                held.add(p);
            }
        });
        // Then exactly the initial 20 got in, and 80 were refused and counted
        assertEquals(20, held.size());
        assertEquals(80, refused.get());
        assertEquals(80, bulkhead.rejections());
        // When all 20 end at once, quickly, on their own threads
        Concurrently.run(threads, 20, () -> held.remove().release(Outcome.ANSWERED));
        // Then every slot came back, and each answer added one, in whatever order they landed
        assertEquals(0, bulkhead.inFlight());
        assertEquals(40, bulkhead.limit());
    }
}
