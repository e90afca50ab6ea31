package frl.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RestartBackoff} as a table: times are nanoseconds on a fake clock, no process and no sleep. */
class RestartBackoffTest {
    private static final RestartBackoff DEFAULT = RestartBackoff.DEFAULT; // 1 s doubling to 30 s, stable after 60 s
    private static final long S = 1_000_000_000L;

    @ParameterizedTest(name = "crash {0} in a row waits {1} s")
    @CsvSource({"1, 1", "2, 2", "3, 4", "4, 8", "5, 16", "6, 30", "7, 30", "1000, 30", "2147483647, 30"})
    void theWaitDoublesFromOneSecondAndStopsAtTheCap(int streak, long seconds) {
        assertEquals(Duration.ofSeconds(seconds), DEFAULT.delay(streak));
    }

    @ParameterizedTest(name = "streak {0}, healthy from {1} s to {2} s -> streak {3}")
    @CsvSource({
            "0, 0, 3, 1",      // the first crash starts a streak
            "1, 3, 5, 2",      // died 2 s after it answered /health: the streak goes on
            "5, 100, 159, 6",  // 59 s healthy: one second short of stable
            "5, 100, 160, 1",  // 60 s healthy: stable, so this crash starts a new streak
            "9, 0, 3600, 1"})  // a crash after an hour waits 1 s again, not 30
    void aRunThatStayedHealthyForStableAfterEndsTheStreak(int streak, long healthyS, long exitedS, int next) {
        assertEquals(next, DEFAULT.nextStreak(streak, healthyS * S, exitedS * S));
    }

    @Test
    void aRunThatNeverAnsweredHealthGoesOnWithTheStreakHoweverLongItLasted() {
        assertEquals(4, DEFAULT.nextStreak(3, RestartBackoff.NEVER_HEALTHY, 3600 * S));
        assertEquals(1, DEFAULT.nextStreak(0, RestartBackoff.NEVER_HEALTHY, 5 * S));
    }

    @Test
    void aCrashLoopThenAStableRunThenACrash() {
        // Given a fake clock and a service that dies 2 s after each start, three times
        long now = 0;
        int streak = 0;
        long waited = 0;
        for (int crash = 0; crash < 3; crash++) {
            long started = now;
            now += 2 * S;
            streak = DEFAULT.nextStreak(streak, started, now);
            waited += DEFAULT.delay(streak).toSeconds();
            now += DEFAULT.delay(streak).toNanos();
        }
        // Then it waited 1 + 2 + 4 s
        assertEquals(3, streak);
        assertEquals(7, waited);

        // When it then runs for 10 minutes and dies, the wait is back to 1 s
        long started = now;
        now += 600 * S;
        streak = DEFAULT.nextStreak(streak, started, now);
        assertEquals(Duration.ofSeconds(1), DEFAULT.delay(streak));
    }

    @Test
    void badSettingsAreRefusedNamingTheValue() {
        var zero = assertThrows(IllegalArgumentException.class,
                () -> new RestartBackoff(Duration.ZERO, Duration.ofSeconds(30), Duration.ofSeconds(60)));
        assertTrue(zero.getMessage().contains("PT0S"), zero.getMessage());
        var cap = assertThrows(IllegalArgumentException.class,
                () -> new RestartBackoff(Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(60)));
        assertTrue(cap.getMessage().contains("PT2S"), cap.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DEFAULT.delay(0));
        assertThrows(IllegalArgumentException.class, () -> DEFAULT.nextStreak(-1, 0, 0));
    }
}
