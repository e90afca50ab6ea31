package frl.infra;

import java.io.IOException;
import java.net.ServerSocket;

/**
 * The one port check of the lab: the embedded servers and {@code make run-stack} ask it before
 * they bind. Stateless, so thread-safe.
 */
public final class Ports {
    private Ports() {
    }

    /**
     * Throws {@link PortInUseException} if something already listens on {@code port}. Binding the
     * wildcard address conflicts with a listener on any local address, so one probe covers both
     * {@code 127.0.0.1} and {@code 0.0.0.0}. The check and the server's own bind are two steps: a
     * process that grabs the port in between still makes the start fail, and callers check again.
     */
    static void requireFree(String server, int port) throws PortInUseException {
        try (ServerSocket probe = new ServerSocket(port)) {
            probe.getLocalPort(); // bound: the port is free right now
        } catch (IOException e) { // usually BindException: "Address already in use"
            throw new PortInUseException(server, port, e);
        }
    }

    /** A port that was free a moment ago (the kernel picks it); see {@link #requireFree} for the gap. */
    static int free() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    /**
     * Whether nothing listens on {@code port} on any local address, IPv4 or IPv6 (a probe on the
     * wildcard address conflicts with all of them; see {@link #requireFree}). A port in TIME_WAIT
     * counts as free, as it does for the server's own bind.
     */
    public static boolean isFree(int port) {
        try (ServerSocket probe = new ServerSocket(port)) {
            return probe.getLocalPort() == port;
        } catch (IOException e) {
            return false;
        }
    }
}
