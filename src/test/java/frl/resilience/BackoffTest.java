package frl.resilience;

import frl.resilience.Backoff.Jitter;
import frl.resilience.Backoff.Kind;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backoff is a pure function of (retry number, base, cap, previous delay, draw), so it is checked
 * as a table: each row is worked out by hand from the formulas in Backoff's header.
 */
class BackoffTest {

    @ParameterizedTest(name = "{0}/{1} base={2} cap={3} retry={4} prev={5} draw={6} -> {7} ms")
    @CsvSource(nullValues = "-", textBlock = """
            # kind,       jitter,       base, cap,  retry, prev, draw,  expected ms
            NONE,         NONE,         0,    0,    1,     -,    0.5,   0
            NONE,         NONE,         0,    0,    9,     -,    0.99,  0
            FIXED,        NONE,         300,  300,  1,     -,    0.5,   300
            FIXED,        NONE,         300,  300,  7,     -,    0.0,   300
            FIXED,        FULL,         300,  300,  3,     -,    0.5,   150
            FIXED,        EQUAL,        300,  300,  3,     -,    0.5,   225
            # exponential, no jitter: 100, 200, 400, 800, then the cap, however large n grows
            EXPONENTIAL,  NONE,         100,  1000, 1,     -,    0.5,   100
            EXPONENTIAL,  NONE,         100,  1000, 2,     -,    0.5,   200
            EXPONENTIAL,  NONE,         100,  1000, 3,     -,    0.5,   400
            EXPONENTIAL,  NONE,         100,  1000, 4,     -,    0.5,   800
            EXPONENTIAL,  NONE,         100,  1000, 5,     -,    0.5,   1000
            EXPONENTIAL,  NONE,         100,  1000, 64,    -,    0.5,   1000
            EXPONENTIAL,  NONE,         100,  1000, 2000000000, -, 0.5, 1000
            # full jitter: draw * schedule
            EXPONENTIAL,  FULL,         100,  1000, 1,     -,    0.0,   0
            EXPONENTIAL,  FULL,         100,  1000, 1,     -,    0.5,   50
            EXPONENTIAL,  FULL,         100,  1000, 3,     -,    0.25,  100
            EXPONENTIAL,  FULL,         100,  1000, 3,     -,    0.75,  300
            EXPONENTIAL,  FULL,         100,  1000, 5,     -,    0.75,  750
            # equal jitter: half the schedule, plus draw * the other half
            EXPONENTIAL,  EQUAL,        100,  1000, 1,     -,    0.0,   50
            EXPONENTIAL,  EQUAL,        100,  1000, 1,     -,    0.5,   75
            EXPONENTIAL,  EQUAL,        100,  1000, 2,     -,    0.5,   150
            EXPONENTIAL,  EQUAL,        100,  1000, 4,     -,    0.75,  700
            EXPONENTIAL,  EQUAL,        100,  1000, 5,     -,    0.5,   750
            # decorrelated: min(cap, base + draw * (3 * prev - base)); no previous delay counts as base
            EXPONENTIAL,  DECORRELATED, 100,  1000, 1,     -,    0.0,   100
            EXPONENTIAL,  DECORRELATED, 100,  1000, 1,     -,    0.5,   200
            EXPONENTIAL,  DECORRELATED, 100,  1000, 2,     200,  0.5,   350
            EXPONENTIAL,  DECORRELATED, 100,  1000, 3,     400,  0.75,  925
            EXPONENTIAL,  DECORRELATED, 100,  1000, 4,     800,  0.5,   1000
            # a previous delay outside [base, cap] is pulled into it first
            EXPONENTIAL,  DECORRELATED, 100,  1000, 2,     50,   0.5,   200
            EXPONENTIAL,  DECORRELATED, 100,  1000, 2,     5000, 0.0,   100
            """)
    void delayTable(Kind kind, Jitter jitter, long baseMs, long capMs, int retry, Long prevMs, double draw, long expectedMs) {
        // Given a backoff, When asked for the delay before this retry with this draw
        Backoff backoff = new Backoff(kind, Duration.ofMillis(baseMs), Duration.ofMillis(capMs), jitter);
        Duration delay = backoff.delay(retry, prevMs == null ? null : Duration.ofMillis(prevMs), draw);
        // Then it is exactly the hand-computed value
        assertEquals(Duration.ofMillis(expectedMs), delay);
    }

    @Test
    void defaultsAreTheSpecsBaseWithFullJitter() {
        Backoff d = Backoff.defaults();
        assertEquals(new Backoff(Kind.EXPONENTIAL, Duration.ofMillis(100), Duration.ofSeconds(2), Jitter.FULL), d);
        assertEquals(Duration.ZERO, Backoff.none().delay(3, null, 0.7));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            draw must lie in [0, 1), was 1.0          | 1 | 1.0
            draw must lie in [0, 1), was -0.1         | 1 | -0.1
            draw must lie in [0, 1), was NaN          | 1 | NaN
            retryNumber starts at 1 (the first retry), was 0 | 0 | 0.5
            """)
    void badArgumentsAreRejectedQuotingTheValue(String message, int retry, double draw) {
        // Given the default backoff, When called with a bad argument, Then the message quotes it
        var e = assertThrows(IllegalArgumentException.class, () -> Backoff.defaults().delay(retry, null, draw));
        assertEquals(message, e.getMessage());
    }

    @Test
    void badConfigurationsAreRejectedQuotingTheValue() {
        assertEquals("backoff cap PT0.05S is below its base PT0.1S", assertThrows(IllegalArgumentException.class,
                () -> Backoff.exponential(Duration.ofMillis(100), Duration.ofMillis(50), Jitter.FULL)).getMessage());
        assertEquals("Jitter.DECORRELATED needs Kind.EXPONENTIAL, was FIXED", assertThrows(IllegalArgumentException.class,
                () -> Backoff.fixed(Duration.ofMillis(100), Jitter.DECORRELATED)).getMessage());
        assertEquals("Kind.EXPONENTIAL needs a positive base, was PT0S", assertThrows(IllegalArgumentException.class,
                () -> Backoff.exponential(Duration.ZERO, Duration.ofSeconds(1), Jitter.NONE)).getMessage());
        assertEquals("backoff cap must be at most PT24H, was PT48H", assertThrows(IllegalArgumentException.class,
                () -> Backoff.exponential(Duration.ofMillis(1), Duration.ofDays(2), Jitter.NONE)).getMessage());
    }

    // ---- properties: what must hold for every input, not just the rows above ----

    /** Fixed, so the suite is deterministic; change it (or drop it) to explore other inputs. */
    static final String SEED = "20251126";

    @Property(seed = SEED)
    void everyDelayLiesBetweenZeroAndTheCap(@ForAll Jitter jitter,
                                             @ForAll @LongRange(min = 1, max = 10_000) long baseMs,
                                             @ForAll @LongRange(min = 0, max = 100_000) long extraCapMs,
                                             @ForAll @IntRange(min = 1, max = 10_000) int retry,
                                             @ForAll @LongRange(min = 0, max = 1_000_000) long prevMs,
                                             @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double draw) {
        Backoff b = Backoff.exponential(Duration.ofMillis(baseMs), Duration.ofMillis(baseMs + extraCapMs), jitter);
        Duration d = b.delay(retry, Duration.ofMillis(prevMs), draw);
        assertTrue(!d.isNegative() && d.compareTo(b.cap()) <= 0, () -> d + " outside [0, " + b.cap() + "]");
    }

    @Property(seed = SEED)
    void jitterStaysInsideItsShareOfTheSchedule(@ForAll @LongRange(min = 1, max = 10_000) long baseMs,
                                                @ForAll @IntRange(min = 1, max = 40) int retry,
                                                @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double draw) {
        Duration base = Duration.ofMillis(baseMs);
        Duration cap = base.multipliedBy(100);
        Duration schedule = Backoff.exponential(base, cap, Jitter.NONE).delay(retry, null, draw);
        Duration full = Backoff.exponential(base, cap, Jitter.FULL).delay(retry, null, draw);
        Duration equal = Backoff.exponential(base, cap, Jitter.EQUAL).delay(retry, null, draw);
        assertTrue(full.compareTo(schedule) <= 0, "full jitter never exceeds the schedule");
        assertTrue(equal.compareTo(schedule.dividedBy(2)) >= 0 && equal.compareTo(schedule) <= 0,
                "equal jitter keeps at least half of the schedule");
    }

    @Property(seed = SEED)
    void theScheduleNeverShrinks(@ForAll @LongRange(min = 1, max = 10_000) long baseMs,
                                 @ForAll @IntRange(min = 1, max = 100) int retry) {
        Backoff b = Backoff.exponential(Duration.ofMillis(baseMs), Duration.ofSeconds(60), Jitter.NONE);
        assertTrue(b.delay(retry + 1, null, 0).compareTo(b.delay(retry, null, 0)) >= 0);
    }
}
