package frl.resilience.compose;

import frl.resilience.Backoff;
import frl.resilience.Bulkhead;
import frl.resilience.BulkheadFullException;
import frl.resilience.Deadline;
import frl.resilience.DeadlineExceededException;
import frl.resilience.breaker.CircuitBreaker;
import frl.resilience.breaker.CircuitBreakerConfig;
import frl.resilience.breaker.CircuitOpenException;
import frl.resilience.retry.Retry.Event;
import frl.resilience.retry.Retry;
import frl.resilience.retry.Verdict;
import frl.testing.FakeClock;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static frl.resilience.breaker.CircuitBreaker.State.CLOSED;
import static frl.resilience.breaker.CircuitBreaker.State.HALF_OPEN;
import static frl.resilience.breaker.CircuitBreaker.State.OPEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layers together, on one fake clock: what each layer's position in
 * Retry(CircuitBreaker(Bulkhead(Timeout(call)))) makes happen.
 */
class ResilienceTest {

    final FakeClock clock = new FakeClock();
    final List<Event> attempts = new ArrayList<>();
    /** The per-attempt timeout each call that reached the downstream was given. */
    final List<Duration> timeouts = new ArrayList<>();

    static final Function<Integer, Verdict> STATUS = status -> Verdict.ofHttp(status, null);

    Retry retry(int maxAttempts, Backoff backoff) {
        return new Retry(Retry.Policy.of(maxAttempts, backoff), clock, clock, new Random(1)::nextDouble, attempts::add);
    }

    CircuitBreaker breaker(CircuitBreakerConfig config) {
        return new CircuitBreaker("payments", config, clock);
    }

    /** A downstream answering the given statuses in turn, recording the timeout it was given. */
    Resilience.Attempt<Integer> answers(Integer... statuses) {
        Iterator<Integer> it = List.of(statuses).iterator();
        return timeout -> {
            timeouts.add(timeout);
            return it.next();
        };
    }

    @Test
    void withEveryLayerOffTheCallRunsOnceWithNoTimeout() throws Exception {
        // Given Config A, When the downstream answers 503, Then the caller gets it: no retry, no timeout
        int status = Resilience.none(clock).call(null, answers(503, 200), STATUS);
        assertEquals(503, status);
        assertEquals(1, timeouts.size());
        assertEquals(null, timeouts.getFirst());
    }

    @Test
    void retriesAloneRetryWithoutTimeouts() throws Exception {
        // Given Config B (naive retries: no jitter, no timeouts)
        Resilience b = Resilience.none(clock).withRetry(retry(3, Backoff.fixed(Duration.ofMillis(100), Backoff.Jitter.NONE)));
        // When 503, 503, 200, Then 200 after three attempts, none of them bounded
        assertEquals(200, b.call(null, answers(503, 503, 200), STATUS));
        assertEquals(List.of(), timeouts.stream().filter(t -> t != null).toList());
        assertEquals(3, timeouts.size());
    }

    @Test
    void eachAttemptsTimeoutShrinksWithTheDeadline() throws Exception {
        // Given Config C: 10 s per hop, a 25 s deadline, 3 attempts 100 ms apart
        Resilience c = Resilience.none(clock).withRetry(retry(3, Backoff.fixed(Duration.ofMillis(100), Backoff.Jitter.NONE)))
                .withHopTimeout(Deadline.DEFAULT_HOP_TIMEOUT);
        Deadline deadline = Deadline.after(Deadline.DEFAULT_BUDGET, clock);
        // When every attempt runs into its timeout
        Resilience.Attempt<Integer> hangs = timeout -> {
            timeouts.add(timeout);
            clock.advance(timeout);
            throw new HttpTimeoutException("no answer within " + timeout);
        };
        assertThrows(HttpTimeoutException.class, () -> c.call(deadline, hangs, STATUS));
        // Then 10 s, then 10 s (at 10.1 s), then only the 4.8 s left (at 20.2 s): no attempt outlives the deadline
        assertEquals(List.of(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofMillis(4800)), timeouts);
        assertTrue(deadline.isExpired());
    }

    @Test
    void anOpenBreakerEndsTheRetries() {
        // Given Config D: up to 5 attempts around a breaker that opens after 2 failures
        CircuitBreaker cb = breaker(CircuitBreakerConfig.defaults().withFailureThreshold(2));
        Resilience d = Resilience.none(clock).withRetry(retry(5, Backoff.none())).withBreaker(cb);
        // When the downstream refuses every connection
        Resilience.Attempt<Integer> refused = timeout -> {
            timeouts.add(timeout);
            throw new ConnectException("refused");
        };
        // Then two attempts reach it, the breaker opens, and the third attempt's refusal ends it all
        var e = assertThrows(CircuitOpenException.class, () -> d.call(null, refused, STATUS));
        assertEquals("payments", e.breakerName());
        assertEquals(2, timeouts.size());
        assertEquals(3, attempts.size());
        assertInstanceOf(CircuitOpenException.class, attempts.getLast().error());
        assertEquals(OPEN, cb.state());
    }

    @Test
    void theBreakerCountsEveryAttemptNotEveryRequest() throws Exception {
        // Given retries outside the breaker, When all 3 attempts get 503
        CircuitBreaker cb = breaker(CircuitBreakerConfig.defaults());
        Resilience d = Resilience.none(clock).withRetry(retry(3, Backoff.none())).withBreaker(cb);
        assertEquals(503, d.call(null, answers(503, 503, 503), STATUS));
        // Then the breaker saw three failures, not one
        assertEquals(3, cb.snapshot().failures());
        assertEquals(3, cb.snapshot().calls());
    }

    @Test
    void aClientErrorIsTheDownstreamWorkingNotFailing() throws Exception {
        CircuitBreaker cb = breaker(CircuitBreakerConfig.defaults());
        Resilience d = Resilience.none(clock).withBreaker(cb);
        // When payments declines (402), Then a success for the breaker; a 500 is a failure
        assertEquals(402, d.call(null, answers(402), STATUS));
        assertEquals(500, d.call(null, answers(500), STATUS));
        assertEquals(2, cb.snapshot().calls());
        assertEquals(1, cb.snapshot().failures());
    }

    @Test
    void aFullBulkheadIsNeitherRetriedNorHeldAgainstTheDownstream() {
        // Given Config E with the only bulkhead slot taken
        CircuitBreaker cb = breaker(CircuitBreakerConfig.defaults());
        Bulkhead bulkhead = new Bulkhead("payments", Bulkhead.Config.of(1));
        Resilience e = Resilience.none(clock).withRetry(retry(3, Backoff.none())).withBreaker(cb).withBulkhead(bulkhead);
        assertTrue(bulkhead.tryAcquire());
        // When a call is made, Then it is refused once (not retried), and the breaker counted nothing
        assertThrows(BulkheadFullException.class, () -> e.call(null, answers(200), STATUS));
        assertEquals(1, attempts.size());
        assertEquals(List.of(), timeouts);
        assertEquals(0, cb.snapshot().calls());
        assertEquals(1, bulkhead.rejections());
    }

    @Test
    void aFullBulkheadGivesTheHalfOpenProbeBack() throws Exception {
        // Given a half-open breaker with a single probe, and a full bulkhead behind it
        CircuitBreaker cb = breaker(CircuitBreakerConfig.defaults().withFailureThreshold(1).withPermittedHalfOpenCalls(1));
        Bulkhead bulkhead = new Bulkhead("payments", Bulkhead.Config.of(1));
        Resilience e = Resilience.none(clock).withBreaker(cb).withBulkhead(bulkhead);
        assertEquals(500, e.call(null, answers(500), STATUS));
        clock.advance(Duration.ofSeconds(30));
        assertTrue(bulkhead.tryAcquire());
        // When the probe is refused by the bulkhead
        assertThrows(BulkheadFullException.class, () -> e.call(null, answers(200), STATUS));
        // Then the probe slot is free again: the next caller probes, and its success closes the breaker
        assertEquals(HALF_OPEN, cb.state());
        bulkhead.release();
        assertEquals(200, e.call(null, answers(200), STATUS));
        assertEquals(CLOSED, cb.state());
    }

    @Test
    void aSpentDeadlineNeverReachesTheDownstreamNorTheBreakersCounts() {
        // Given a breaker and a 10 s hop timeout, but no retry, and a deadline already spent
        CircuitBreaker cb = breaker(CircuitBreakerConfig.defaults());
        Resilience r = Resilience.none(clock).withBreaker(cb).withHopTimeout(Duration.ofSeconds(10));
        Deadline deadline = Deadline.after(Duration.ofMillis(1), clock);
        clock.advanceMillis(1);
        // When called, Then 504's exception; the downstream was not called and the breaker counted nothing
        assertThrows(DeadlineExceededException.class, () -> r.call(deadline, answers(200), STATUS));
        assertEquals(List.of(), timeouts);
        assertEquals(0, cb.snapshot().calls());
    }

    @Test
    void aSlowSuccessReachesTheBreakerAsAFailure() throws Exception {
        // Given calls slower than 1 s count as failures and one failure trips the breaker
        CircuitBreaker cb = breaker(CircuitBreakerConfig.defaults().withFailureThreshold(1)
                .withSlowCallThreshold(Duration.ofSeconds(1)));
        Resilience d = Resilience.none(clock).withBreaker(cb);
        // When a call answers 200 after 2 s, Then the caller gets its 200 and the breaker opens
        assertEquals(200, d.call(null, timeout -> {
            clock.advance(Duration.ofSeconds(2));
            return 200;
        }, STATUS));
        assertEquals(OPEN, cb.state());
    }

    @Test
    void aNonPositiveHopTimeoutIsRefusedQuotingIt() {
        var e = assertThrows(IllegalArgumentException.class, () -> Resilience.none(clock).withHopTimeout(Duration.ZERO));
        assertEquals("hopTimeout must be positive or null (off), was PT0S", e.getMessage());
    }
}
