package frl.stack;

import frl.services.Poll;
import frl.testing.FakeClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Supervisor} with fake processes on a fake clock: which exits restart, after which waits,
 * and that close() means no restart. Each wait for the supervisor's thread is bounded and ends as
 * soon as the thing it waits for happens.
 */
class SupervisorTest {
    private static final long BOUND_S = 10;
    private final FakeClock clock = new FakeClock();
    private final BlockingQueue<FakeProcess> restarted = new LinkedBlockingQueue<>();
    private final AtomicInteger starts = new AtomicInteger();
    private final AtomicLong pids = new AtomicLong(100);
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private volatile Duration startUp = Duration.ZERO; // how long each restarted process takes to answer /health
    private volatile boolean healthy = true;            // whether it ever does
    private Supervisor supervisor;

    @AfterEach
    void close() {
        if (supervisor != null) {
            supervisor.close();
        }
    }

    private Supervisor supervise(FakeProcess first, frl.resilience.Sleeper sleeper) {
        supervisor = new Supervisor(new Supervisor.Service() {
            @Override
            public String name() {
                return "payments";
            }

            @Override
            public Process start() {
                starts.incrementAndGet();
                return new FakeProcess(pids.incrementAndGet());
            }

            @Override
            public void awaitHealthy(Process p) {
                clock.advance(startUp);
                if (!healthy) {
                    throw new IllegalStateException("not healthy after " + startUp.toSeconds() + " s");
                }
            }

            @Override
            public void restarted(Process p, int restarts) {
                restarted.add((FakeProcess) p);
            }
        }, first, RestartBackoff.DEFAULT, clock::nanoTime, sleeper, new PrintStream(log, true));
        return supervisor;
    }

    /**
     * The next restarted process, once the supervisor has seen it healthy: the process is made
     * before the health check and its log line, so waiting for the line (bounded) is what keeps
     * the assertions that follow from racing the supervisor's thread.
     */
    private FakeProcess nextRestart() throws Exception {
        FakeProcess p = restarted.poll(BOUND_S, TimeUnit.SECONDS);
        assertNotNull(p, "no restart within " + BOUND_S + " s; log:\n" + log);
        String healthy = "healthy again (pid " + p.pid() + ",";
        Poll.until(log::toString, text -> text.contains(healthy), BOUND_S * 1000);
        return p;
    }

    @Test
    void aCrashLoopWaitsOneTwoFourSecondsAndAStableRunStartsOver() throws Exception {
        // Given a supervised process
        FakeProcess first = new FakeProcess(1);
        supervise(first, clock).start();

        // When it and its restarts die at once, three times
        first.exit(137);
        FakeProcess second = nextRestart();
        second.exit(137);
        FakeProcess third = nextRestart();
        third.exit(1);
        FakeProcess fourth = nextRestart();

        // Then the waits doubled
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)), clock.sleeps());
        assertEquals(3, supervisor.restarts());

        // When the fourth runs for 60 s before it dies, the wait is 1 s again
        clock.advance(Duration.ofSeconds(60));
        fourth.exit(137);
        FakeProcess fifth = nextRestart();
        assertEquals(Duration.ofSeconds(1), clock.sleeps().get(3));
        assertEquals(4, supervisor.restarts());
        assertSame(fifth, supervisor.current());
        assertTrue(log.toString().contains("payments (pid 1) died with exit code 137 after 0.0 s healthy; restart #1 in 1 s"), log.toString());
        assertTrue(log.toString().contains("payments healthy again (pid " + fifth.pid() + ", restart #4), 0.0 s after its start"), log.toString());
    }

    @Test
    void theStableTimeCountsFromHealthNotFromTheStart() throws Exception {
        // Given restarted processes that take 50 s to answer /health (a JVM starting on a busy machine)
        startUp = Duration.ofSeconds(50);
        FakeProcess first = new FakeProcess(1);
        supervise(first, clock).start();
        first.exit(137);
        FakeProcess second = nextRestart();

        // When the second dies 20 s after answering (70 s after its start)
        clock.advance(Duration.ofSeconds(20));
        second.exit(137);
        nextRestart();

        // Then the streak goes on: 20 s healthy is not 60 s stable, whatever the start-up took
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), clock.sleeps());
        assertTrue(log.toString().contains("healthy again (pid " + second.pid() + ", restart #1), 50.0 s after its start"), log.toString());
        assertTrue(log.toString().contains("died with exit code 137 after 20.0 s healthy; restart #2 in 2 s (crash 2 in a row)"),
                log.toString());
    }

    @Test
    void aRestartThatNeverAnsweredHealthIsPartOfTheStreakHoweverLongItRan() throws Exception {
        // Given restarted processes that never answer /health
        healthy = false;
        FakeProcess first = new FakeProcess(1);
        supervise(first, clock).start();
        first.exit(137);
        FakeProcess second = restarted.poll(BOUND_S, TimeUnit.SECONDS);
        assertNotNull(second, "no restart within " + BOUND_S + " s; log:\n" + log);
        Poll.until(log::toString, text -> text.contains("not healthy after restart #1"), BOUND_S * 1000);

        // When the second dies after ten minutes of running unhealthy
        clock.advance(Duration.ofMinutes(10));
        second.exit(1);
        assertNotNull(restarted.poll(BOUND_S, TimeUnit.SECONDS), "no second restart; log:\n" + log);

        // Then its wait doubled: a process that never became healthy is still a crash loop
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), clock.sleeps());
        assertTrue(log.toString().contains("died with exit code 1 before it answered /health; restart #2 in 2 s"), log.toString());
    }

    @Test
    void exitCodeZeroIsNotRestarted() throws Exception {
        FakeProcess first = new FakeProcess(1);
        Thread loop = supervise(first, clock).start();

        first.exit(0);

        assertTrue(loop.join(Duration.ofSeconds(BOUND_S)), "the loop ends");
        assertEquals(0, starts.get());
        assertTrue(log.toString().contains("exited with code 0; not restarted"), log.toString());
    }

    @Test
    void closedWhileWaitingToRestartStartsNothing() throws Exception {
        // Given a process that died, its supervisor waiting out the backoff
        CountDownLatch waiting = new CountDownLatch(1);
        FakeProcess first = new FakeProcess(1);
        Thread loop = supervise(first, d -> {
            waiting.countDown();
            new CountDownLatch(1).await(); // until interrupted
        }).start();
        first.exit(137);
        assertTrue(waiting.await(BOUND_S, TimeUnit.SECONDS));

        // When the launcher stops
        supervisor.close();

        // Then nothing is started and the last process is the one it had
        assertTrue(loop.join(Duration.ofSeconds(BOUND_S)), "the loop ends");
        assertEquals(0, starts.get());
        assertSame(first, supervisor.current());
    }

    @Test
    void aProcessStoppedAfterCloseIsNotRestarted() throws Exception {
        // Given a supervised process, when the launcher closes the supervisor and then stops it (stop-stack's order)
        FakeProcess first = new FakeProcess(1);
        Thread loop = supervise(first, clock).start();
        supervisor.close();
        first.destroy();

        // Then it stays stopped
        assertTrue(loop.join(Duration.ofSeconds(BOUND_S)), "the loop ends");
        assertEquals(0, starts.get());
        assertFalse(first.isAlive());
    }

    /** A process that exits when the test says so. */
    private static final class FakeProcess extends Process {
        private final long pid;
        private final CompletableFuture<Integer> exit = new CompletableFuture<>();

        FakeProcess(long pid) {
            this.pid = pid;
        }

        void exit(int code) {
            exit.complete(code);
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public int waitFor() throws InterruptedException {
            try {
                return exit.get();
            } catch (ExecutionException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public int exitValue() {
            if (!exit.isDone()) {
                throw new IllegalThreadStateException("running");
            }
            return exit.join();
        }

        @Override
        public boolean isAlive() {
            return !exit.isDone();
        }

        @Override
        public void destroy() {
            exit.complete(143);
        }

        @Override
        public OutputStream getOutputStream() {
            return OutputStream.nullOutputStream();
        }

        @Override
        public InputStream getInputStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public InputStream getErrorStream() {
            return InputStream.nullInputStream();
        }
    }
}
