package frl.stack;

import com.fasterxml.jackson.databind.node.ObjectNode;
import frl.experiment.LoadMain;
import frl.http.Json;
import frl.services.LabStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static frl.services.LabStack.json;
import static frl.services.LabStack.orderBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code make load} after an overload (issue 14): the run that followed started with config D's
 * gateway breaker still OPEN, its preflight got 20 x 5xx, and it measured anyway. Now the load
 * resets the stack first (keeping the chaos switches), stops when the preflight confirms nothing,
 * and says what state the stack was in. Runs against the real services in this JVM, with D's
 * breaker made easy to trip (4 calls, no retries) so opening it takes a handful of orders.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoadResetTest {
    private LabStack stack;
    private Path stackJson;

    @TempDir
    Path dir;

    @BeforeAll
    void start() throws Exception {
        stack = new LabStack(Map.of("LAB_BREAKER_MINIMUM_CALLS", "4", "LAB_RETRY_MAX_ATTEMPTS", "1"));
    }

    @AfterAll
    void stop() {
        stack.close();
    }

    @BeforeEach
    void describeStackAndResetIt() throws Exception {
        Path token = Files.writeString(dir.resolve("admin-token"), LabStack.TOKEN + "\n");
        ObjectNode json = Json.object();
        ObjectNode services = json.putObject("services");
        ObjectNode admin = json.putObject("admin");
        for (String s : List.of("gateway", "orders", "payments", "inventory", "notifications")) {
            services.put(s, stack.url(s).toString());
            admin.put(s, stack.adminUrl(s).toString());
            assertEquals(200, stack.admin(s, "POST", "/admin/reset", null).statusCode());
        }
        json.put("admin_token_file", token.toString());
        stackJson = Files.writeString(dir.resolve("stack.json"), json.toString());
    }

    /** Opens config D's breakers the way an overload does: its orders fail while payments refuses everything. */
    private void openDsBreakers() throws Exception {
        stack.admin("payments", "POST", "/admin/chaos", "{\"outage\": true}");
        for (int i = 0; i < 6; i++) {
            stack.order('D', null, orderBody("prod-001", 1, "1.00"));
        }
        stack.admin("payments", "POST", "/admin/chaos", "{\"outage\": false}");
        String breakers = stack.send("gateway", "GET", "/status/breakers", null).body();
        assertTrue(breakers.contains("\"state\":\"OPEN\""), "given: a breaker of D is open: " + breakers);
    }

    private record Run(int exit, String out, String err) {
    }

    private Run load(String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--rate", "5", "--duration", "1s", "--config", "D",
                "--stack", stackJson.toString()));
        args.addAll(List.of(extra));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = LoadMain.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void afterAnOverloadTheLoadResetsTheStackAndSaysWhatItFound() throws Exception {
        openDsBreakers();

        Run run = load();

        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("preflight (not counted): {SUCCESS=20}"), run.out());
        assertTrue(run.out().contains("stack before the load...: reset before the load"), run.out());
        assertTrue(run.out().contains("found: breakers D gateway->orders OPEN"), run.out());
        assertEquals("CLOSED", json(stack.send("gateway", "GET", "/status/breakers", null)).path("gateway").path("D/orders")
                .path("state").asText(), "the load ran on a fresh breaker, built again by its own requests");
    }

    @Test
    void withoutTheResetAPreflightThatConfirmsNothingStopsTheLoadAndSaysWhy() throws Exception {
        openDsBreakers();

        Run run = load("--no-reset");

        assertEquals(1, run.exit(), run.out() + run.err());
        assertTrue(run.err().contains("preflight failed") && run.err().contains("confirmed none of 20 orders"), run.err());
        assertTrue(run.err().contains("as found, not reset (--no-reset): breakers D gateway->orders OPEN"), run.err());
        assertTrue(run.err().contains("without it, make load resets them first"), run.err());
        assertTrue(!run.out().contains("succeeded......"), "nothing was measured: " + run.out());
    }

    @Test
    void theResetKeepsTheChaosSwitchesThatWereOn() throws Exception {
        stack.admin("payments", "POST", "/admin/chaos", "{\"latency_ms\": 1}");

        Run run = load();

        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("chaos switches kept") && run.out().contains("chaos {payments={\"latency_ms\":1}}"), run.out());
        assertEquals(1, json(stack.admin("payments", "GET", "/admin/chaos", null)).path("active").path("latency_ms").asInt());
    }

    @Test
    void aUrlThatIsNotTheStacksGatewayIsNotResetBehindTheUsersBack() throws Exception {
        Run run = load("--url", "http://127.0.0.1:1/orders");

        assertEquals(2, run.exit());
        assertTrue(run.err().contains("is not this stack's gateway") && run.err().contains("--no-reset (make load RESET=0)"), run.err());
    }
}
