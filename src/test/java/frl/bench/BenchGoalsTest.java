package frl.bench;

import com.fasterxml.jackson.databind.JsonNode;
import frl.http.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link BenchGoals} on a synthetic run: each goal judged from its numbers, and what is left written from them. */
class BenchGoalsTest {
    private static final String RUN = """
            {"cpu_per_order": [
               {"config": "F", "rate": 60, "success": 1.0, "stack": 5.25, "gateway": 0.56, "orders": 1.3, "payments": 0.6,
                "inventory": 0.6, "notifications": 0.3, "postgres": 1.7, "redis": 0.15,
                "xact_orders": 2.3, "stmt_orders": 5.4, "xact_payments": 2, "stmt_payments": 2,
                "xact_inventory": 1, "stmt_inventory": 3, "xact_notifications": 1, "stmt_notifications": 1},
               {"config": "F", "rate": 60, "success": 1.0, "stack": 5.40, "gateway": 0.48, "orders": 1.3, "payments": 0.6,
                "inventory": 0.6, "notifications": 0.3, "postgres": 1.9, "redis": 0.15},
               {"config": "A", "rate": 60, "success": 1.0, "stack": 3.9, "gateway": 0.4}],
             "ceiling": {"A": {"ceiling": 800, "steps": [
                               {"rate": 500, "held": true, "stack_cpu_ms_per_order": 2.0, "machine_busy": 0.9},
                               {"rate": 800, "held": true, "stack_cpu_ms_per_order": 1.85, "machine_busy": 1.0}]},
                         "F": {"ceiling": 500, "steps": [
                               {"rate": 500, "held": true, "stack_cpu_ms_per_order": 2.87, "machine_busy": 1.0},
                               {"rate": 600, "held": false, "stack_cpu_ms_per_order": 2.9, "machine_busy": 1.0}]}},
             "driver": {"scheduled": 4935, "not_sent_on_time": 0, "late_p99_ms": 15.9, "cpu_ms_per_request": 0.29},
             "profile": {"event": "jdk.CPUTimeSample", "rate": 60, "window_s": 30, "services": {
               "gateway": {"samples": 1000, "lost": 3, "shares": {"HTTP_SERVER": 0.39, "HTTP_CLIENT": 0.30, "VIRTUAL_THREADS": 0.2, "OTHER": 0.11}},
               "orders": {"samples": 2000, "lost": 0, "shares": {"DATABASE": 0.25, "HTTP_SERVER": 0.2, "JSON": 0.05}}}}}
            """;

    @Test
    void eachGoalIsJudgedFromTheRunsNumbers() throws Exception {
        String md = BenchGoals.write(Json.MAPPER.readTree(RUN), null);
        assertTrue(md.contains("| stack CPU per order <= 4 ms (F, warm, 60/s) | 5.25-5.40 ms in 2 windows | **missed** |"), md);
        assertTrue(md.contains("| gateway <= 0.5 ms per request (F) | 0.48-0.56 ms | **missed** |"), md);
        assertTrue(md.contains("| 800 orders/s | met |"), md);
        assertTrue(md.contains("| F 500 vs A 800: 0.63 | **missed** |"), md);
        assertTrue(md.contains("0 of 4935 not sent on time (0.00%)") && md.contains("0.290 ms CPU per request | met |"), md);
        assertFalse(md.contains("patterns <="), "no JMH results, no patterns row");
    }

    @Test
    void theProfileTableHasAColumnPerServiceAndWhatIsLeftQuotesIt() throws Exception {
        JsonNode run = Json.MAPPER.readTree(RUN);
        String md = BenchGoals.write(run, null);
        assertTrue(md.contains("| | gateway | orders |"), md);
        assertTrue(md.contains("| JDK HttpServer | 39.0% | 20.0% |"), md);
        assertTrue(md.contains("| samples (lost) | 1000 (3) | 2000 (0) |"), md);
        assertTrue(md.contains("By process (mean of the windows): postgres 1.80, orders 1.30"), md);
        assertTrue(md.contains("Of the gateway JVM's sampled CPU: JDK HttpServer 39%, HTTP client (ServiceClient, Apache HttpClient 5) 30%"), md);
        assertTrue(md.contains("PostgreSQL per order: orders 2.3 transactions, 5.4 statements"), md);
        assertTrue(md.contains("At 500/s, the highest rate both held, F cost 2.87 ms per order and A 2.00"), md);
        assertTrue(BenchGoals.largest(run, "payments", 2).equals("not profiled"));
    }

    @Test
    void patternsAreJudgedOnTheMedianIteration() throws Exception {
        JsonNode jmh = Json.MAPPER.readTree("""
                [{"benchmark": "frl.bench.PatternBenchmarks.breakerOurs", "primaryMetric": {"rawData": [[30, 31, 99]]}},
                 {"benchmark": "frl.bench.PatternBenchmarks.breakerR4j", "primaryMetric": {"rawData": [[60, 62, 64]]}},
                 {"benchmark": "frl.bench.PatternBenchmarks.retryOurs", "primaryMetric": {"rawData": [[20, 20, 20]]}},
                 {"benchmark": "frl.bench.PatternBenchmarks.retryR4j", "primaryMetric": {"rawData": [[10, 10, 10]]}}]""");
        String md = BenchGoals.write(Json.MAPPER.readTree(RUN), jmh);
        assertTrue(md.contains("| 0.50x-2.00x (breaker 0.50x) | **missed** |"), md);
        assertTrue(md.contains("Slower than Resilience4j (ours / R4J, median ns/op): retry 2.00x."), md);
    }
}
