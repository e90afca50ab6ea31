package frl.config;

import frl.http.Json;
import frl.resilience.Bulkhead;
import frl.resilience.Deadline;
import frl.resilience.LoadShedder;
import frl.resilience.breaker.CircuitBreakerConfig;
import frl.resilience.retry.Retry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The table A..F as {@code GET /admin/config} shows it (the same map goes into results/run.json),
 * with and without {@code LAB_*} overrides, and the start-up error each bad override gives.
 */
class ConfigTableTest {

    private static String knobs(ConfigTable table, char config) {
        return Json.write(table.get(config).describe());
    }

    @ParameterizedTest(name = "config {0}")
    @CsvSource(delimiter = '|', textBlock = """
            A | {"description":"baseline: no resilience patterns","retry":{"maxAttempts":1,"base_ms":100,"cap_ms":2000,"jitter":"NONE"},"timeouts":{"enabled":false,"hop_ms":10000,"deadline_ms":25000},"breaker":{"enabled":false,"failureThreshold":0,"failureRate":0.5,"minimumCalls":20,"window_ms":10000,"open_ms":30000,"halfOpenProbes":3,"slowCall_ms":0},"bulkheads":{"enabled":false,"payments":20,"inventory":20},"shedding":{"enabled":false,"maxInFlight":200},"idempotency":false,"outbox":false}
            B | {"description":"retries only (naive: exponential, no jitter, no timeouts)","retry":{"maxAttempts":3,"base_ms":100,"cap_ms":2000,"jitter":"NONE"},"timeouts":{"enabled":false,"hop_ms":10000,"deadline_ms":25000},"breaker":{"enabled":false,"failureThreshold":0,"failureRate":0.5,"minimumCalls":20,"window_ms":10000,"open_ms":30000,"halfOpenProbes":3,"slowCall_ms":0},"bulkheads":{"enabled":false,"payments":20,"inventory":20},"shedding":{"enabled":false,"maxInFlight":200},"idempotency":false,"outbox":false}
            C | {"description":"retries with full jitter + per-hop timeouts + deadline","retry":{"maxAttempts":3,"base_ms":100,"cap_ms":2000,"jitter":"FULL"},"timeouts":{"enabled":true,"hop_ms":10000,"deadline_ms":25000},"breaker":{"enabled":false,"failureThreshold":0,"failureRate":0.5,"minimumCalls":20,"window_ms":10000,"open_ms":30000,"halfOpenProbes":3,"slowCall_ms":0},"bulkheads":{"enabled":false,"payments":20,"inventory":20},"shedding":{"enabled":false,"maxInFlight":200},"idempotency":false,"outbox":false}
            D | {"description":"C + circuit breaker per downstream","retry":{"maxAttempts":3,"base_ms":100,"cap_ms":2000,"jitter":"FULL"},"timeouts":{"enabled":true,"hop_ms":10000,"deadline_ms":25000},"breaker":{"enabled":true,"failureThreshold":0,"failureRate":0.5,"minimumCalls":20,"window_ms":10000,"open_ms":30000,"halfOpenProbes":3,"slowCall_ms":0},"bulkheads":{"enabled":false,"payments":20,"inventory":20},"shedding":{"enabled":false,"maxInFlight":200},"idempotency":false,"outbox":false}
            E | {"description":"D + bulkheads + gateway load shedding","retry":{"maxAttempts":3,"base_ms":100,"cap_ms":2000,"jitter":"FULL"},"timeouts":{"enabled":true,"hop_ms":10000,"deadline_ms":25000},"breaker":{"enabled":true,"failureThreshold":0,"failureRate":0.5,"minimumCalls":20,"window_ms":10000,"open_ms":30000,"halfOpenProbes":3,"slowCall_ms":0},"bulkheads":{"enabled":true,"payments":20,"inventory":20},"shedding":{"enabled":true,"maxInFlight":200},"idempotency":false,"outbox":false}
            F | {"description":"E + idempotency keys + outbox","retry":{"maxAttempts":3,"base_ms":100,"cap_ms":2000,"jitter":"FULL"},"timeouts":{"enabled":true,"hop_ms":10000,"deadline_ms":25000},"breaker":{"enabled":true,"failureThreshold":0,"failureRate":0.5,"minimumCalls":20,"window_ms":10000,"open_ms":30000,"halfOpenProbes":3,"slowCall_ms":0},"bulkheads":{"enabled":true,"payments":20,"inventory":20},"shedding":{"enabled":true,"maxInFlight":200},"idempotency":true,"outbox":true}
            """)
    void theDefaultTableIsTheOneTheReadmeDescribes(char config, String expected) {
        assertEquals(expected, knobs(ConfigTable.defaults(), config));
    }

    @Test
    void theDefaultTableRunsEachPatternsOwnDefaults() {
        // One definition per knob: F's records are the patterns' defaults, not copies of their numbers
        LabConfig f = ConfigTable.defaults().get('F');
        assertEquals(Retry.Policy.defaults(), f.retry());
        assertEquals(Deadline.Config.defaults(), f.timeouts().config());
        assertEquals(CircuitBreakerConfig.defaults(), f.breaker().config());
        assertEquals(Bulkhead.Config.defaults(), f.bulkheads().config().forDownstream("payments"));
        assertEquals(Bulkhead.Config.defaults(), f.bulkheads().config().forDownstream("inventory"));
        assertEquals(null, f.bulkheads().config().forDownstream("notifications"));
        assertEquals(LoadShedder.Config.defaults(), f.shedding().config());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            LAB_RETRY_BASE_MS        | 0         | Kind.EXPONENTIAL needs a positive base, was PT0S
            LAB_RETRY_CAP_MS         | 172800000 | backoff cap must be at most PT24H, was PT48H
            LAB_BREAKER_SLOW_CALL_MS | -1        | slowCallThreshold must be positive or null (off), was PT-0.001S
            LAB_DEADLINE_MS          | 172800000 | deadline budget must be at most PT24H, got PT48H
            """)
    void aValueThePatternItselfRefusesStopsTheStartInsteadOfFailingEveryRequest(String variable, String value, String message) {
        var e = assertThrows(IllegalArgumentException.class, () -> ConfigTable.fromEnv(new Env(Map.of(variable, value))));
        assertEquals(message, e.getMessage());
    }

    @Test
    void everyOverrideReachesEveryConfigurationThatUsesThePattern() {
        // Given every LAB_* knob set to a value other than its default
        ConfigTable table = ConfigTable.fromEnv(new Env(Map.ofEntries(
                Map.entry("LAB_RETRY_MAX_ATTEMPTS", "4"), Map.entry("LAB_RETRY_BASE_MS", "50"),
                Map.entry("LAB_RETRY_CAP_MS", "800"), Map.entry("LAB_HOP_TIMEOUT_MS", "3000"),
                Map.entry("LAB_DEADLINE_MS", "9000"), Map.entry("LAB_BREAKER_FAILURE_THRESHOLD", "5"),
                Map.entry("LAB_BREAKER_FAILURE_RATE", "0.25"), Map.entry("LAB_BREAKER_MINIMUM_CALLS", "8"),
                Map.entry("LAB_BREAKER_WINDOW_MS", "5000"), Map.entry("LAB_BREAKER_OPEN_MS", "7000"),
                Map.entry("LAB_BREAKER_HALF_OPEN_PROBES", "2"), Map.entry("LAB_BREAKER_SLOW_CALL_MS", "1500"),
                Map.entry("LAB_BULKHEAD_PAYMENTS", "6"), Map.entry("LAB_BULKHEAD_INVENTORY", "9"),
                Map.entry("LAB_MAX_IN_FLIGHT", "40"))));
        // Then F shows each of them, and A (every pattern off) still records them
        assertEquals("{\"description\":\"E + idempotency keys + outbox\","
                + "\"retry\":{\"maxAttempts\":4,\"base_ms\":50,\"cap_ms\":800,\"jitter\":\"FULL\"},"
                + "\"timeouts\":{\"enabled\":true,\"hop_ms\":3000,\"deadline_ms\":9000},"
                + "\"breaker\":{\"enabled\":true,\"failureThreshold\":5,\"failureRate\":0.25,\"minimumCalls\":8,"
                + "\"window_ms\":5000,\"open_ms\":7000,\"halfOpenProbes\":2,\"slowCall_ms\":1500},"
                + "\"bulkheads\":{\"enabled\":true,\"payments\":6,\"inventory\":9},"
                + "\"shedding\":{\"enabled\":true,\"maxInFlight\":40},\"idempotency\":true,\"outbox\":true}",
                knobs(table, 'F'));
        assertEquals("{\"description\":\"baseline: no resilience patterns\","
                + "\"retry\":{\"maxAttempts\":1,\"base_ms\":50,\"cap_ms\":800,\"jitter\":\"NONE\"},"
                + "\"timeouts\":{\"enabled\":false,\"hop_ms\":3000,\"deadline_ms\":9000},"
                + "\"breaker\":{\"enabled\":false,\"failureThreshold\":5,\"failureRate\":0.25,\"minimumCalls\":8,"
                + "\"window_ms\":5000,\"open_ms\":7000,\"halfOpenProbes\":2,\"slowCall_ms\":1500},"
                + "\"bulkheads\":{\"enabled\":false,\"payments\":6,\"inventory\":9},"
                + "\"shedding\":{\"enabled\":false,\"maxInFlight\":40},\"idempotency\":false,\"outbox\":false}",
                knobs(table, 'A'));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            LAB_RETRY_MAX_ATTEMPTS       | three | LAB_RETRY_MAX_ATTEMPTS must be a whole number, got 'three'
            LAB_RETRY_MAX_ATTEMPTS       | 0     | retry maxAttempts must be 1..10, got 0
            LAB_RETRY_MAX_ATTEMPTS       | 11    | retry maxAttempts must be 1..10, got 11
            LAB_RETRY_BASE_MS            | 5000  | retry needs 0 <= base <= cap, got base=PT5S cap=PT2S
            LAB_RETRY_CAP_MS             | -1    | retry needs 0 <= base <= cap, got base=PT0.1S cap=PT-0.001S
            LAB_HOP_TIMEOUT_MS           | 0     | timeouts must be positive, got hop=PT0S deadline=PT25S
            LAB_DEADLINE_MS              | -5    | timeouts must be positive, got hop=PT10S deadline=PT-0.005S
            LAB_BREAKER_FAILURE_THRESHOLD| -1    | breaker failureThreshold must be >= 0 (0 = off), got -1
            LAB_BREAKER_FAILURE_RATE     | 0     | breaker failureRate must be in (0, 1], got 0.0
            LAB_BREAKER_FAILURE_RATE     | 1.5   | breaker failureRate must be in (0, 1], got 1.5
            LAB_BREAKER_FAILURE_RATE     | half  | LAB_BREAKER_FAILURE_RATE must be a number, got 'half'
            LAB_BREAKER_MINIMUM_CALLS    | 0     | breaker minimumCalls and halfOpenProbes must be >= 1, got 0 and 3
            LAB_BREAKER_HALF_OPEN_PROBES | 0     | breaker minimumCalls and halfOpenProbes must be >= 1, got 20 and 0
            LAB_BREAKER_WINDOW_MS        | 999   | breaker window must be >= 1 s and open > 0, got PT0.999S and PT30S
            LAB_BREAKER_OPEN_MS          | 0     | breaker window must be >= 1 s and open > 0, got PT10S and PT0S
            LAB_BULKHEAD_PAYMENTS        | 0     | bulkhead sizes must be >= 1, got payments=0 inventory=20
            LAB_BULKHEAD_INVENTORY       | -2    | bulkhead sizes must be >= 1, got payments=20 inventory=-2
            LAB_MAX_IN_FLIGHT            | 0     | shedding maxInFlight must be >= 1, got 0
            """)
    void aBadOverrideStopsTheStartWithOneLineNamingIt(String variable, String value, String message) {
        var e = assertThrows(IllegalArgumentException.class, () -> ConfigTable.fromEnv(new Env(Map.of(variable, value))));
        assertEquals(message, e.getMessage());
    }
}
