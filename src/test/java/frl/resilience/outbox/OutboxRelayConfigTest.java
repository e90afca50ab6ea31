package frl.resilience.outbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relay's pure parts: the retry delay as a table, and config validation. No database. */
class OutboxRelayConfigTest {
    // Delay after the n-th failed attempt: min(cap, base * 2^(n-1))
    @ParameterizedTest(name = "attempt {0}, base {1} ms, cap {2} ms -> {3} ms")
    @CsvSource({
            "1,    1000, 300000,   1000",
            "2,    1000, 300000,   2000",
            "3,    1000, 300000,   4000",
            "9,    1000, 300000, 256000",
            "10,   1000, 300000, 300000",
            "1000, 1000, 300000, 300000",
            "4,     500,   3000,   3000",
            "3,     500,   3000,   2000",
            "1,    5000,   5000,   5000",
    })
    void retryDelayIsExponentialAndCapped(int attempt, long baseMs, long capMs, long expectedMs) {
        assertEquals(Duration.ofMillis(expectedMs),
                RelayConfig.retryDelay(attempt, Duration.ofMillis(baseMs), Duration.ofMillis(capMs)));
    }

    @Test
    void configQuotesTheBadValue() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new RelayConfig(0, Duration.ZERO, Duration.ofSeconds(1), Duration.ofMinutes(1)));
        assertTrue(e.getMessage().contains("batchSize=0"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new RelayConfig(1, Duration.ZERO, Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> RelayConfig.retryDelay(0, Duration.ofSeconds(1), Duration.ofSeconds(1)));
    }
}
