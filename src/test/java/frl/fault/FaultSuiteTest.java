package frl.fault;

import frl.services.Poll;
import frl.stack.MadeStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault suite's mechanics, shortened (issue 12): a stack started with {@code make run-stack}
 * and the payments proxy, config F at 10 orders/s, and four faults of 2 s each in turn (the
 * payments hop resetting every connection, orders killed with -9, Redis stopped, notifications
 * down; PostgreSQL stopped and the other kills are left to the full suite, to keep the class under
 * 3 minutes). For every case the audit after the drain must be clean (no
 * duplicate charge, no confirmed order without its charge, no orphan left unrefunded, nothing
 * PENDING, no notification missing or doubled, no stock drift) and the faulted service must answer
 * again within 30 s. These are correctness properties, not measurements: the full-length suite with
 * its numbers is {@code make fault-suite}.
 */
class FaultSuiteTest {
    @TempDir
    static Path scratch;
    private static MadeStack stack;

    @BeforeAll
    static void startTheStackWithTheProxy() throws Exception {
        stack = new MadeStack(scratch);
        stack.extraEnvironment.put("LAB_PAYMENTS_PROXY", "1");
        MadeStack.Result r = stack.make("run-stack");
        assertEquals(0, r.exit(), r.output());
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.make("stop-stack");
        }
    }

    @Test
    void everyShortFaultLeavesACleanAuditAndTheStackAnswering() throws Exception {
        // Given the short cases, at 10 orders/s with 8 s of load on each side of each 2 s fault, 2 s probes
        // (the resets first and notifications last: the breakers the resets open have closed again by the end)
        List<FaultCase> cases = new java.util.ArrayList<>();
        for (String name : List.of("resets", "kill -9 orders", "redis", "notifications down")) {
            cases.addAll(FaultSuiteMain.select(FaultCase.suite(Duration.ofSeconds(2), Duration.ofSeconds(2)), name));
        }
        assertEquals(4, cases.size(), cases.toString());
        FaultSuite.Settings settings = new FaultSuite.Settings(10, Duration.ofSeconds(16), Duration.ofSeconds(8), Duration.ofSeconds(8),
                Duration.ofSeconds(3), 1, 42, Duration.ofSeconds(2), Duration.ofSeconds(120), Duration.ofSeconds(2));
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        // When the suite plays them against the stack
        FaultSuiteMain.Report report = FaultSuiteMain.suite(stack.run.resolve("stack.json"), scratch.resolve("results"), settings,
                cases, Duration.ofSeconds(3), new PrintStream(log, true, StandardCharsets.UTF_8));
        String printed = log.toString(StandardCharsets.UTF_8);

        // Then every case ran (the proxy was there), every audit column is 0, and the service answered again
        assertTrue(report.skipped().isEmpty(), report.skipped() + "\n" + printed);
        assertEquals(4, report.results().size(), printed);
        for (CaseResult r : report.results()) {
            assertTrue(r.requests() > 0, r.fault().name());
            assertTrue(r.auditClean(), r.fault().name() + ": " + r.csvRow() + " (" + r.drain() + ")\n" + printed);
            assertTrue(r.answeredAfter() >= 0 && r.answeredAfter() <= FaultCase.ANSWER_BOUND.toSeconds(),
                    r.fault().name() + " answered after " + r.answeredAfter() + "\n" + printed);
        }
        // ... orders was really killed and restarted by the launcher
        assertEquals(1, stack.stackJson().path("restarts").path("orders").asInt(), printed);
        // ... the results folder holds the table
        String summary = Files.readString(report.folder().resolve("summary.md"));
        assertTrue(summary.contains("| kill -9 orders |"), summary);
        assertEquals(5, Files.readAllLines(report.folder().resolve("fault-suite.csv")).size());

        // And the stack confirms orders again once its breakers have closed (they stay open 30 s)
        HttpClient http = HttpClient.newHttpClient();
        String gateway = stack.stackJson().path("services").path("gateway").asText();
        int status = Poll.until(() -> http.send(HttpRequest.newBuilder(URI.create(gateway + "/orders"))
                        .header("Content-Type", "application/json").header("X-Client-Config", "F")
                        .header("Idempotency-Key", "after-the-suite-" + System.nanoTime())
                        .POST(HttpRequest.BodyPublishers.ofString("{\"customer_id\": \"customer-1\", \"items\": [{\"product_id\": "
                                + "\"prod-001\", \"quantity\": 1, \"unit_price\": 29.99}]}")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode(), s -> s == 201, 90_000);
        assertEquals(201, status);
        System.out.print(printed); // the cases' progress lines, in the test's report
    }
}
