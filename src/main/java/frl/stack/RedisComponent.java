package frl.stack;

import frl.infra.RedisServerHandle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An embedded Redis the launcher can stop and start again on the same port. It persists nothing
 * (see {@link RedisServerHandle}), so a restart loses every idempotency key: after an outage, a
 * retry of an order placed before it is treated as a new order. That is the real failure the
 * runbook's Redis procedure warns about, not a limitation of the lab.
 *
 * <p>The server is a child process of the launcher; its pid goes to {@code pidFile} after each
 * start, so {@code make stop-stack} can find it even if the launcher was killed without a chance
 * to stop it.
 *
 * <p>Thread-safe: see {@link Component}.
 */
final class RedisComponent extends Component {
    private final int port;
    private final Path pidFile;
    private volatile RedisServerHandle server; // null while down

    RedisComponent(String name, int port, Path pidFile) throws IOException {
        super(name);
        this.pidFile = pidFile;
        this.server = RedisServerHandle.start(port);
        this.port = server.port();
        recordPid();
        markUp();
    }

    @Override
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public boolean controllable() {
        return true;
    }

    @Override
    protected void startServer() throws IOException {
        server = RedisServerHandle.start(port);
        recordPid();
    }

    @Override
    protected void stopServer() {
        RedisServerHandle s = server;
        server = null;
        s.close();
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            // a stale pid file is checked against the process's command line before anyone acts on it
        }
    }

    /**
     * Finds the redis-server child on our port and writes "pid address" to {@code pidFile}. Redis
     * rewrites its command line to "<binary> 127.0.0.1:<port>" (read from /proc: the JDK's
     * {@code ProcessHandle.Info} leaves such arguments out), which is also what stop-stack checks.
     */
    private void recordPid() throws IOException {
        String address = "127.0.0.1:" + port;
        var child = ProcessHandle.current().children()
                .filter(p -> p.info().command().map(c -> c.contains("redis-server")).orElse(false))
                .filter(p -> commandLine(p.pid()).contains(" " + address))
                .findFirst();
        if (child.isPresent()) {
            Files.writeString(pidFile, child.get().pid() + " " + address + "\n");
        }
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"))).replace('\0', ' ');
        } catch (IOException e) {
            return ""; // no /proc (not Linux) or the process is gone: nothing to record
        }
    }

    @Override
    public String toString() {
        return "embedded Redis at " + url();
    }
}
