package frl.resilience.breaker;

import frl.resilience.breaker.CircuitBreaker.State;
import frl.resilience.breaker.CircuitBreakerConfig.WindowType;
import frl.testing.FakeClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static frl.resilience.breaker.CircuitBreaker.State.CLOSED;
import static frl.resilience.breaker.CircuitBreaker.State.HALF_OPEN;
import static frl.resilience.breaker.CircuitBreaker.State.OPEN;
import static frl.resilience.breaker.CircuitBreaker.REFUSED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The breaker on a fake clock. Outcome strings read left to right: S = success, F = failure;
 * state strings give the state after each call: C = CLOSED, O = OPEN, H = HALF_OPEN.
 * Unless a test says otherwise the config is {@link #LAST_20_CALLS}: last 20 calls, 5 failures or
 * 50% after 10 calls trip it, open 30 s, 3 probes.
 */
class CircuitBreakerTest {
    /** The spec's threshold=5 on a count window: small numbers a test can play call by call. */
    static final CircuitBreakerConfig LAST_20_CALLS = new CircuitBreakerConfig(WindowType.COUNT_BASED, 20, 5, 50, 10,
            null, Duration.ofSeconds(30), 3);

    final FakeClock clock = new FakeClock();
    final List<String> transitions = new ArrayList<>();

    CircuitBreaker breaker(CircuitBreakerConfig config) {
        CircuitBreaker b = new CircuitBreaker("payments", config, clock);
        b.addListener((name, from, to) -> transitions.add(name + ": " + from + " -> " + to));
        return b;
    }

    /** Asks for permission, which must be given; returns the ticket. */
    static long permitted(CircuitBreaker b) {
        long ticket = b.tryAcquirePermission();
        assertNotEquals(REFUSED, ticket, "permission refused in " + b.state());
        return ticket;
    }

    /** Makes one permitted call per character and returns the state after each. */
    static String play(CircuitBreaker b, String outcomes) {
        StringBuilder states = new StringBuilder();
        for (char c : outcomes.toCharArray()) {
            long ticket = permitted(b);
            if (c == 'F') {
                b.onFailure(ticket);
            } else {
                b.onSuccess(ticket, 0);
            }
            states.append(b.state().name().charAt(0));
        }
        return states.toString();
    }

    /** A breaker in {@code state}, reached by legal transitions only. */
    CircuitBreaker in(State state) {
        CircuitBreaker b = breaker(LAST_20_CALLS);
        if (state != CLOSED) {
            b.transitionTo(OPEN, clock.nanoTime());
        }
        if (state == HALF_OPEN) {
            b.transitionTo(HALF_OPEN, clock.nanoTime());
        }
        transitions.clear();
        return b;
    }

    // ---- the transition table ----

    @ParameterizedTest(name = "{0} -> {1}: legal {2}")
    @CsvSource({
            "CLOSED, OPEN, true", "CLOSED, HALF_OPEN, false", "CLOSED, CLOSED, false",
            "OPEN, HALF_OPEN, true", "OPEN, CLOSED, true", "OPEN, OPEN, false",
            "HALF_OPEN, OPEN, true", "HALF_OPEN, CLOSED, true", "HALF_OPEN, HALF_OPEN, false"})
    void everyPairOfStatesIsEitherListedOrRefused(State from, State to, boolean legal) {
        // Given a breaker in `from`
        CircuitBreaker b = in(from);
        assertEquals(legal, from.canMoveTo(to));
        if (legal) {
            // When asked to move to a listed state, Then it does, and the listener hears it
            b.transitionTo(to, clock.nanoTime());
            assertEquals(to, b.state());
            assertEquals(List.of("payments: " + from + " -> " + to), transitions);
        } else {
            // When asked to move anywhere else, Then IllegalStateException, and nothing changed
            var e = assertThrows(IllegalStateException.class, () -> b.transitionTo(to, clock.nanoTime()));
            assertEquals("circuit breaker 'payments': illegal transition " + from + " -> " + to, e.getMessage());
            assertEquals(from, b.state());
            assertEquals(List.of(), transitions);
        }
    }

    // ---- each legal transition, driven through the public API ----

    @Test
    void closedToOpenAtTheFifthFailureInTheWindow() {
        // Given the spec's threshold of 5, When 5 calls fail, Then it opens at the fifth
        CircuitBreaker b = breaker(LAST_20_CALLS);
        assertEquals("CCCCO", play(b, "FFFFF"));
        assertEquals(List.of("payments: CLOSED -> OPEN"), transitions);
    }

    @Test
    void openRefusesUntilTheOpenDurationHasPassedThenTheNextRequestProbes() {
        // Given a breaker that just opened
        CircuitBreaker b = breaker(LAST_20_CALLS);
        play(b, "FFFFF");
        // Then callers are refused at once, told to come back in 30 s
        var e = assertThrows(CircuitOpenException.class, b::acquirePermission);
        assertEquals("payments", e.breakerName());
        assertEquals(Duration.ofSeconds(30), e.retryAfter());
        // When 29.999 s have passed, Then still refused, 1 ms to go
        clock.advance(Duration.ofMillis(29_999));
        assertEquals(Duration.ofMillis(1), assertThrows(CircuitOpenException.class, b::acquirePermission).retryAfter());
        // When the last millisecond passes, Then nothing happens by itself: there is no timer
        clock.advanceMillis(1);
        assertEquals(OPEN, b.state());
        // When the next request comes, Then it is the first probe
        permitted(b);
        assertEquals(HALF_OPEN, b.state());
        assertEquals(List.of("payments: CLOSED -> OPEN", "payments: OPEN -> HALF_OPEN"), transitions);
    }

    @Test
    void halfOpenLetsThroughAtMostThePermittedProbes() {
        CircuitBreaker b = in(OPEN);
        clock.advance(Duration.ofSeconds(30));
        // When four callers ask, Then three probes are let through and the fourth is refused
        permitted(b);
        permitted(b);
        permitted(b);
        var e = assertThrows(CircuitOpenException.class, b::acquirePermission);
        assertEquals(Duration.ofSeconds(1), e.retryAfter());
        assertEquals(HALF_OPEN, b.state());
    }

    @Test
    void halfOpenClosesOnlyWhenEveryProbeHasSucceeded() {
        CircuitBreaker b = breaker(LAST_20_CALLS);
        play(b, "FFFFF");
        clock.advance(Duration.ofSeconds(30));
        // When the 3 probes succeed, Then HALF_OPEN until the third, then CLOSED with an empty window
        assertEquals("HHC", play(b, "SSS"));
        assertEquals(new Snapshot("payments", CLOSED, 0, 0, 0.0, 0), b.snapshot());
        assertEquals(List.of("payments: CLOSED -> OPEN", "payments: OPEN -> HALF_OPEN", "payments: HALF_OPEN -> CLOSED"),
                transitions);
    }

    @Test
    void halfOpenReopensOnTheFirstFailedProbeForAnotherFullOpenDuration() {
        CircuitBreaker b = in(OPEN);
        clock.advance(Duration.ofSeconds(30));
        // When the first probe succeeds and the second fails, Then OPEN at once
        assertEquals("HO", play(b, "SF"));
        // And the open duration starts again from the failure
        assertEquals(30_000, b.snapshot().millisUntilHalfOpen());
        clock.advance(Duration.ofSeconds(30));
        permitted(b);
        assertEquals(List.of("payments: OPEN -> HALF_OPEN", "payments: HALF_OPEN -> OPEN", "payments: OPEN -> HALF_OPEN"),
                transitions);
    }

    @Test
    void resetClosesAnOpenBreakerAndEmptiesAClosedOneWithoutATransition() {
        // Given an open breaker, When reset, Then CLOSED (the operator's transition)
        CircuitBreaker b = breaker(LAST_20_CALLS);
        play(b, "FFFFF");
        b.reset();
        assertEquals(CLOSED, b.state());
        assertEquals("payments: OPEN -> CLOSED", transitions.getLast());
        // Given 4 failures in a closed breaker, When reset, Then no event, and 4 more failures do not trip it
        play(b, "FFFF");
        transitions.clear();
        b.reset();
        assertEquals("CCCC", play(b, "FFFF"));
        assertEquals(List.of(), transitions);
    }

    // ---- the trip rules ----

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "FFF,    CCC",     // 100% but only 3 calls: below the minimum of 4
            "FFFS,   CCCO",    // 4 calls, 75%
            "SSFF,   CCCO",    // exactly 50% trips (>=)
            "SSSF,   CCCC",    // 25%
            "SSSFF,  CCCCC",   // 40%
            "SSSFFF, CCCCCO"}) // 50%
    void theRateRuleWaitsForTheMinimumNumberOfCalls(String outcomes, String states) {
        // Given rate 50% after at least 4 calls, count rule off
        CircuitBreaker b = breaker(LAST_20_CALLS.withFailureThreshold(0).withFailureRate(50, 4));
        assertEquals(states, play(b, outcomes));
    }

    @Test
    void theCountWindowForgetsTheOldestCall() {
        // Given the last 5 calls, 3 failures trip it, rate rule off
        CircuitBreaker b = breaker(LAST_20_CALLS.withWindow(WindowType.COUNT_BASED, 5)
                .withFailureThreshold(3).withFailureRate(0, 1));
        // When F F S S S S F F F: the first two failures have left the window before the next two come
        // Then it opens only at the ninth call (a plain counter would have opened at the seventh)
        assertEquals("CCCCCCCCO", play(b, "FFSSSSFFF"));
    }

    @Test
    void aSuccessIntoAFullWindowOfSuccessesChangesNothingAndTakesNoLock() throws Exception {
        // Given the last 5 calls, 3 failures trip it, and a window full of successes
        CircuitBreaker b = breaker(LAST_20_CALLS.withWindow(WindowType.COUNT_BASED, 5)
                .withFailureThreshold(3).withFailureRate(0, 1));
        play(b, "SSSSS");
        // When another thread holds the breaker's monitor, Then one more success still returns
        // (it would change nothing, so it does not wait for the lock), and the window is as it was
        var held = new java.util.concurrent.CountDownLatch(1);
        var release = new java.util.concurrent.CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> {
            synchronized (b) {
                held.countDown();
                awaitQuietly(release);
            }
        });
        held.await();
        long ticket = b.tryAcquirePermission(); // CLOSED admits without the lock too
        var success = java.util.concurrent.CompletableFuture.runAsync(() -> b.onSuccess(ticket, 0));
        success.get(30, java.util.concurrent.TimeUnit.SECONDS); // a failure detector, not a timing: it returns or the lock was taken
        release.countDown();
        holder.join();
        assertEquals(new Snapshot("payments", CLOSED, 0, 5, 0.0, 0), b.snapshot());
        // ... and the skipped success kept the window's meaning: the same failures trip it as before
        // (F F S S S S F F F opens at the ninth call, the oldest outcomes leaving one per call)
        assertEquals("CCCCCCCCO", play(b, "FFSSSSFFF"));
    }

    private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void theTimeWindowForgetsFailuresOlderThanItsLength() {
        // Given the last 10 seconds, 3 failures trip it (the fake clock starts on a whole second, t = 1 s)
        CircuitBreaker b = breaker(LAST_20_CALLS.withWindow(WindowType.TIME_BASED, 10)
                .withFailureThreshold(3).withFailureRate(0, 1));
        play(b, "F");                           // second 1
        clock.advance(Duration.ofSeconds(5));
        play(b, "F");                           // second 6
        clock.advance(Duration.ofSeconds(4));   // second 10: the window is seconds 1..10
        assertEquals(2, b.snapshot().failures());
        clock.advance(Duration.ofSeconds(1));   // second 11: the window is seconds 2..11
        assertEquals(1, b.snapshot().failures());
        // When two more fail now, Then it opens at the second of them (3 failures within 10 s)
        assertEquals("CO", play(b, "FF"));
    }

    @Test
    void theTimeWindowEmptiesAfterALongQuietSpell() {
        CircuitBreaker b = breaker(LAST_20_CALLS.withWindow(WindowType.TIME_BASED, 10));
        play(b, "FFFS");
        clock.advance(Duration.ofHours(1));
        assertEquals(new Snapshot("payments", CLOSED, 0, 0, 0.0, 0), b.snapshot());
    }

    @Test
    void theTimeWindowAppliesTheMinimumToCallsStillInsideIt() {
        // Given 50% after 4 calls over the last 10 s
        CircuitBreaker b = breaker(LAST_20_CALLS.withWindow(WindowType.TIME_BASED, 10)
                .withFailureThreshold(0).withFailureRate(50, 4));
        // When 2 fail, 10 s pass, and 2 more fail, Then only 2 calls are in the window: still CLOSED
        play(b, "FF");
        clock.advance(Duration.ofSeconds(10));
        assertEquals("CC", play(b, "FF"));
        // When two more fail within the same window, Then 4 of 4: OPEN
        assertEquals("CO", play(b, "FF"));
    }

    @Test
    void slowCallsCountAsFailuresOnlyWhenConfigured() {
        // Given calls slower than 1 s count as failures, and 2 failures trip it
        CircuitBreaker b = breaker(LAST_20_CALLS.withSlowCallThreshold(Duration.ofSeconds(1))
                .withFailureThreshold(2));
        // When a call takes exactly 1 s, Then it is not slow; 1 s + 1 ns is
        b.onSuccess(permitted(b), Duration.ofSeconds(1).toNanos());
        assertEquals(0, b.snapshot().failures());
        b.onSuccess(permitted(b), Duration.ofSeconds(1).toNanos() + 1);
        assertEquals(1, b.snapshot().failures());
        b.onSuccess(permitted(b), Duration.ofSeconds(2).toNanos());
        assertEquals(OPEN, b.state());
        // Given the default (slow calls off), a call of an hour is a success
        CircuitBreaker lenient = breaker(LAST_20_CALLS);
        lenient.onSuccess(permitted(lenient), Duration.ofHours(1).toNanos());
        assertEquals(0, lenient.snapshot().failures());
    }

    // ---- probes, stragglers, releases ----

    @Test
    void aReleasedProbeGivesItsSlotBack() {
        // Given one probe allowed
        CircuitBreaker b = breaker(LAST_20_CALLS.withPermittedHalfOpenCalls(1));
        b.transitionTo(OPEN, clock.nanoTime());
        clock.advance(Duration.ofSeconds(30));
        long probe = permitted(b);
        assertEquals(REFUSED, b.tryAcquirePermission());
        // When the probe's caller never made the call, Then another caller may probe
        b.releasePermission(probe);
        permitted(b);
        assertEquals(REFUSED, b.tryAcquirePermission());
    }

    @Test
    void outcomesOfCallsLetThroughBeforeTheTripAreHeardByNoLaterState() {
        // Given one probe allowed, four calls let through while CLOSED, and one failure trips it
        CircuitBreaker b = breaker(LAST_20_CALLS.withFailureThreshold(1).withPermittedHalfOpenCalls(1));
        long tripper = permitted(b), old1 = permitted(b), old2 = permitted(b), old3 = permitted(b);
        b.onFailure(tripper);
        // When another old call's success arrives while OPEN, Then nothing changes
        b.onSuccess(old1, 0);
        assertEquals(new Snapshot("payments", OPEN, 1, 1, 100.0, 30_000), b.snapshot());
        // When one arrives in HALF_OPEN while the probe is out, Then it is not taken for the probe
        clock.advance(Duration.ofSeconds(30));
        long probe = permitted(b);
        b.onSuccess(old2, 0);
        assertEquals(new Snapshot("payments", HALF_OPEN, 0, 0, 0.0, 0), b.snapshot());
        // When the probe succeeds, Then CLOSED; and an old failure arriving now does not re-trip it
        b.onSuccess(probe, 0);
        b.onFailure(old3);
        assertEquals(new Snapshot("payments", CLOSED, 0, 0, 0.0, 0), b.snapshot());
    }

    @ParameterizedTest(name = "ticket {0}")
    @ValueSource(longs = {REFUSED, -1, 2})
    void aNumberTheBreakerNeverIssuedIsRefusedLoudly(long ticket) {
        // Given a fresh breaker, which has issued ticket 1 only: a refusal or a duration is no ticket
        CircuitBreaker b = breaker(LAST_20_CALLS);
        permitted(b);
        var e = assertThrows(IllegalArgumentException.class, () -> b.onSuccess(ticket, 0));
        assertEquals("circuit breaker 'payments' never issued ticket " + ticket, e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.onFailure(ticket));
        assertThrows(IllegalArgumentException.class, () -> b.releasePermission(ticket));
    }

    // ---- regression tests (issue 15) ----

    @Test
    void aReleaseOfACallFromBeforeTheTripCannotSwallowAFailedProbe() {
        // Given one probe allowed, and two calls let through while CLOSED; the first fails and trips it
        CircuitBreaker b = breaker(LAST_20_CALLS.withFailureThreshold(1).withPermittedHalfOpenCalls(1));
        long first = permitted(b), second = permitted(b);
        b.onFailure(first);
        // When the open duration passes and a probe goes out, the second old call is released (never made),
        clock.advance(Duration.ofSeconds(30));
        long probe = permitted(b);
        b.releasePermission(second);
        // and the probe fails
        b.onFailure(probe);
        // Then the probe's failure re-opens the breaker: the release was not the probe's
        assertEquals(OPEN, b.state());
    }

    @ParameterizedTest(name = "{0} probes answering {1}: OPEN showing {2} failures in {3} calls")
    @CsvSource({"1, F, 1, 1", "3, SSF, 1, 3"})
    void aFailedProbeReopensShowingTheProbesThatReopenedIt(int probes, String outcomes, int failures, int calls) {
        // Given a breaker that tripped and waited out its open duration
        CircuitBreaker b = breaker(LAST_20_CALLS.withPermittedHalfOpenCalls(probes));
        play(b, "FFFFF");
        clock.advance(Duration.ofSeconds(30));
        // When the probes answer, the last one failing
        play(b, outcomes);
        // Then OPEN shows the probes that re-opened it, the failure included, not an empty 0%
        assertEquals(new Snapshot("payments", OPEN, failures, calls, 100.0 * failures / calls, 30_000), b.snapshot());
    }

    // ---- execute, snapshot, exception ----

    @Test
    void executeRecordsResultsExceptionsAndRefusals() throws Exception {
        CircuitBreaker b = breaker(LAST_20_CALLS.withFailureThreshold(3));
        // A result the predicate accepts is a success; one it rejects is a failure
        assertEquals(200, b.execute(() -> 200, status -> status >= 500));
        assertEquals(503, b.execute(() -> 503, status -> status >= 500));
        // An exception is a failure, and is rethrown as it was
        IOException boom = new IOException("reset");
        assertSame(boom, assertThrows(IOException.class, () -> b.execute(() -> { throw boom; }, s -> false)));
        assertEquals(new Snapshot("payments", CLOSED, 2, 3, 200.0 / 3, 0), b.snapshot());
        // When OPEN, the call is not even started
        b.execute(() -> 503, status -> status >= 500);
        AtomicInteger started = new AtomicInteger();
        assertThrows(CircuitOpenException.class, () -> b.execute(started::incrementAndGet, s -> false));
        assertEquals(0, started.get());
    }

    @Test
    void theSnapshotCountsDownToHalfOpenInWholeMillisecondsRoundedUp() {
        CircuitBreaker b = breaker(LAST_20_CALLS);
        play(b, "SFFFFF");
        assertEquals(new Snapshot("payments", OPEN, 5, 6, 500.0 / 6, 30_000), b.snapshot());
        clock.advance(Duration.ofNanos(500_000));                              // 29 999.5 ms to go
        assertEquals(30_000, b.snapshot().millisUntilHalfOpen());
        clock.advance(Duration.ofSeconds(30).minusNanos(500_000 + 400_000));  // 0.4 ms to go
        assertEquals(1, b.snapshot().millisUntilHalfOpen());
        clock.advance(Duration.ofNanos(400_000));
        assertEquals(0, b.snapshot().millisUntilHalfOpen());
    }

    @ParameterizedTest(name = "retry after {0} -> Retry-After: {1}")
    @CsvSource({"PT30S, 30", "PT0.001S, 1", "PT29.001S, 30", "PT0S, 1"})
    void theRefusalSaysWhenToComeBackInWholeSeconds(Duration retryAfter, long seconds) {
        var e = new CircuitOpenException("payments", retryAfter);
        assertEquals(seconds, e.retryAfterSeconds());
        assertEquals(0, e.getStackTrace().length, "rejections are stackless: they are thrown on the hot path");
    }
}
