package frl.resilience.outbox;

import frl.resilience.Backoff;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relay's pure parts: the retry delay as a table, and config validation. No database. */
class OutboxRelayConfigTest {
    // Delay after the n-th failed attempt, by the default Backoff: draw * min(5 min, 1 s * 2^(n-1)) (full jitter)
    @ParameterizedTest(name = "attempt {0}, draw {1} -> {2} ms")
    @CsvSource({
            "1,    0.5,    500",
            "2,    0.5,   1000",
            "3,    0.5,   2000",
            "9,    0.5, 128000",
            "10,   0.5, 150000",   // 2^9 s is past the 5 min cap
            "1000, 0.5, 150000",
            "1,    0.0,      0",   // full jitter may retry at once: due at the next round
            "3,    0.99,  3960"})
    void theRetryDelayIsTheDefaultBackoffWithFullJitter(int attempt, double draw, long expectedMs) {
        assertEquals(Duration.ofMillis(expectedMs), RelayConfig.defaults().retryDelay(attempt, draw));
    }

    @Test
    void theDefaultsAreNamed() {
        assertEquals(new RelayConfig(50, Duration.ofMillis(200),
                Backoff.exponential(Duration.ofSeconds(1), Duration.ofMinutes(5), Backoff.Jitter.FULL)), RelayConfig.defaults());
    }

    @Test
    void configQuotesTheBadValue() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new RelayConfig(0, Duration.ZERO, RelayConfig.DEFAULT_RETRY));
        assertTrue(e.getMessage().contains("batchSize=0"), e.getMessage());
        assertEquals("the retry backoff needs a base of at least 1 ms, was PT0.0005S", assertThrows(IllegalArgumentException.class,
                () -> new RelayConfig(1, Duration.ZERO, Backoff.fixed(Duration.ofNanos(500_000), Backoff.Jitter.FULL))).getMessage());
        assertEquals("the relay cannot use Jitter.DECORRELATED: it keeps no previous delay", assertThrows(IllegalArgumentException.class,
                () -> new RelayConfig(1, Duration.ZERO, Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(9),
                        Backoff.Jitter.DECORRELATED))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> RelayConfig.defaults().retryDelay(0, 0.5));
    }
}
