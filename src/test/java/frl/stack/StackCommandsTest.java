package frl.stack;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code make run-stack} and {@code make stop-stack} as a reader types them (issue 14): a second
 * run-stack changes nothing, stop-stack finds the stack without {@code .run/stack.pid}, and even
 * after its launcher was killed with -9; afterwards no process of the stack is left, checked by
 * pid, by command line and by port ({@link MadeStack#survivors}).
 */
class StackCommandsTest {
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
    void runStackTwiceThenStopStackTwiceLeavesNoProcessOfTheStack() throws Exception {
        stack = new MadeStack(scratch);

        // Given a stack started with make run-stack
        MadeStack.Result first = stack.make("run-stack");
        assertEquals(0, first.exit(), first.output());
        assertTrue(first.output().contains("Failure Recovery Lab is up"), first.output());
        assertFalse(first.output().contains("INFO"), "embedded PostgreSQL's INFO lines go to the log file:\n" + first.output());
        Map<Long, String> pids = stack.recordedPids();
        long launcher = stack.stackJson().path("launcher_pid").asLong();
        String log = Files.readString(stack.run.resolve("logs/stack.log"));

        // When run-stack runs again
        MadeStack.Result second = stack.make("run-stack");

        // Then it says so, succeeds, and touches nothing: same launcher, same log, still ready
        assertEquals(0, second.exit(), second.output());
        assertTrue(second.output().contains("already running here (launcher pid " + launcher + ")"), second.output());
        assertEquals(log, Files.readString(stack.run.resolve("logs/stack.log")));
        assertTrue(Files.exists(stack.run.resolve("ready")));
        assertTrue(ProcessHandle.of(launcher).map(ProcessHandle::isAlive).orElse(false));

        // When stop-stack runs without the pid file run-stack wrote, and then once more
        Files.delete(stack.run.resolve("stack.pid"));
        MadeStack.Result stop = stack.make("stop-stack");
        MadeStack.Result again = stack.make("stop-stack");

        // Then the first stops it all, the second finds nothing to stop, and nothing is left
        assertEquals(0, stop.exit(), stop.output());
        assertTrue(stop.output().contains("stopped the stack (launcher pid " + launcher + ")"), stop.output());
        assertEquals(0, again.exit(), again.output());
        assertTrue(again.output().startsWith("No stack running"), again.output());
        assertEquals(List.of(), stack.survivors(pids));
        assertFalse(Files.exists(stack.run.resolve("pg")), "the databases' data is deleted with the stack");
    }

    @Test
    void stopStackStopsWhatALauncherKilledWithMinus9LeftBehind() throws Exception {
        stack = new MadeStack(scratch);
        MadeStack.Result start = stack.make("run-stack");
        assertEquals(0, start.exit(), start.output());
        Map<Long, String> pids = stack.recordedPids();
        long launcher = stack.stackJson().path("launcher_pid").asLong();

        // Given a launcher killed without a chance to stop anything (services, PostgreSQL, Redis run on)
        ProcessHandle handle = ProcessHandle.of(launcher).orElseThrow();
        handle.destroyForcibly();
        handle.onExit().get();

        // When run-stack is asked again, it refuses rather than fight the leftovers for their ports
        MadeStack.Result refused = stack.make("run-stack");
        assertNotEquals(0, refused.exit(), refused.output());
        assertTrue(refused.output().contains("did not stop cleanly"), refused.output());

        // Then stop-stack finds every leftover by itself and stops it
        MadeStack.Result stop = stack.make("stop-stack");
        assertEquals(0, stop.exit(), stop.output());
        for (String kind : List.of("service gateway", "service orders", "service payments", "service inventory",
                "service notifications", "postgres orders", "postgres inventory", "redis")) {
            assertTrue(stop.output().contains("stopping leftover " + kind), kind + " in:\n" + stop.output());
        }
        assertEquals(List.of(), stack.survivors(pids));
    }
}
