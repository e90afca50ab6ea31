package frl.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import frl.experiment.report.ResultsChecks;
import frl.experiment.stack.StubStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ExperimentMain end to end against {@link StubStack}: the plumbing (reset with the token, chaos
 * on and off at the phase boundaries, counters, results folder), not any experimental outcome.
 */
class ExperimentSmokeTest {
    @TempDir
    Path dir;

    @Test
    void aTinyExperimentWritesACompleteResultsFolder() throws Exception {
        try (StubStack stub = new StubStack(0, 0)) {
            Path stack = stub.writeStackJson(dir);
            ExperimentOptions o = ExperimentOptions.parse(new String[]{"--scenario", "payment_errors", "--profile", "quick",
                    "--phases", "1,1,1,1,0", "--configs", "A,B", "--capacity", "40", "--warmup-bound", "2s",
                    "--stack", stack.toString(),
                    "--results", dir.resolve("results").toString()});

            int status = ExperimentMain.run(o, List.of("test"));

            assertEquals(0, status);
            Path latest = dir.resolve("results/latest");
            assertTrue(Files.isSymbolicLink(latest));
            JsonNode run = ResultsChecks.assertWellFormed(latest.toRealPath());
            assertTrue(run.path("complete").asBoolean());
            assertEquals(2, run.path("runs").size());
            assertEquals(40.0, run.path("capacity").path("requests_per_second").asDouble());
            assertEquals("given (--capacity)", run.path("capacity").path("source").asText());
            assertTrue(run.path("service_config").path("payments").path("stub").asBoolean(), "GET /admin/config recorded");
            JsonNode first = run.path("runs").get(0);
            assertEquals(34.0, first.path("rate_per_second").asDouble(), 1e-9);
            assertTrue(first.path("audit").isNull(), "no databases in stack.json, so no audit...");
            assertTrue(first.path("audit_note").asText().contains("no databases"), "...and it says so");
            assertTrue(first.path("metrics").path("amp_gateway_orders_measured").asDouble() > 0, "counters were read");

            // every run began with a reset of all five services, and the fault went on and off. A run
            // whose baseline the gate found invalid (a busy machine can slow even the stub) is played
            // again, so count the plays from each run's gates.attempt rather than assume one each.
            int plays = 0;
            for (JsonNode r : run.path("runs")) {
                plays += r.path("gates").path("attempt").asInt();
            }
            List<String> calls = stub.adminCalls;
            assertEquals((2 + plays) * 5, calls.stream().filter(c -> c.startsWith("POST") && c.endsWith("/admin/reset")).count(),
                    "one reset before the preflight, one before the capacity check, then one before each play");
            assertEquals(plays, calls.stream().filter(c -> c.equals("POST payments /admin/chaos {\"error_rate\": 0.2}")).count());
            assertEquals(plays, calls.stream().filter(c -> c.equals("POST payments /admin/chaos {\"reset\": true}")).count());
            List<String> sequence = calls.stream().map(c -> switch (c) {
                case "POST gateway /admin/reset" -> "reset";
                case "POST payments /admin/chaos {\"error_rate\": 0.2}" -> "on";
                case "POST payments /admin/chaos {\"reset\": true}" -> "off";
                default -> "";
            }).filter(t -> !t.isEmpty()).toList();
            List<String> expected = new java.util.ArrayList<>(List.of("reset", "reset"));
            for (int i = 0; i < plays; i++) {
                expected.addAll(List.of("reset", "on", "off"));
            }
            assertEquals(expected, sequence, "preflight reset, capacity-check reset, then per play: reset, fault on, fault off");
            assertTrue(run.path("capacity").path("check").path("message").asText().contains("CAPACITY=40.0"), "the given capacity was checked");
            assertEquals(2, first.path("gates").path("warmup").path("bound_seconds").asInt(), "every run was warmed up first");
            assertTrue(first.path("gates").path("validity").has("baseline_success"), "and its baseline judged");
        }
    }

    @Test
    void aStackThatIsNotRunningIsReportedNotRun() throws Exception {
        ExperimentOptions o = ExperimentOptions.parse(new String[]{"--scenario", "none", "--stack",
                dir.resolve("missing.json").toString(), "--results", dir.resolve("results").toString()});
        assertEquals(2, ExperimentMain.run(o, List.of()));
        assertTrue(Files.notExists(dir.resolve("results")));
    }
}
