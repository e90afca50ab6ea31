package frl.resilience;

import frl.resilience.breaker.CircuitBreaker;
import frl.resilience.breaker.CircuitBreakerConfig;
import frl.resilience.compose.Resilience;
import frl.resilience.retry.Retry;
import frl.resilience.retry.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * How often a success reads the clock: each reading costs ~30 ns on the lab's machine, which is a
 * large share of a pattern's success path (PatternBenchmarks measures it). A counting clock that
 * never moves says how many readings each path takes; the numbers are part of the contract the
 * class comments state.
 */
class ClockReadsTest {

    /** A clock that stands still and counts how often it is read. */
    static final class CountingClock implements NanoClock {
        long now = 1_000_000_000L;
        int reads;

        @Override
        public long nanoTime() {
            reads++;
            return now;
        }
    }

    private static final CircuitBreakerConfig COUNT_WINDOW =
            CircuitBreakerConfig.defaults().withWindow(CircuitBreakerConfig.WindowType.COUNT_BASED, 100);

    @Test
    void aBreakerWithACountWindowReadsTheClockOncePerSuccess() throws Exception {
        // Given a closed breaker over a count window, no slow-call threshold
        CountingClock clock = new CountingClock();
        CircuitBreaker breaker = new CircuitBreaker("payments", COUNT_WINDOW, clock);

        // When ten calls succeed
        for (int i = 0; i < 10; i++) {
            breaker.execute(() -> "ok", r -> false);
        }

        // Then the start of each call was the only reading: it also served the permission check
        assertEquals(10, clock.reads);
    }

    @Test
    void aSlowCallThresholdAddsTheEndOfTheCall() throws Exception {
        CountingClock clock = new CountingClock();
        CircuitBreaker breaker = new CircuitBreaker("payments",
                COUNT_WINDOW.withSlowCallThreshold(Duration.ofSeconds(1)), clock);

        breaker.execute(() -> "ok", r -> false);

        assertEquals(2, clock.reads, "start and end, to know the call's duration");
    }

    @Test
    void aTimeBasedWindowReadsTheTimeItRecordsAt() throws Exception {
        CountingClock clock = new CountingClock();
        CircuitBreaker breaker = new CircuitBreaker("payments", CircuitBreakerConfig.defaults(), clock);

        breaker.execute(() -> "ok", r -> false);

        assertEquals(2, clock.reads, "the start, and the time the outcome goes into its second");
    }

    @Test
    void anOpenBreakerJudgesPermissionByTheTimeTheCallerGives() {
        // Given a breaker tripped open at t0 for 30 s
        CountingClock clock = new CountingClock();
        CircuitBreaker breaker = new CircuitBreaker("payments",
                COUNT_WINDOW.withFailureThreshold(1).withOpenDuration(Duration.ofSeconds(30)), clock);
        breaker.onFailure(breaker.acquirePermission());
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
        long t0 = clock.now;
        int readsBefore = clock.reads;

        // When asked at a time the caller read itself: just before, and at, the end of the open duration
        long early = breaker.tryAcquirePermission(t0 + Duration.ofSeconds(30).toNanos() - 1);
        long onTime = breaker.tryAcquirePermission(t0 + Duration.ofSeconds(30).toNanos());

        // Then the breaker used those times and read no clock of its own
        assertEquals(CircuitBreaker.REFUSED, early);
        assertNotEquals(CircuitBreaker.REFUSED, onTime);
        assertEquals(CircuitBreaker.State.HALF_OPEN, breaker.state());
        assertEquals(readsBefore, clock.reads);
    }

    @Test
    void aRetryTimesAttemptsOnlyForItsListener() throws Exception {
        CountingClock clock = new CountingClock();
        Retry quiet = new Retry(Retry.Policy.defaults(), clock, Sleeper.system(), () -> 0.5, null);
        quiet.call(null, () -> "ok", r -> Verdict.SUCCESS);
        assertEquals(0, clock.reads, "nobody asks how long the attempt took");

        List<Retry.Event> events = new ArrayList<>();
        Retry listened = new Retry(Retry.Policy.defaults(), clock, Sleeper.system(), () -> 0.5, events::add);
        listened.call(null, () -> "ok", r -> Verdict.SUCCESS);
        assertEquals(2, clock.reads, "start and end of the one attempt");
        assertEquals(1, events.size());
    }

    @Test
    void theCompositionReadsTheClockOncePerSuccess() throws Exception {
        // Given Retry(CircuitBreaker(Bulkhead(call))), no listener, no deadline, no timeout
        CountingClock clock = new CountingClock();
        Resilience stack = Resilience.none(clock)
                .withRetry(new Retry(Retry.Policy.defaults(), clock, Sleeper.system(), () -> 0.5, null))
                .withBreaker(new CircuitBreaker("payments", COUNT_WINDOW, clock))
                .withBulkhead(new Bulkhead("payments", Bulkhead.Config.of(20)));

        // When a call succeeds at the first attempt
        String result = stack.call(null, timeout -> "ok", r -> Verdict.SUCCESS);

        // Then one reading: the breaker's start, which also served its permission check
        assertEquals("ok", result);
        assertEquals(1, clock.reads);
    }
}
