package frl.resilience.breaker;

import frl.resilience.breaker.CircuitBreakerConfig.WindowType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static frl.resilience.breaker.CircuitBreakerConfig.WindowType.COUNT_BASED;
import static frl.resilience.breaker.CircuitBreakerConfig.WindowType.TIME_BASED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CircuitBreakerConfigTest {

    @Test
    void theDefaultsAreTheSpecsWhereItHasANumber() {
        CircuitBreakerConfig d = CircuitBreakerConfig.defaults();
        assertEquals(5, d.failureThreshold());                  // threshold=5
        assertEquals(Duration.ofSeconds(30), d.openDuration()); // open=30s
        assertEquals(new CircuitBreakerConfig(COUNT_BASED, 20, 5, 50, 10, null, Duration.ofSeconds(30), 3), d);
    }

    @ParameterizedTest(name = "threshold {0}, rate {1}% after {2}: {3} calls with {4} failures -> trips {5}")
    @CsvSource({
            "5, 0,  1,  20, 4,  false",
            "5, 0,  1,  20, 5,  true",   // the count rule ignores the minimum
            "5, 0,  1,  5,  5,  true",
            "0, 50, 10, 9,  9,  false",  // 100%, but under the minimum
            "0, 50, 10, 10, 4,  false",
            "0, 50, 10, 10, 5,  true",   // exactly the threshold trips
            "0, 34, 3,  3,  1,  false",  // 33.3% < 34%: compared exactly, no float rounding
            "0, 33, 3,  3,  1,  true",
            "5, 50, 10, 8,  5,  true",   // either rule is enough
            "5, 50, 10, 12, 4,  false"})
    void theTripRule(int threshold, int percent, int minimum, int calls, int failures, boolean trips) {
        CircuitBreakerConfig c = new CircuitBreakerConfig(TIME_BASED, 10, threshold, percent, minimum, null,
                Duration.ofSeconds(30), 3);
        assertEquals(trips, c.trips(new RollingWindow.Totals(calls, failures)));
    }

    @ParameterizedTest(name = "{8}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            COUNT_BASED | 0  | 5  | 50  | 10 | -     | PT30S | 3 | windowSize must be at least 1, was 0
            COUNT_BASED | 20 | 21 | 50  | 10 | -     | PT30S | 3 | failureThreshold must lie in [0 (off), 20 = windowSize], was 21
            TIME_BASED  | 20 | -1 | 50  | 10 | -     | PT30S | 3 | failureThreshold must lie in [0 (off), any], was -1
            COUNT_BASED | 20 | 5  | 101 | 10 | -     | PT30S | 3 | failureRatePercent must lie in [0 (off), 100], was 101
            COUNT_BASED | 20 | 0  | 0   | 10 | -     | PT30S | 3 | failureThreshold and failureRatePercent are both 0: nothing could trip the breaker
            COUNT_BASED | 20 | 5  | 50  | 21 | -     | PT30S | 3 | minimumCalls must lie in [1, 20 = windowSize], was 21
            TIME_BASED  | 20 | 5  | 50  | 0  | -     | PT30S | 3 | minimumCalls must lie in [1, any], was 0
            COUNT_BASED | 20 | 5  | 50  | 10 | PT0S  | PT30S | 3 | slowCallThreshold must be positive or null (off), was PT0S
            COUNT_BASED | 20 | 5  | 50  | 10 | -     | PT0S  | 3 | openDuration must be positive, was PT0S
            COUNT_BASED | 20 | 5  | 50  | 10 | PT1S  | PT30S | 0 | permittedHalfOpenCalls must be at least 1, was 0
            """)
    void badValuesAreRefusedQuotingThem(WindowType type, int size, int threshold, int percent, int minimum,
                                        Duration slow, Duration open, int probes, String message) {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new CircuitBreakerConfig(type, size, threshold, percent, minimum, slow, open, probes));
        assertEquals(message, e.getMessage());
    }
}
