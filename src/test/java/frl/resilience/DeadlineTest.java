package frl.resilience;

import frl.testing.FakeClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadlineTest {

    final FakeClock clock = new FakeClock();

    @Test
    void theBudgetRunsDownWithTheClockAndNeverBelowZero() {
        // Given a 25 s deadline
        Deadline d = Deadline.after(Deadline.DEFAULT_BUDGET, clock);
        assertEquals(Duration.ofSeconds(25), d.remaining());
        // When 10 s pass, Then 15 s are left and the header says 15000
        clock.advance(Duration.ofSeconds(10));
        assertEquals(Duration.ofSeconds(15), d.remaining());
        assertEquals("15000", d.headerValue());
        assertFalse(d.isExpired());
        // When the rest passes and more, Then it is expired with zero left, not a negative
        clock.advance(Duration.ofSeconds(16));
        assertTrue(d.isExpired());
        assertEquals(Duration.ZERO, d.remaining());
        assertEquals("0", d.headerValue());
    }

    @Test
    void theHeaderRoundsDownSoTheNextHopStopsEarlyRatherThanLate() {
        // Given 1500 ms received, When 0.7 ms pass, Then 1499 ms are sent on (not 1500)
        Deadline d = Deadline.fromHeader("1500", clock);
        clock.advance(Duration.ofNanos(700_000));
        assertEquals("1499", d.headerValue());
        assertEquals("X-Deadline-Remaining-Ms", Deadline.HEADER);
    }

    @Test
    void aHeaderOfZeroIsAnAlreadyExpiredDeadline() {
        assertTrue(Deadline.fromHeader("0", clock).isExpired());
        assertEquals(Duration.ofMillis(42), Deadline.fromHeader(" 42 ", clock).remaining());
    }

    @ParameterizedTest(name = "header ''{0}'' is refused")
    @NullSource
    @ValueSource(strings = {"-5", "abc", "", "1.5", "+7", "1e3", "86400001", "99999999999"})
    void aBadHeaderIsRefusedQuotingIt(String value) {
        var e = assertThrows(IllegalArgumentException.class, () -> Deadline.fromHeader(value, clock));
        assertEquals("X-Deadline-Remaining-Ms must be whole milliseconds in [0, 86400000], was '" + value + "'", e.getMessage());
    }

    @Test
    void anAbsentHeaderFallsBackToOurOwnBudget() {
        assertEquals(Duration.ofSeconds(25), Deadline.fromHeaderOr(null, Deadline.DEFAULT_BUDGET, clock).remaining());
        assertEquals(Duration.ofMillis(800), Deadline.fromHeaderOr("800", Deadline.DEFAULT_BUDGET, clock).remaining());
    }

    @Test
    void theHopTimeoutIsCutToWhatIsLeft() {
        // Given a 25 s deadline and a 10 s hop timeout
        Deadline d = Deadline.after(Duration.ofSeconds(25), clock);
        // Then the first hop gets its full 10 s
        assertEquals(Duration.ofSeconds(10), d.timeoutFor(Deadline.DEFAULT_HOP_TIMEOUT));
        // When 21 s have passed, Then the next hop gets only the 4 s that are left
        clock.advance(Duration.ofSeconds(21));
        assertEquals(Duration.ofSeconds(4), d.timeoutFor(Duration.ofSeconds(10)));
        // And with no hop timeout the deadline alone bounds it
        assertEquals(Duration.ofSeconds(4), d.timeoutFor(null));
    }

    @Test
    void aSpentDeadlineRefusesTheNextHop() {
        // Given a deadline that has passed, When a hop asks for its timeout, Then 504's exception
        Deadline d = Deadline.after(Duration.ofMillis(5), clock);
        clock.advanceMillis(5);
        assertThrows(DeadlineExceededException.class, () -> d.timeoutFor(Duration.ofSeconds(10)));
    }

    @Test
    void badBudgetsAreRefusedQuotingThem() {
        assertEquals("deadline budget must lie in [0, PT24H], was PT-1S", assertThrows(IllegalArgumentException.class,
                () -> Deadline.after(Duration.ofSeconds(-1), clock)).getMessage());
        assertEquals("hop timeout must be positive, was PT0S", assertThrows(IllegalArgumentException.class,
                () -> Deadline.after(Duration.ofSeconds(1), clock).timeoutFor(Duration.ZERO)).getMessage());
    }
}
