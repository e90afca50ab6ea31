package frl.stack;

import java.io.IOException;

/**
 * One piece of infrastructure the launcher holds (Redis, or one PostgreSQL server) that can be
 * taken down and brought back on the same address, so "Redis is down" or "the inventory database
 * is down" can be practised on the local lab as the runbook describes, instead of only read about.
 *
 * <pre>
 *   UP   -> DOWN : stop()   the server process ends; clients see refused connections
 *   DOWN -> UP   : start()  a new server on the same port (and, for PostgreSQL, the same data)
 * </pre>
 * Stopping a DOWN component or starting an UP one is allowed and changes nothing (the call returns
 * false), so a script can say "make sure it is down" without first asking. An external server (one
 * named by {@code LAB_PG_URL} or {@code LAB_REDIS_URL}) is never stopped: the lab does not switch
 * off what it did not start, and {@link #stop()}/{@link #start()} throw {@link NotControllable}.
 *
 * <p>Thread-safe: state changes are synchronized on the component, so a stop racing a start (two
 * scripts, or a script and the launcher's shutdown) runs one after the other.
 */
public abstract class Component implements AutoCloseable {
    /** Thrown by {@link #stop()} and {@link #start()} on an external server. */
    public static final class NotControllable extends RuntimeException {
        NotControllable(String message) {
            super(message);
        }
    }

    private final String name;
    private boolean up; // guarded by "this"

    protected Component(String name) {
        this.name = name;
    }

    public final String name() {
        return name;
    }

    /** Where clients reach it, e.g. {@code redis://127.0.0.1:6379}. */
    public abstract String url();

    /** False for an external server. */
    public abstract boolean controllable();

    public final synchronized boolean isUp() {
        return up;
    }

    /** Starts the server unless it is up. Returns true if this call started it. */
    public final synchronized boolean start() throws IOException {
        requireControllable("start");
        if (up) {
            return false;
        }
        startServer();
        up = true;
        return true;
    }

    /** Stops the server unless it is down. Returns true if this call stopped it. */
    public final synchronized boolean stop() {
        requireControllable("stop");
        if (!up) {
            return false;
        }
        up = false; // even if stopping throws: a half-stopped server is not one to report as up
        stopServer();
        return true;
    }

    /** On the launcher's way out: stops an embedded server that is up; leaves an external one alone. */
    @Override
    public final synchronized void close() {
        if (controllable() && up) {
            up = false;
            stopServer();
        }
    }

    protected abstract void startServer() throws IOException;

    protected abstract void stopServer();

    private void requireControllable(String action) {
        if (!controllable()) {
            throw new NotControllable(name + " is an external server (" + url() + "): the lab does not " + action
                    + " servers it did not start");
        }
    }

    /** A server someone else runs: described, never stopped or started. */
    static Component external(String name, String url) {
        return new Component(name) {
            {
                markUp();
            }

            @Override
            public String url() {
                return url;
            }

            @Override
            public boolean controllable() {
                return false;
            }

            @Override
            protected void startServer() {
                throw new AssertionError("unreachable: external");
            }

            @Override
            protected void stopServer() {
                throw new AssertionError("unreachable: external");
            }
        };
    }

    /** For subclasses whose server is already running when they are built. */
    protected final synchronized void markUp() {
        up = true;
    }
}
