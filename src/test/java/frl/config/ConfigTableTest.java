package frl.config;

import frl.http.Json;
import frl.resilience.AdaptiveLimit;
import frl.resilience.Bulkhead;
import frl.resilience.Deadline;
import frl.resilience.LoadShedder;
import frl.resilience.RetryBudget;
import frl.resilience.breaker.CircuitBreakerConfig;
import frl.resilience.retry.Retry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The table A..G as {@code GET /admin/config} shows it (the same map goes into results/run.json),
 * with and without {@code LAB_*} overrides, and the start-up error each bad override gives.
 */
class ConfigTableTest {

    /** G's knobs at their defaults, as every other configuration records them (off). */
    private static final String G_KNOBS_OFF = "\"retryBudget\":{\"enabled\":false,\"ratio\":0.1,\"minRetriesPerSecond\":1.0,\"window_ms\":10000},"
            + "\"adaptive\":{\"enabled\":false,\"minLimit\":4,\"initialLimit\":20,\"maxLimit\":400,\"target\":0.5,\"smoothing\":0.1},"
            + "\"compensation\":{\"enabled\":false,\"maxAttempts\":6,\"base_ms\":200,\"cap_ms\":3000,\"hop_ms\":10000,\"deadline_ms\":20000}";

    private static String knobs(ConfigTable table, char config) {
        return Json.write(table.get(config).describe());
    }

    @ParameterizedTest(name = "config {0}")
    @CsvSource(delimiter = '|', textBlock = """
            A | {"description":"baseline: no resilience patterns","retry":{"maxAttempts":1,"base_ms":100,"cap_ms":2000,"jitter":"NONE"},"timeouts":{"enabled":false,"hop_ms":10000,"deadline_ms":25000},"breaker":{"enabled":false,"failureThreshold":0,"failureRate":0.5,"minimumCalls":20,"window_ms":10000,"open_ms":30000,"halfOpenProbes":3,"slowCall_ms":0},"bulkheads":{"enabled":false,"payments":20,"inventory":20},"shedding":{"enabled":false,"maxInFlight":200},"retryBudget":{"enabled":false,"ratio":0.1,"minRetriesPerSecond":1.0,"window_ms":10000},"adaptive":{"enabled":false,"minLimit":4,"initialLimit":20,"maxLimit":400,"target":0.5,"smoothing":0.1},"compensation":{"enabled":false,"maxAttempts":6,"base_ms":200,"cap_ms":3000,"hop_ms":10000,"deadline_ms":20000},"idempotency":false,"outbox":false}
            B | {"description":"retries only (naive: exponential, no jitter, no timeouts)","retry":{"maxAttempts":3,"base_ms":100,"cap_ms":2000,"jitter":"NONE"},"timeouts":{"enabled":false,"hop_ms":10000,"deadline_ms":25000},"breaker":{"enabled":false,"failureThreshold":0,"failureRate":0.5,"minimumCalls":20,"window_ms":10000,"open_ms":30000,"halfOpenProbes":3,"slowCall_ms":0},"bulkheads":{"enabled":false,"payments":20,"inventory":20},"shedding":{"enabled":false,"maxInFlight":200},"retryBudget":{"enabled":false,"ratio":0.1,"minRetriesPerSecond":1.0,"window_ms":10000},"adaptive":{"enabled":false,"minLimit":4,"initialLimit":20,"maxLimit":400,"target":0.5,"smoothing":0.1},"compensation":{"enabled":false,"maxAttempts":6,"base_ms":200,"cap_ms":3000,"hop_ms":10000,"deadline_ms":20000},"idempotency":false,"outbox":false}
            C | {"description":"retries with full jitter + per-hop timeouts + deadline","retry":{"maxAttempts":3,"base_ms":100,"cap_ms":2000,"jitter":"FULL"},"timeouts":{"enabled":true,"hop_ms":10000,"deadline_ms":25000},"breaker":{"enabled":false,"failureThreshold":0,"failureRate":0.5,"minimumCalls":20,"window_ms":10000,"open_ms":30000,"halfOpenProbes":3,"slowCall_ms":0},"bulkheads":{"enabled":false,"payments":20,"inventory":20},"shedding":{"enabled":false,"maxInFlight":200},"retryBudget":{"enabled":false,"ratio":0.1,"minRetriesPerSecond":1.0,"window_ms":10000},"adaptive":{"enabled":false,"minLimit":4,"initialLimit":20,"maxLimit":400,"target":0.5,"smoothing":0.1},"compensation":{"enabled":false,"maxAttempts":6,"base_ms":200,"cap_ms":3000,"hop_ms":10000,"deadline_ms":20000},"idempotency":false,"outbox":false}
            D | {"description":"C + circuit breaker per downstream","retry":{"maxAttempts":3,"base_ms":100,"cap_ms":2000,"jitter":"FULL"},"timeouts":{"enabled":true,"hop_ms":10000,"deadline_ms":25000},"breaker":{"enabled":true,"failureThreshold":0,"failureRate":0.5,"minimumCalls":20,"window_ms":10000,"open_ms":30000,"halfOpenProbes":3,"slowCall_ms":0},"bulkheads":{"enabled":false,"payments":20,"inventory":20},"shedding":{"enabled":false,"maxInFlight":200},"retryBudget":{"enabled":false,"ratio":0.1,"minRetriesPerSecond":1.0,"window_ms":10000},"adaptive":{"enabled":false,"minLimit":4,"initialLimit":20,"maxLimit":400,"target":0.5,"smoothing":0.1},"compensation":{"enabled":false,"maxAttempts":6,"base_ms":200,"cap_ms":3000,"hop_ms":10000,"deadline_ms":20000},"idempotency":false,"outbox":false}
            E | {"description":"D + bulkheads + gateway load shedding","retry":{"maxAttempts":3,"base_ms":100,"cap_ms":2000,"jitter":"FULL"},"timeouts":{"enabled":true,"hop_ms":10000,"deadline_ms":25000},"breaker":{"enabled":true,"failureThreshold":0,"failureRate":0.5,"minimumCalls":20,"window_ms":10000,"open_ms":30000,"halfOpenProbes":3,"slowCall_ms":0},"bulkheads":{"enabled":true,"payments":20,"inventory":20},"shedding":{"enabled":true,"maxInFlight":200},"retryBudget":{"enabled":false,"ratio":0.1,"minRetriesPerSecond":1.0,"window_ms":10000},"adaptive":{"enabled":false,"minLimit":4,"initialLimit":20,"maxLimit":400,"target":0.5,"smoothing":0.1},"compensation":{"enabled":false,"maxAttempts":6,"base_ms":200,"cap_ms":3000,"hop_ms":10000,"deadline_ms":20000},"idempotency":false,"outbox":false}
            F | {"description":"E + idempotency keys + outbox","retry":{"maxAttempts":3,"base_ms":100,"cap_ms":2000,"jitter":"FULL"},"timeouts":{"enabled":true,"hop_ms":10000,"deadline_ms":25000},"breaker":{"enabled":true,"failureThreshold":0,"failureRate":0.5,"minimumCalls":20,"window_ms":10000,"open_ms":30000,"halfOpenProbes":3,"slowCall_ms":0},"bulkheads":{"enabled":true,"payments":20,"inventory":20},"shedding":{"enabled":true,"maxInFlight":200},"retryBudget":{"enabled":false,"ratio":0.1,"minRetriesPerSecond":1.0,"window_ms":10000},"adaptive":{"enabled":false,"minLimit":4,"initialLimit":20,"maxLimit":400,"target":0.5,"smoothing":0.1},"compensation":{"enabled":false,"maxAttempts":6,"base_ms":200,"cap_ms":3000,"hop_ms":10000,"deadline_ms":20000},"idempotency":true,"outbox":true}
            G | {"description":"F with retry budgets, adaptive limits, failure-only breakers, patient compensation","retry":{"maxAttempts":3,"base_ms":100,"cap_ms":2000,"jitter":"FULL"},"timeouts":{"enabled":true,"hop_ms":10000,"deadline_ms":25000},"breaker":{"enabled":true,"failureThreshold":0,"failureRate":0.5,"minimumCalls":20,"window_ms":10000,"open_ms":30000,"halfOpenProbes":3,"slowCall_ms":10000},"bulkheads":{"enabled":false,"payments":20,"inventory":20},"shedding":{"enabled":false,"maxInFlight":200},"retryBudget":{"enabled":true,"ratio":0.1,"minRetriesPerSecond":1.0,"window_ms":10000},"adaptive":{"enabled":true,"minLimit":4,"initialLimit":20,"maxLimit":400,"target":0.5,"smoothing":0.1},"compensation":{"enabled":true,"maxAttempts":6,"base_ms":200,"cap_ms":3000,"hop_ms":10000,"deadline_ms":20000},"idempotency":true,"outbox":true}
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
                + "\"shedding\":{\"enabled\":true,\"maxInFlight\":40}," + G_KNOBS_OFF + ",\"idempotency\":true,\"outbox\":true}",
                knobs(table, 'F'));
        assertEquals("{\"description\":\"baseline: no resilience patterns\","
                + "\"retry\":{\"maxAttempts\":1,\"base_ms\":50,\"cap_ms\":800,\"jitter\":\"NONE\"},"
                + "\"timeouts\":{\"enabled\":false,\"hop_ms\":3000,\"deadline_ms\":9000},"
                + "\"breaker\":{\"enabled\":false,\"failureThreshold\":5,\"failureRate\":0.25,\"minimumCalls\":8,"
                + "\"window_ms\":5000,\"open_ms\":7000,\"halfOpenProbes\":2,\"slowCall_ms\":1500},"
                + "\"bulkheads\":{\"enabled\":false,\"payments\":6,\"inventory\":9},"
                + "\"shedding\":{\"enabled\":false,\"maxInFlight\":40}," + G_KNOBS_OFF + ",\"idempotency\":false,\"outbox\":false}",
                knobs(table, 'A'));
    }

    @Test
    void gRunsEachNewPatternsOwnDefaultsAndTheBreakerCountsSlownessOnlyPastTheHopTimeout() {
        LabConfig g = ConfigTable.defaults().get('G');
        assertEquals(RetryBudget.Config.defaults(), g.retryBudget().config());
        assertEquals(AdaptiveLimit.Config.defaults(), g.adaptive().config());
        assertEquals(LabConfig.Compensation.defaults(), g.compensation().config());
        assertEquals(CircuitBreakerConfig.defaults().withSlowCallThreshold(Deadline.DEFAULT_HOP_TIMEOUT), g.breaker().config());
        // Adaptive limits take the fixed ones' place; F's idempotency and outbox stay
        assertEquals(List.of(false, false, true, true, true),
                List.of(g.bulkheads().enabled(), g.shedding().enabled(), g.adaptive().enabled(), g.idempotency(), g.outbox()));
    }

    @Test
    void everyOverrideOfGsKnobsReachesG() {
        // Given G's knobs and the hop timeout set to values other than their defaults, and D..F's slow-call knob
        ConfigTable table = ConfigTable.fromEnv(new Env(Map.ofEntries(
                Map.entry("LAB_RETRY_BUDGET_RATIO", "0.2"), Map.entry("LAB_RETRY_BUDGET_MIN_PER_SECOND", "3"),
                Map.entry("LAB_RETRY_BUDGET_WINDOW_MS", "5000"), Map.entry("LAB_ADAPTIVE_MIN_LIMIT", "2"),
                Map.entry("LAB_ADAPTIVE_INITIAL_LIMIT", "10"), Map.entry("LAB_ADAPTIVE_MAX_LIMIT", "300"),
                Map.entry("LAB_ADAPTIVE_TARGET", "0.6"), Map.entry("LAB_ADAPTIVE_SMOOTHING", "0.2"),
                Map.entry("LAB_COMPENSATION_MAX_ATTEMPTS", "4"), Map.entry("LAB_COMPENSATION_BASE_MS", "50"),
                Map.entry("LAB_COMPENSATION_CAP_MS", "1000"), Map.entry("LAB_COMPENSATION_HOP_TIMEOUT_MS", "4000"),
                Map.entry("LAB_COMPENSATION_DEADLINE_MS", "15000"), Map.entry("LAB_HOP_TIMEOUT_MS", "3000"),
                Map.entry("LAB_BREAKER_SLOW_CALL_MS", "1500"))));
        // Then G shows each of them; its breaker's slow-call threshold follows the hop timeout, not D..F's knob
        assertEquals("{\"description\":\"F with retry budgets, adaptive limits, failure-only breakers, patient compensation\","
                + "\"retry\":{\"maxAttempts\":3,\"base_ms\":100,\"cap_ms\":2000,\"jitter\":\"FULL\"},"
                + "\"timeouts\":{\"enabled\":true,\"hop_ms\":3000,\"deadline_ms\":25000},"
                + "\"breaker\":{\"enabled\":true,\"failureThreshold\":0,\"failureRate\":0.5,\"minimumCalls\":20,"
                + "\"window_ms\":10000,\"open_ms\":30000,\"halfOpenProbes\":3,\"slowCall_ms\":3000},"
                + "\"bulkheads\":{\"enabled\":false,\"payments\":20,\"inventory\":20},"
                + "\"shedding\":{\"enabled\":false,\"maxInFlight\":200},"
                + "\"retryBudget\":{\"enabled\":true,\"ratio\":0.2,\"minRetriesPerSecond\":3.0,\"window_ms\":5000},"
                + "\"adaptive\":{\"enabled\":true,\"minLimit\":2,\"initialLimit\":10,\"maxLimit\":300,\"target\":0.6,\"smoothing\":0.2},"
                + "\"compensation\":{\"enabled\":true,\"maxAttempts\":4,\"base_ms\":50,\"cap_ms\":1000,\"hop_ms\":4000,\"deadline_ms\":15000},"
                + "\"idempotency\":true,\"outbox\":true}",
                knobs(table, 'G'));
        assertEquals(1500, table.get('F').breaker().config().slowCallThreshold().toMillis());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            LAB_RETRY_BUDGET_RATIO         | 1.5   | retry budget ratio must be within [0, 1], was 1.5
            LAB_RETRY_BUDGET_WINDOW_MS     | 1500  | retry budget window must be whole seconds from 1 to 3600, was PT1.5S
            LAB_ADAPTIVE_MIN_LIMIT         | 0     | adaptive limit minLimit must be at least 1, was 0
            LAB_ADAPTIVE_MAX_LIMIT         | 10    | adaptive limit initialLimit must be within [4, 10], was 20
            LAB_ADAPTIVE_TARGET            | 1     | adaptive limit target must be a share of the budget within (0, 1), was 1.0
            LAB_ADAPTIVE_SMOOTHING         | 0     | adaptive limit smoothing must be within (0, 1], was 0.0
            LAB_COMPENSATION_MAX_ATTEMPTS  | 11    | compensation maxAttempts must be 1..10, got 11
            LAB_COMPENSATION_CAP_MS        | 100   | compensation needs 0 <= base <= cap, got base=PT0.2S cap=PT0.1S
            LAB_COMPENSATION_DEADLINE_MS   | 0     | timeouts must be positive, got hop=PT10S deadline=PT0S
            """)
    void aBadOverrideOfGsKnobsStopsTheStartNamingTheValue(String variable, String value, String message) {
        var e = assertThrows(IllegalArgumentException.class, () -> ConfigTable.fromEnv(new Env(Map.of(variable, value))));
        assertEquals(message, e.getMessage());
    }

    @Test
    void aConfigurationCannotHaveAdaptiveLimitsWithoutTimeoutsOrBesideFixedOnes() {
        LabConfig g = ConfigTable.defaults().get('G');
        var noTimeouts = assertThrows(IllegalArgumentException.class, () -> new LabConfig('G', "x", g.retry(), g.retryBudget(),
                LabConfig.Layer.off(g.timeouts().config()), g.breaker(), g.bulkheads(), g.shedding(), g.adaptive(),
                g.compensation(), true, true));
        assertEquals("config G: adaptive limits need timeouts, the yardstick of their latency", noTimeouts.getMessage());
        var both = assertThrows(IllegalArgumentException.class, () -> new LabConfig('G', "x", g.retry(), g.retryBudget(),
                g.timeouts(), g.breaker(), LabConfig.Layer.on(g.bulkheads().config()), g.shedding(), g.adaptive(),
                g.compensation(), true, true));
        assertEquals("config G: adaptive limits take the place of fixed bulkheads and shedding, not both", both.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            H  | unknown configuration 'H': use one of A, B, C, D, E, F, G
            GG | unknown configuration 'GG': use one of A, B, C, D, E, F, G
            """)
    void aLetterBeyondGIsRefusedNamingTheSevenThatExist(String value, String message) {
        var e = assertThrows(IllegalArgumentException.class, () -> ConfigTable.defaults().parse(value, null));
        assertEquals(message, e.getMessage());
        assertEquals('G', ConfigTable.defaults().parse("g", null).name());
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
