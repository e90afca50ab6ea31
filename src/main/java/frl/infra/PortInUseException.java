package frl.infra;

import java.io.IOException;

/**
 * A server could not start because something already listens on its port. The message names the
 * port and the server, so {@code make run-stack} can say which old process to stop.
 */
public final class PortInUseException extends IOException {
    private final int port;

    public PortInUseException(String server, int port, Throwable cause) {
        super(server + " cannot start: port " + port + " is already in use (stop whatever listens there,"
                + " e.g. `make stop-stack`, or pick another port)", cause);
        this.port = port;
    }

    public int port() {
        return port;
    }
}
