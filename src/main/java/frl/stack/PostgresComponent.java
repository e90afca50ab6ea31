package frl.stack;

import frl.infra.PostgresServer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An embedded PostgreSQL the launcher can stop and start again on the same port and the same data
 * directory, so its databases outlive the outage, as a real database's would. While it is down,
 * every pool of the services using it fails its connections and their {@code /health} says
 * {@code "postgres": "down"}; once it is back, the pools reconnect by themselves.
 *
 * <p>Stopping is PostgreSQL's "fast" shutdown (open transactions roll back, connections are cut):
 * the closest a lab gets to a database crash without risking the data directory.
 *
 * <p>Thread-safe: see {@link Component}; {@link #server()} reads a volatile reference.
 */
final class PostgresComponent extends Component {
    private final int port;
    private final Path dataDirectory;
    private volatile PostgresServer server; // null while down

    /** Starts it: the first start runs {@code initdb} in {@code dataDirectory}, later ones reuse it. */
    PostgresComponent(String name, int port, Path dataDirectory) throws IOException {
        super(name);
        this.dataDirectory = dataDirectory.toAbsolutePath();
        this.server = PostgresServer.start(port, this.dataDirectory);
        this.port = server.port();
        markUp();
    }

    /** The server while it is up (to create databases and build JDBC URLs); null while it is down. */
    PostgresServer server() {
        return server;
    }

    Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public String url() {
        return "postgresql://postgres@127.0.0.1:" + port;
    }

    @Override
    public boolean controllable() {
        return true;
    }

    @Override
    protected void startServer() throws IOException {
        server = PostgresServer.start(port, dataDirectory);
    }

    @Override
    protected void stopServer() {
        PostgresServer s = server;
        server = null;
        s.close();
    }

    @Override
    public String toString() {
        return "embedded PostgreSQL on 127.0.0.1:" + port + " (data in " + dataDirectory + ")";
    }
}
