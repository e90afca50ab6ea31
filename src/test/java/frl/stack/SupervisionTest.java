package frl.stack;

import com.fasterxml.jackson.databind.JsonNode;
import frl.services.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's supervision end to end (issue 12): a service of a stack started with
 * {@code make run-stack} is killed with -9; the launcher starts it again, healthy, with its new pid
 * in {@code stack.json} and {@code .run/pids/}, and its restart count in {@code stack.json}; then
 * {@code make stop-stack} stops the restarted process too, and nothing of the stack is left.
 */
class SupervisionTest {
    @TempDir
    Path scratch;
    private MadeStack stack;

    @AfterEach
    void stopWhateverIsLeft() throws Exception {
        if (stack != null) {
            stack.make("stop-stack");
        }
    }

    @Test
    void aServiceKilledWithMinus9ComesBackHealthyAndCounted() throws Exception {
        stack = new MadeStack(scratch);
        MadeStack.Result start = stack.make("run-stack");
        assertEquals(0, start.exit(), start.output());
        Map<Long, String> pids = stack.recordedPids();
        long first = stack.stackJson().path("pids").path("payments").asLong();
        assertEquals(0, stack.stackJson().path("restarts").path("payments").asInt());

        // Given payments killed without a chance to say anything
        ProcessHandle handle = ProcessHandle.of(first).orElseThrow();
        handle.destroyForcibly();
        handle.onExit().get();

        // When the launcher has restarted it (first wait: 1 s, then a JVM's start-up)
        JsonNode json = Poll.until(stack::stackJson, j -> j.path("restarts").path("payments").asInt() == 1, 90_000);

        // Then stack.json and the pid file name the new process, and it answers /health
        long second = json.path("pids").path("payments").asLong();
        assertNotEquals(first, second);
        assertEquals(Long.toString(second), Files.readString(stack.run.resolve("pids/payments.pid")).trim());
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create(json.path("services").path("payments").asText() + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        int status = Poll.until(() -> {
            try {
                return client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (java.io.IOException e) {
                return -1;
            }
        }, s -> s == 200, 90_000);
        assertEquals(200, status);
        // ... the other services were left alone, and the launcher log says what happened
        for (String other : List.of("gateway", "orders", "inventory", "notifications")) {
            assertEquals(0, json.path("restarts").path(other).asInt(), other);
        }
        String log = Poll.until(() -> Files.readString(stack.run.resolve("logs/stack.log")),
                l -> l.contains("payments healthy again"), 90_000);
        assertTrue(log.contains("payments (pid " + first + ") died with exit code 137"), log);
        assertTrue(log.contains("restart #1 in 1 s"), log);

        // When the stack is stopped, the restarted process is stopped with it and not restarted
        MadeStack.Result stop = stack.make("stop-stack");
        assertEquals(0, stop.exit(), stop.output());
        pids.put(second, "payments (restarted)");
        assertEquals(List.of(), stack.survivors(pids));
    }
}
