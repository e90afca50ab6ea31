package frl.stack;

import frl.resilience.Sleeper;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Keeps one service of the stack running: when its process dies without being asked to (a crash,
 * {@code kill -9}, an OutOfMemoryError), starts a new one after {@link RestartBackoff}'s wait, as
 * compose's {@code restart: on-failure} and Kubernetes do. A process that exits with code 0 chose
 * to stop and is left stopped (on-failure's rule).
 *
 * <pre>
 *   RUNNING  -> WAITING  : the process exited non-zero; wait backoff.delay(streak), the streak
 *                          reset if it had been healthy for backoff.stableAfter()
 *   WAITING  -> RUNNING  : start a new process (its pid file rewritten), then await its /health
 *   RUNNING  -> STOPPED  : exit code 0
 *   any      -> STOPPED  : close() (the launcher is stopping: a service stopped on purpose is
 *                          never restarted)
 * </pre>
 *
 * <p>Thread-safe. One virtual thread per service runs the loop. {@code current} and
 * {@code restarts} are written under "this" and read without it (volatile). A start and
 * {@link #close()} both hold "this", so once close() returns no new process will appear and
 * {@link #current()} is the last one started: the launcher stops that one.
 */
final class Supervisor implements AutoCloseable {
    /** What the supervisor asks of the launcher. */
    interface Service {
        String name();

        /** Starts a new process of the service and records its pid where {@code make stop-stack} looks. */
        Process start() throws IOException;

        /** Returns once the new process answers /health; throws if it died or never became healthy. */
        void awaitHealthy(Process p) throws Exception;

        /** Called after every restart, under no lock of the supervisor's: record pid and count. */
        void restarted(Process p, int restarts);
    }

    private final Service service;
    private final RestartBackoff backoff;
    private final LongSupplier nanoClock;
    private final Sleeper sleeper;
    private final PrintStream log;
    private volatile Process current; // written under "this"
    private volatile int restarts;    // written under "this"
    private boolean closed;           // guarded by "this"
    private Thread loop;              // guarded by "this"

    Supervisor(Service service, Process first, RestartBackoff backoff, LongSupplier nanoClock, Sleeper sleeper,
               PrintStream log) {
        this.service = service;
        this.current = first;
        this.backoff = backoff;
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
        this.log = log;
    }

    /** Starts the loop; returns its thread (it ends after close(), or when the process exits 0). */
    synchronized Thread start() {
        loop = Thread.ofVirtual().name("supervise-" + service.name()).start(this::superviseUntilClosed);
        return loop;
    }

    Process current() {
        return current;
    }

    int restarts() {
        return restarts;
    }

    /** Stops supervising; the process itself is left to the caller to stop. */
    @Override
    public synchronized void close() {
        closed = true;
        if (loop != null) {
            loop.interrupt();
        }
    }

    private synchronized boolean closed() {
        return closed;
    }

    private void superviseUntilClosed() {
        int streak = 0;
        long healthyAt = nanoClock.getAsLong(); // the launcher saw the first process healthy before starting this loop
        try {
            while (true) {
                Process p = current;
                int code = p.waitFor();
                if (closed()) {
                    return;
                }
                long exitedAt = nanoClock.getAsLong();
                if (code == 0) {
                    log.printf("%s (pid %d) exited with code 0; not restarted (on-failure)%n", service.name(), p.pid());
                    return;
                }
                streak = backoff.nextStreak(streak, healthyAt, exitedAt);
                Duration wait = backoff.delay(streak);
                log.printf("%s (pid %d) died with exit code %d %s; restart #%d in %s (crash %d in a row)%n",
                        service.name(), p.pid(), code, healthyAt == RestartBackoff.NEVER_HEALTHY ? "before it answered /health"
                                : String.format(Locale.ROOT, "after %.1f s healthy", (exitedAt - healthyAt) / 1e9),
                        restarts + 1, seconds(wait), streak);
                sleeper.sleep(wait); // interrupted by close(): the launcher is stopping
                Process next;
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    next = service.start();
                    current = next;
                    restarts++;
                }
                long startedAt = nanoClock.getAsLong();
                healthyAt = RestartBackoff.NEVER_HEALTHY;
                service.restarted(next, restarts);
                try {
                    service.awaitHealthy(next);
                    healthyAt = nanoClock.getAsLong();
                    // The start-up time is the part of an outage the backoff does not explain: read it before blaming the wait.
                    log.printf(Locale.ROOT, "%s healthy again (pid %d, restart #%d), %.1f s after its start%n",
                            service.name(), next.pid(), restarts, (healthyAt - startedAt) / 1e9);
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    log.printf("%s (pid %d) not healthy after restart #%d: %s%n", service.name(), next.pid(), restarts,
                            e.getMessage());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // close(): end the loop, the flag restored for whoever looks
        } catch (IOException e) {
            log.printf("%s could not be restarted: %s; no longer supervised%n", service.name(), e.getMessage());
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1e3 + " s";
    }
}
