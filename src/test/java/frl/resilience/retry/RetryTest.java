package frl.resilience.retry;

import frl.resilience.Backoff;
import frl.resilience.BulkheadFullException;
import frl.resilience.Deadline;
import frl.resilience.DeadlineExceededException;
import frl.resilience.breaker.CircuitOpenException;
import frl.resilience.retry.Retry.Event;
import frl.resilience.retry.Retry.Next;
import frl.testing.FakeClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retry on a fake clock: the schedule is read back from the sleeper as a list of durations.
 * Unless a test says otherwise: 3 attempts, fixed 100 ms backoff without jitter, no deadline.
 */
class RetryTest {

    /** Stands in for an HTTP response. */
    record Response(int status, String retryAfter) {
        static Response of(int status) {
            return new Response(status, null);
        }
    }

    static final Function<Response, Verdict> HTTP = r -> Verdict.ofHttp(r.status(), r.retryAfter());
    static final Backoff FIXED_100 = Backoff.fixed(Duration.ofMillis(100), Backoff.Jitter.NONE);

    final FakeClock clock = new FakeClock();
    final List<Event> events = new ArrayList<>();
    final AtomicInteger calls = new AtomicInteger();

    Retry retry(int maxAttempts, Backoff backoff) {
        return new Retry(Retry.Policy.of(maxAttempts, backoff), clock, clock, new Random(42)::nextDouble, events::add);
    }

    /** An attempt that answers with the given statuses in turn. */
    Callable<Response> answers(Integer... statuses) {
        Iterator<Integer> it = List.of(statuses).iterator();
        return () -> {
            calls.incrementAndGet();
            return Response.of(it.next());
        };
    }

    static Duration ms(long ms) {
        return Duration.ofMillis(ms);
    }

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted(); // never leak an interrupt into the next test
    }

    @Test
    void aSuccessIsReturnedAtOnce() throws Exception {
        // Given a downstream that answers 200, When called, Then one attempt and no sleep
        Response r = retry(3, FIXED_100).call(null, answers(200), HTTP);
        assertEquals(200, r.status());
        assertEquals(List.of(), clock.sleeps());
        assertEquals(List.of(new Event(1, Verdict.SUCCESS, null, 0, Next.DONE, Duration.ZERO)), events);
    }

    @Test
    void transientFailuresAreRetriedUntilSuccess() throws Exception {
        // Given 503, 502, then 200, When called with 3 attempts and exponential backoff 100 ms
        Retry retry = retry(3, Backoff.exponential(ms(100), ms(1000), Backoff.Jitter.NONE));
        Response r = retry.call(null, answers(503, 502, 200), HTTP);
        // Then the third attempt's 200 is returned, after waits of 100 and 200 ms
        assertEquals(200, r.status());
        assertEquals(List.of(ms(100), ms(200)), clock.sleeps());
        assertEquals(List.of(Next.RETRY, Next.RETRY, Next.DONE), events.stream().map(Event::next).toList());
        assertEquals(List.of(ms(100), ms(200), Duration.ZERO), events.stream().map(Event::delay).toList());
        assertEquals(List.of(1, 2, 3), events.stream().map(Event::attempt).toList());
    }

    @Test
    void whenAttemptsRunOutTheLastResponseIsReturned() throws Exception {
        // Given a downstream that always answers 503, When called with 3 attempts
        Response r = retry(3, FIXED_100).call(null, answers(503, 503, 503), HTTP);
        // Then the caller gets the third 503 itself, and the listener says why it stopped
        assertEquals(503, r.status());
        assertEquals(3, calls.get());
        assertEquals(Next.GIVE_UP_ATTEMPTS, events.getLast().next());
        assertEquals(List.of(ms(100), ms(100)), clock.sleeps());
    }

    @Test
    void whenAttemptsRunOutTheLastExceptionIsThrownUnwrapped() {
        // Given a downstream that refuses every connection
        List<ConnectException> thrown = new ArrayList<>();
        Callable<Response> refused = () -> {
            ConnectException e = new ConnectException("refused #" + (thrown.size() + 1));
            thrown.add(e);
            throw e;
        };
        // When called with 3 attempts, Then the third ConnectException itself is thrown
        ConnectException e = assertThrows(ConnectException.class, () -> retry(3, FIXED_100).call(null, refused, HTTP));
        assertSame(thrown.get(2), e);
        assertEquals(3, events.size());
        assertSame(thrown.get(0), events.getFirst().error());
    }

    @ParameterizedTest(name = "HTTP {0} is final")
    @ValueSource(ints = {400, 401, 402, 404, 408, 409, 422, 500})
    void otherClientErrorsAndTheInternalErrorAreNotRetried(int status) throws Exception {
        // Given a downstream answering this status, When called with 3 attempts
        Response r = retry(3, FIXED_100).call(null, answers(status, 200), HTTP);
        // Then exactly one attempt, its response returned, no sleep
        assertEquals(status, r.status());
        assertEquals(1, calls.get());
        assertEquals(Next.DONE, events.getFirst().next());
        assertEquals(List.of(), clock.sleeps());
    }

    @Test
    void retryAfterIsHonouredAsAFloorWithTheBackoffOnTop() throws Exception {
        // Given 429 with Retry-After: 2, then 200
        Iterator<Response> answers = List.of(new Response(429, "2"), Response.of(200)).iterator();
        Response r = retry(3, FIXED_100).call(null, answers::next, HTTP);
        // Then the wait is 2 s + 100 ms backoff, so clients told "2" do not return in lockstep
        assertEquals(200, r.status());
        assertEquals(List.of(ms(2100)), clock.sleeps());
    }

    @Test
    void aRetryAfterLongerThanTheLimitEndsTheRetries() throws Exception {
        // Given 503 with Retry-After: 60, above the default limit of 10 s
        Response r = retry(3, FIXED_100).call(null, () -> new Response(503, "60"), HTTP);
        // Then the 503 is returned at once rather than parking a thread for a minute
        assertEquals(503, r.status());
        assertEquals(Next.GIVE_UP_RETRY_AFTER, events.getFirst().next());
        assertEquals(List.of(), clock.sleeps());
    }

    @Test
    void noSleepIsStartedThatWouldReachTheDeadline() throws Exception {
        // Given a 250 ms deadline and 5 attempts 100 ms apart, each answering 503 instantly
        Deadline deadline = Deadline.after(ms(250), clock);
        Response r = retry(5, FIXED_100).call(deadline, answers(503, 503, 503, 503, 503), HTTP);
        // Then attempts at 0, 100 and 200 ms; at 200 ms only 50 ms are left, so it stops there
        assertEquals(503, r.status());
        assertEquals(3, calls.get());
        assertEquals(List.of(ms(100), ms(100)), clock.sleeps());
        assertEquals(Next.GIVE_UP_DEADLINE, events.getLast().next());
    }

    @Test
    void aSleepEndingExactlyAtTheDeadlineIsNotStarted() throws Exception {
        // Given exactly 100 ms left and a 100 ms backoff: waking up at the deadline leaves no time to call
        Deadline deadline = Deadline.after(ms(100), clock);
        retry(3, FIXED_100).call(deadline, answers(503, 200), HTTP);
        // Then one attempt only
        assertEquals(1, calls.get());
        assertEquals(Next.GIVE_UP_DEADLINE, events.getFirst().next());
    }

    @Test
    void slowAttemptsUseUpTheDeadlineToo() throws Exception {
        // Given a 1 s deadline and attempts that each take 450 ms before failing with 504
        Deadline deadline = Deadline.after(ms(1000), clock);
        Callable<Response> slow = () -> {
            calls.incrementAndGet();
            clock.advanceMillis(450);
            return Response.of(504);
        };
        retry(5, FIXED_100).call(deadline, slow, HTTP);
        // Then attempt 1 ends at 450, sleep to 550, attempt 2 ends at 1000: nothing left, so stop
        assertEquals(2, calls.get());
        assertEquals(List.of(ms(450).toNanos(), ms(450).toNanos()), events.stream().map(Event::durationNanos).toList());
    }

    @Test
    void aSpentDeadlineMakesNoAttemptAtAll() {
        // Given a deadline that has already passed
        Deadline deadline = Deadline.after(ms(10), clock);
        clock.advanceMillis(10);
        // When called, Then DeadlineExceededException (504) and the downstream never hears of it
        assertThrows(DeadlineExceededException.class, () -> retry(3, FIXED_100).call(deadline, answers(200), HTTP));
        assertEquals(0, calls.get());
        assertEquals(List.of(), events);
    }

    @Test
    void anOpenBreakerOrAFullBulkheadFurtherInIsNeverRetried() {
        // Given inner layers that refuse: retrying their "no" would multiply the load they refused
        for (RuntimeException refusal : List.of(new CircuitOpenException("payments", Duration.ofSeconds(30)),
                new BulkheadFullException("payments", 20))) {
            events.clear();
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> retry(3, FIXED_100).call(null, () -> { throw refusal; }, HTTP));
            // Then the refusal is thrown after a single attempt
            assertSame(refusal, e);
            assertEquals(1, events.size());
        }
        assertEquals(List.of(), clock.sleeps());
    }

    @Test
    void anInterruptDuringTheSleepStopsAndIsKept() throws Exception {
        // Given an attempt that answers 503 while its thread is being interrupted
        Callable<Response> interrupted = () -> {
            calls.incrementAndGet();
            Thread.currentThread().interrupt();
            return Response.of(503);
        };
        // When the retry would sleep, Then it stops, returns the last 503, and the flag is still set
        Response r = retry(3, FIXED_100).call(null, interrupted, HTTP);
        assertEquals(503, r.status());
        assertEquals(1, calls.get());
        assertTrue(Thread.currentThread().isInterrupted());
    }

    @Test
    void anInterruptAfterAnExceptionRethrowsItWithTheInterruptAttached() {
        Callable<Response> refused = () -> {
            Thread.currentThread().interrupt();
            throw new ConnectException("refused");
        };
        ConnectException e = assertThrows(ConnectException.class, () -> retry(3, FIXED_100).call(null, refused, HTTP));
        assertInstanceOf(InterruptedException.class, e.getSuppressed()[0]);
        assertTrue(Thread.currentThread().isInterrupted());
    }

    @Test
    void anInterruptedAttemptIsNotRetried() {
        Callable<Response> cancelled = () -> {
            calls.incrementAndGet();
            throw new InterruptedException("cancelled");
        };
        assertThrows(InterruptedException.class, () -> retry(3, FIXED_100).call(null, cancelled, HTTP));
        assertEquals(1, calls.get());
    }

    @Test
    void theSameSeedGivesTheSameJitteredSchedule() throws Exception {
        // Given decorrelated jitter and a seeded draw source
        Backoff backoff = Backoff.exponential(ms(100), ms(5000), Backoff.Jitter.DECORRELATED);
        retry(5, backoff).call(null, answers(503, 503, 503, 503, 200), HTTP);
        // Then the sleeps are exactly what the pure function gives for the same seed, each fed its previous delay
        Random same = new Random(42);
        List<Duration> expected = new ArrayList<>();
        Duration prev = null;
        for (int n = 1; n <= 4; n++) {
            prev = backoff.delay(n, prev, same.nextDouble());
            expected.add(prev);
        }
        assertEquals(expected, clock.sleeps());
    }

    @Test
    void aPolicyRejectsZeroAttemptsQuotingTheValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> Retry.Policy.of(0, FIXED_100));
        assertEquals("maxAttempts counts the first attempt and must be at least 1, was 0", e.getMessage());
        assertEquals(3, Retry.Policy.defaults().maxAttempts());
        assertEquals(Backoff.defaults(), Retry.Policy.defaults().backoff());
    }
}
