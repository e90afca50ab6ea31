package frl.resilience.breaker;

import frl.resilience.breaker.CircuitBreakerConfig.WindowType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static frl.resilience.breaker.CircuitBreakerConfig.WindowType.TIME_BASED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CircuitBreakerConfigTest {

    @Test
    void theDefaultsAreWhatTheLabRuns() {
        // 50% failures over at least 20 calls in the last 10 s trip it; open 30 s (the spec's open=30s); 3 probes.
        // The spec's threshold=5 is a knob, off by default (see the class comment for why).
        CircuitBreakerConfig d = CircuitBreakerConfig.defaults();
        assertEquals(new CircuitBreakerConfig(TIME_BASED, 10, 0, 50, 20, null, Duration.ofSeconds(30), 3), d);
        assertEquals(5, d.withFailureThreshold(CircuitBreakerConfig.SPEC_FAILURE_THRESHOLD).failureThreshold());
    }

    @ParameterizedTest(name = "minimum {0}, withWindow({1}, {2}) -> minimum {3}")
    @CsvSource({
            "20, TIME_BASED,  10, 20",   // 10 seconds hold any number of calls: the minimum stays
            "20, TIME_BASED,  1,  20",
            "20, COUNT_BASED, 10, 10",   // a window of 10 calls never holds 20: lowered to fit
            "20, COUNT_BASED, 50, 20"})
    void aNewWindowLowersTheMinimumOnlyWhenItCountsCalls(int minimum, WindowType type, int size, int expected) {
        CircuitBreakerConfig c = CircuitBreakerConfig.defaults().withFailureRate(50, minimum).withWindow(type, size);
        assertEquals(expected, c.minimumCalls());
        assertEquals(type, c.windowType());
        assertEquals(size, c.windowSize());
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
