package frl.sim;

import com.fasterxml.jackson.databind.JsonNode;
import frl.experiment.report.ResultsJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cross-validation's mechanics on a small real folder written here: what it reads from
 * run.json and summary.csv, how it calibrates, what it writes, and that each "within" verdict
 * follows from the numbers beside it. (Whether the model agrees with the real stack is what the
 * committed crossval folder reports, not something a test can decide.)
 */
class CrossValidationTest {
    @TempDir
    Path tmp;

    /** A payment_errors experiment at 0.5 load: A twice (repetitions), G once; A's second run is invalid. */
    static final String RUN_JSON = """
            {"schema_version": 2, "id": "fixture-payment_errors", "scenario": "payment_errors",
             "chaos": {"target": "payments", "on": "{\\"error_rate\\": 0.5}", "off": "{\\"reset\\": true}"},
             "profile": "quick", "phases_seconds": {"warmup": 2, "baseline": 5, "fault": 5, "recovery": 5, "drain": 1},
             "fault_seconds": [5], "load_fractions": [0.5], "reps": 2, "seed": 3, "configs": ["A", "G"],
             "client": {"timeout_ms": 3000, "resends_on_timeout": 0, "send_slack_ms": 100, "deadline_header": true},
             "mttr_rule": {"slo_p99_ms": 1000.0, "min_baseline_success": 0.99},
             "capacity": {"requests_per_second": 60.0, "source": "calibrated"},
             "environment": {"git_revision": "abc"},
             "runs": [
               {"config": "A", "load_fraction": 0.5, "fault_seconds": 5, "rep": 1, "valid": true, "recovery": "window too short",
                "windows": {"baseline": {"p50_ms": 60.0}},
                "metrics": {"success_fault": 0.50, "p95_fault_ms": 150.0, "amp_orders_payments_fault": 1.0}},
               {"config": "A", "load_fraction": 0.5, "fault_seconds": 5, "rep": 2, "valid": true, "recovery": "window too short",
                "windows": {"baseline": {"p50_ms": 62.0}},
                "metrics": {"success_fault": 0.54, "p95_fault_ms": 170.0, "amp_orders_payments_fault": 1.0}},
               {"config": "G", "load_fraction": 0.5, "fault_seconds": 5, "rep": 1, "valid": true, "recovery": "window too short",
                "windows": {"baseline": {"p50_ms": 64.0}},
                "metrics": {"success_fault": 0.99, "p95_fault_ms": 9999.0, "amp_orders_payments_fault": 1.6}}
             ]}
            """;

    static final String SUMMARY_CSV = """
            config,load_fraction,fault_seconds,rate,runs,valid_runs,status,metric,mean,ci95_low,ci95_high,n
            A,0.5,5,30,2,2,valid,success_fault,0.52,0.5,0.54,2
            A,0.5,5,30,2,2,valid,p95_fault_ms,160,150,170,2
            A,0.5,5,30,2,2,valid,amp_orders_payments_fault,1,1,1,2
            G,0.5,5,30,1,1,valid,success_fault,0.99,,,1
            G,0.5,5,30,1,1,valid,p95_fault_ms,9999,,,1
            G,0.5,5,30,1,1,valid,amp_orders_payments_fault,1.6,,,1
            """;

    Path realFolder() throws Exception {
        Path real = tmp.resolve("real");
        Files.createDirectories(real);
        Files.writeString(real.resolve("run.json"), RUN_JSON);
        Files.writeString(real.resolve("summary.csv"), SUMMARY_CSV);
        return real;
    }

    @Test
    void playsTheRealExperimentAndSetsEachRealNumberBesideTheSimulatorsInterval() throws Exception {
        // Given a real folder
        Path real = realFolder();

        // When it is cross-validated with 6 seeds
        Path out = CrossValidation.run(real, 6, tmp.resolve("results"), 1, Knobs.defaults());

        // Then the folder holds the comparison and the simulator's own results
        for (String f : List.of("summary.md", "summary.csv", "run.json", "sim/summary.csv", "sim/runs.csv", "sim/run.json")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertTrue(!Files.exists(out.resolve("latest")), "no stray results/latest link inside the crossval folder");
        assertTrue(!Files.exists(out.resolve("sim/timeline.csv")), "the simulator's timeline is left out (rebuilt by rerunning)");

        // and run.json records the calibration taken from the real measurements
        JsonNode run = ResultsJson.MAPPER.readTree(Files.readString(out.resolve("run.json")));
        JsonNode cal = run.path("calibration");
        assertEquals(60.0, cal.path("capacity_per_second").asDouble());
        assertEquals(4 / 60.0 * 1000, cal.path("payment_service_mean_ms").asDouble(), 1e-6, "slots / measured capacity");
        assertEquals(62.0, cal.path("real_baseline_p50_ms").asDouble(), "median of the real runs' baseline p50");
        assertTrue(cal.path("hop_mean_ms").asDouble() >= 0.01 && cal.path("hop_mean_ms").asDouble() <= 50);
        assertEquals("fixture-payment_errors", run.path("real_id").asText());
        JsonNode sim = ResultsJson.MAPPER.readTree(Files.readString(out.resolve("sim/run.json")));
        assertEquals("payment_errors", sim.path("scenario").asText());
        assertEquals(6, sim.path("reps").asInt(), "one repetition per seed");
        assertEquals(60.0, sim.path("capacity").path("requests_per_second").asDouble());

        // and summary.csv has every (config, metric), real values as the real folder has them
        Map<String, Map<String, String>> rows = rows(out.resolve("summary.csv"));
        assertEquals(8, rows.size(), rows.keySet().toString());
        Map<String, String> aSuccess = rows.get("A/success_fault");
        assertEquals("2", aSuccess.get("real_runs"));
        assertEquals(0.52, Double.parseDouble(aSuccess.get("real_value")), 1e-9, "the mean of A's two runs");
        assertEquals("0.5", aSuccess.get("real_mean_ci95_low"), "summary.csv's interval, copied");
        assertEquals("0.54", aSuccess.get("real_mean_ci95_high"));
        assertEquals("n/a", rows.get("G/success_fault").get("real_mean_in_sim_mean_interval"), "one G run: no mean to test");
        assertEquals("n/a", rows.get("A/recovery").get("real_in_prediction_interval"), "no verdict in a 5 s recovery window");

        // and every verdict follows from the numbers in its own row
        for (var e : rows.entrySet()) {
            Map<String, String> r = e.getValue();
            if (e.getKey().endsWith("/recovery")) {
                continue;
            }
            double value = Double.parseDouble(r.get("real_value"));
            boolean inside = value >= Double.parseDouble(r.get("sim_p2_5")) && value <= Double.parseDouble(r.get("sim_p97_5"));
            assertEquals(inside ? "yes" : "no", r.get("real_in_prediction_interval"), e.getKey());
            if (r.get("real_runs").equals("2")) {
                boolean meanInside = value >= Double.parseDouble(r.get("sim_mean_ci95_low"))
                        && value <= Double.parseDouble(r.get("sim_mean_ci95_high"));
                assertEquals(meanInside ? "yes" : "no", r.get("real_mean_in_sim_mean_interval"), e.getKey());
            }
        }
        // G's made-up p95 of 10 s lies far outside what a 3 s client timeout lets the simulator show
        assertEquals("no", rows.get("G/p95_fault_ms").get("real_in_prediction_interval"));
        assertTrue(Files.readString(out.resolve("summary.md")).contains("| G @ 0.5, 5 s | p95 ms | 9999 |"));
    }

    @Test
    void refusesAFolderThatIsNotARealResultsFolder() throws Exception {
        Path real = realFolder();
        Files.writeString(real.resolve("run.json"), RUN_JSON.replace("\"schema_version\": 2,", "\"schema_version\": 2, \"engine\": \"simulation\","));

        var e = assertThrows(IllegalArgumentException.class,
                () -> CrossValidation.run(real, 6, tmp.resolve("results"), 1, Knobs.defaults()));
        assertTrue(e.getMessage().contains("is a simulation"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> CrossValidation.run(tmp.resolve("nowhere"), 6, tmp.resolve("results"), 1, Knobs.defaults()));
    }

    /** summary.csv keyed "config/metric". */
    private static Map<String, Map<String, String>> rows(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = List.of(lines.getFirst().split(","));
        return lines.subList(1, lines.size()).stream().map(l -> l.split(",", -1)).collect(Collectors.toMap(
                f -> f[0] + "/" + f[3],
                f -> IntStream.range(0, header.size()).boxed().collect(Collectors.toMap(header::get, i -> f[i]))));
    }
}
