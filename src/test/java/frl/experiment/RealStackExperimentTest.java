package frl.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import frl.experiment.report.ResultsChecks;
import frl.services.LabStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tiny experiment end to end on the real services (in this JVM, on real PostgreSQL and Redis):
 * calibration, reset, chaos on and off, load, counters, the correctness audit and every results
 * file. It checks that the results are complete and well-formed, never what they say: this
 * machine is too noisy for experimental outcomes in a test, and those are read from the reports.
 * The warm-up and the drain are bounded short: their rules are tested on their own
 * ({@code WarmupTest}, {@code DrainTest}); here only that they run and are recorded.
 */
class RealStackExperimentTest {
    @TempDir
    Path dir;

    @Test
    void aTinyPaymentErrorsExperimentOnTheRealStackWritesAuditedResults() throws Exception {
        try (LabStack stack = new LabStack()) {
            Path token = Files.writeString(dir.resolve("admin-token"), LabStack.TOKEN + "\n");
            ObjectNode json = frl.http.Json.object();
            ObjectNode services = json.putObject("services");
            ObjectNode admin = json.putObject("admin");
            for (String s : List.of("gateway", "orders", "payments", "inventory", "notifications")) {
                services.put(s, stack.url(s).toString());
                admin.put(s, stack.adminUrl(s).toString());
            }
            ObjectNode dbs = json.putObject("databases");
            dbs.put("orders", stack.ordersDb.getJdbcUrl());
            dbs.put("payments", stack.paymentsDb.getJdbcUrl());
            dbs.put("inventory", stack.inventoryDb.getJdbcUrl());
            dbs.put("notifications", stack.notificationsDb.getJdbcUrl());
            json.put("redis", frl.testing.TestInfra.redisUrl());
            json.put("admin_token_file", token.toString());
            Path stackJson = Files.writeString(dir.resolve("stack.json"), json.toString());

            ExperimentOptions o = ExperimentOptions.parse(new String[]{"--scenario", "payment_errors", "--profile", "quick",
                    "--phases", "1,1,1,1,1", "--configs", "A,F", "--load", "0.5", "--calibration-passes", "2",
                    "--calibration-start", "150", "--warmup-bound", "3s", "--drain-bound", "10s", "--stack", stackJson.toString(),
                    "--results", dir.resolve("results").toString()});
            int status = ExperimentMain.run(o, List.of("test"));

            assertEquals(0, status);
            JsonNode run = ResultsChecks.assertWellFormed(dir.resolve("results/latest").toRealPath());
            assertTrue(run.path("complete").asBoolean());
            assertEquals(2, run.path("runs").size());
            assertEquals("calibrated", run.path("capacity").path("source").asText().replaceAll("[^a-z].*", ""),
                    run.path("capacity").toString());
            for (JsonNode r : run.path("runs")) {
                assertTrue(r.path("audit").isObject(), "the audit ran against the real databases: " + r);
                assertTrue(r.path("metrics").path("amp_gateway_orders_measured").asDouble() > 0, "counters were read");
                assertTrue(r.path("drain").has("settled"), "the drain's end is recorded (bounded here: its rule has its own test)");
                assertTrue(r.path("gates").path("validity").has("reason"), "the baseline was judged");
            }
            assertTrue(run.path("service_config").path("orders").path("configs").has("F"), "GET /admin/config recorded");
        }
    }
}
