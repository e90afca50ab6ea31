package frl.infra;

import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;

/**
 * A real Redis server for the stack and the tests: either embedded (Redis 6.2 from the
 * {@code com.github.codemonstur:embedded-redis} Maven artifact) or an external server named by a
 * {@code redis://host:port} URL ({@code LAB_REDIS_URL}).
 *
 * <p>Embedded servers listen on {@code 127.0.0.1} only and persist nothing ({@code save ""},
 * {@code appendonly no}): idempotency keys live for a run, and a restart losing them is one of
 * the failures the lab can show.
 *
 * <p>Redis has no "pick a free port" option ({@code port 0} means "no TCP at all"), so for port 0
 * we ask the kernel for a free port, then start; another process can take it in between, so we
 * try a few ports before giving up.
 *
 * <p>Thread-safe: immutable after start; {@link #close()} is idempotent.
 */
public final class RedisServerHandle implements AutoCloseable {
    private static final int FREE_PORT_TRIES = 3;

    private final RedisServer embedded; // null for an external server: we never stop those
    private final String url;
    private final int port;

    private RedisServerHandle(RedisServer embedded, String url, int port) {
        this.embedded = embedded;
        this.url = url;
        this.port = port;
    }

    /**
     * Starts an embedded Redis on {@code port} (0 = a free port).
     *
     * @throws PortInUseException if something already listens on {@code port}
     */
    public static RedisServerHandle start(int port) throws IOException {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (port != 0) {
            Ports.requireFree("Redis", port);
            return new RedisServerHandle(startOn(port), url(port), port);
        }
        IOException last = null;
        for (int i = 0; i < FREE_PORT_TRIES; i++) {
            int candidate = Ports.free();
            try {
                return new RedisServerHandle(startOn(candidate), url(candidate), candidate);
            } catch (PortInUseException e) {
                last = e; // lost the gap between probe and bind: try another port
            }
        }
        throw last;
    }

    /** An external server, {@code redis://host:port}; {@link #close()} leaves it running. */
    public static RedisServerHandle external(String redisUrl) {
        URI uri = URI.create(redisUrl);
        if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("expected redis://host:port, was " + redisUrl);
        }
        return new RedisServerHandle(null, redisUrl, uri.getPort() < 0 ? 6379 : uri.getPort());
    }

    private static RedisServer startOn(int port) throws IOException {
        RedisServer server = RedisServer.newRedisServer()
                .port(port)
                .bind("127.0.0.1")
                .setting("save \"\"")
                .setting("appendonly no")
                .build();
        try {
            server.start();
            return server;
        } catch (IOException | RuntimeException e) {
            if (!Ports.isFree(port)) {
                throw new PortInUseException("Redis", port, e);
            }
            throw new IOException("Redis did not start on port " + port + ": " + e.getMessage(), e);
        }
    }

    private static String url(int port) {
        return "redis://127.0.0.1:" + port;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    public int port() {
        return port;
    }

    /** {@code redis://host:port}, ready for {@code RedisClient.create(url)}. */
    public String url() {
        return url;
    }

    /** Stops an embedded server; leaves an external one alone. */
    @Override
    public void close() {
        if (embedded == null) {
            return;
        }
        try {
            embedded.stop(); // idempotent: stopping a stopped server does nothing
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop Redis on port " + port, e);
        }
    }

    @Override
    public String toString() {
        return (embedded == null ? "external Redis at " : "embedded Redis at ") + url;
    }
}
