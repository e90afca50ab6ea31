package frl.resilience;

import frl.testing.FakeClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The budget on a fake clock: the rule as a table, worked examples of deposits, the floor and
 * expiry, the way {@link Retry} will drive it through a storm, and concurrency.
 * {@link RetryBudgetPropertiesTest} checks it on random histories.
 */
class RetryBudgetTest {
    final FakeClock clock = new FakeClock(); // starts at second 1, exactly on a bucket boundary

    static RetryBudget.Config config(double ratio, double floor, int seconds) {
        return new RetryBudget.Config(ratio, floor, Duration.ofSeconds(seconds));
    }

    RetryBudget budget(RetryBudget.Config config) {
        return new RetryBudget("orders->payments", config, clock);
    }

    static void requests(RetryGate gate, int n) {
        for (int i = 0; i < n; i++) {
            gate.onRequest();
        }
    }

    @ParameterizedTest(name = "ratio {0}, floor {1}/s, {2} s: {3} requests, {4} retries -> next allowed {5}")
    @CsvSource(textBlock = """
            # ratio, floor, window, requests, retries, allowed
            0.1,     0,     10,     0,        0,       false
            0.1,     0,     10,     10,       0,       true
            0.1,     0,     10,     10,       1,       false
            0.1,     0,     10,     20,       1,       true
            # the floor: 1 per second over 10 s is 10 retries with no requests at all
            0.1,     1,     10,     0,        9,       true
            0.1,     1,     10,     0,        10,      false
            0.1,     1,     10,     100,      19,      true
            0.1,     1,     10,     100,      20,      false
            # 0.29 * 100 is 28.999999999999996 as a double: the 29th retry still passes
            0.29,    0,     1,      100,      28,      true
            0.29,    0,     1,      100,      29,      false
            0.0,     0,     10,     1000000,  0,       false
            1.0,     0,     10,     5,        5,       false
            """)
    void theRule(double ratio, double floor, int seconds, long requests, long retries, boolean allowed) {
        assertEquals(allowed, config(ratio, floor, seconds).allowsRetry(requests, retries));
    }

    @Test
    void theRetryThatWouldExceedTheBudgetIsRefusedAndAllowedAgainAfterEnoughRequests() {
        // Given a 10% budget with no floor, and 10 calls that succeeded at once
        RetryBudget b = budget(config(0.1, 0, 10));
        requests(b, 10);
        // When a call fails and asks to retry, Then it may: 1 retry per 10 requests
        assertTrue(b.tryAcquireRetry());
        // When another asks, Then it is refused and counted
        assertFalse(b.tryAcquireRetry());
        assertEquals(new RetryBudget.Snapshot("orders->payments", 10, 1, 0, 1), b.snapshot());
        // When 10 more calls are made, Then the next retry is allowed again
        requests(b, 9);
        assertFalse(b.tryAcquireRetry());
        b.onRequest();
        assertTrue(b.tryAcquireRetry());
        assertEquals(new RetryBudget.Snapshot("orders->payments", 20, 2, 0, 2), b.snapshot());
        b.resetCounts();
        assertEquals(0, b.snapshot().refusals());
    }

    @Test
    void theFloorLetsAQuietCallerRetryBeforeItHasSentTenRequests() {
        // Given the defaults: 10%, at least 1 retry per second, over 10 s; no requests yet
        RetryBudget b = budget(RetryBudget.Config.defaults());
        assertEquals(10, b.snapshot().retriesLeft());
        // When 11 retries are asked for, Then the floor's 10 are allowed and the 11th is refused
        for (int i = 0; i < 10; i++) {
            assertTrue(b.tryAcquireRetry(), "retry " + (i + 1));
        }
        assertFalse(b.tryAcquireRetry());
        // And 10 requests buy exactly one more
        requests(b, 10);
        assertTrue(b.tryAcquireRetry());
        assertFalse(b.tryAcquireRetry());
    }

    @Test
    void depositsAndRetriesLeaveTheWindowSecondBySecond() {
        // Given a 3 s window, 50%, no floor
        RetryBudget b = budget(config(0.5, 0, 3));
        // second 1: 4 requests fund 2 retries
        requests(b, 4);
        assertTrue(b.tryAcquireRetry());
        assertTrue(b.tryAcquireRetry());
        assertFalse(b.tryAcquireRetry());
        // second 2: 2 more requests, 6 in the window, fund a third retry
        clock.advance(Duration.ofSeconds(1));
        requests(b, 2);
        assertTrue(b.tryAcquireRetry());
        assertFalse(b.tryAcquireRetry());
        assertEquals(6, b.snapshot().requests());
        // second 4: second 1 has left with its 4 requests and 2 retries: 2 requests, 1 retry remain
        clock.advance(Duration.ofSeconds(2));
        assertEquals(new RetryBudget.Snapshot("orders->payments", 2, 1, 0, 2), b.snapshot());
        assertFalse(b.tryAcquireRetry());
        // second 5: everything has left; with no floor an empty window allows nothing
        clock.advance(Duration.ofSeconds(1));
        assertEquals(new RetryBudget.Snapshot("orders->payments", 0, 0, 0, 3), b.snapshot());
        assertFalse(b.tryAcquireRetry());
        // And a quiet spell longer than the whole ring clears it too
        requests(b, 2);
        clock.advance(Duration.ofSeconds(500));
        assertEquals(0, b.snapshot().requests());
    }

    /**
     * Retry's decision order, with the budget where Retry will consult it: asked last, only when
     * every other check said RETRY, so each retry it grants is made. Returns the attempts made.
     */
    static int call(RetryGate gate, int maxAttempts, BooleanSupplier attemptSucceeds) {
        gate.onRequest();                                 // deposit: once per call, before attempt 1
        for (int n = 1; ; n++) {
            if (attemptSucceeds.getAsBoolean()) {
                return n;                                 // DONE
            }
            if (n >= maxAttempts) {
                return n;                                 // GIVE_UP_ATTEMPTS
            }
            // ... GIVE_UP_RETRY_AFTER and GIVE_UP_DEADLINE are decided here, before the budget ...
            if (!gate.tryAcquireRetry()) {
                return n;                                 // GIVE_UP_BUDGET: the last failure stands
            }
        }
    }

    @Test
    void inAStormEveryAttemptFailsAndTheBudgetHoldsTheLoadToItsShare() {
        // Given 100 calls a second for 20 s, every attempt failing, 3 attempts per call
        int perSecond = 100, seconds = 20, calls = perSecond * seconds;
        RetryBudget.Config c = RetryBudget.Config.defaults();
        RetryBudget b = budget(c);
        int unlimited = 0, budgeted = 0;
        for (int i = 0; i < calls; i++) {
            unlimited += call(RetryGate.UNLIMITED, 3, () -> false);
            budgeted += call(b, 3, () -> false);
            clock.advance(Duration.ofMillis(1000 / perSecond));
        }
        // Then without a budget the downstream sees 3x; with one, the calls plus the header's bound
        // exactly: 10% of 2000 requests + 1/s x 10 s for each of the two windows = 2220 (1.11x)
        assertEquals(3 * calls, unlimited);
        long bound = calls + Math.round(c.ratio() * calls) + Math.round(c.reserve()) * (seconds / 10);
        assertEquals(2220, bound);
        assertEquals(bound, budgeted);
    }

    @Test
    void configIsValidatedQuotingTheBadValue() {
        assertEquals("retry budget ratio must be within [0, 1], was 1.5", assertThrows(IllegalArgumentException.class,
                () -> config(1.5, 1, 10)).getMessage());
        assertEquals("retry budget ratio must be within [0, 1], was NaN", assertThrows(IllegalArgumentException.class,
                () -> config(Double.NaN, 1, 10)).getMessage());
        assertEquals("retry budget minRetriesPerSecond must be within [0, 1000000], was -1.0",
                assertThrows(IllegalArgumentException.class, () -> config(0.1, -1, 10)).getMessage());
        assertEquals("retry budget window must be whole seconds from 1 to 3600, was PT0.5S",
                assertThrows(IllegalArgumentException.class,
                        () -> new RetryBudget.Config(0.1, 1, Duration.ofMillis(500))).getMessage());
        assertEquals("retry budget window must be whole seconds from 1 to 3600, was PT0S",
                assertThrows(IllegalArgumentException.class, () -> config(0.1, 1, 0)).getMessage());
        assertEquals(config(0.1, 1, 10), RetryBudget.Config.defaults());
    }

    @ParameterizedTest
    @EnumSource(Threads.class)
    void underConcurrencyNoRetryBeyondTheBudgetIsEverGranted(Threads threads) throws Exception {
        // Given the defaults and 1000 requests deposited from many threads at once
        RetryBudget b = budget(RetryBudget.Config.defaults());
        Concurrently.run(threads, 1000, b::onRequest);
        // When 1000 threads ask to retry at once
        AtomicInteger granted = new AtomicInteger();
        Concurrently.run(threads, 1000, () -> {
            if (b.tryAcquireRetry()) {
                granted.incrementAndGet();
            }
        });
        // Then exactly 10% of 1000 + the floor's 10 are granted, and every other ask is counted
        assertEquals(110, granted.get());
        assertEquals(new RetryBudget.Snapshot("orders->payments", 1000, 110, 0, 890), b.snapshot());
    }
}
