package frl.soak;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Threads and open file descriptors of any process of this user, read from Linux's {@code /proc}
 * as the kernel sees them, so they cover PostgreSQL and Redis as well as the JVMs and need nothing
 * from the process itself.
 *
 * <ul>
 *   <li>open file descriptors: the entries of {@code /proc/<pid>/fd} (files, sockets, pipes,
 *       epoll instances: everything {@code ulimit -n} counts);
 *   <li>threads: the {@code Threads:} line of {@code /proc/<pid>/status} (kernel tasks; for a JVM
 *       its platform threads, virtual threads' carriers among them, and its GC and JIT threads).
 * </ul>
 *
 * <p>A process that is gone, or another user's, reads as NaN: a sample is missing rather than
 * wrong. Stateless.
 */
public final class ProcStats {
    private static final Path PROC = Path.of("/proc");

    private ProcStats() {
    }

    /** Open file descriptors of {@code pid}, or NaN. */
    public static double openFds(long pid) {
        int n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC.resolve(pid + "/fd"))) {
            for (Path ignored : fds) {
                n++;
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return n;
    }

    /** Threads of {@code pid}, or NaN. */
    public static double threads(long pid) {
        try {
            return threadsIn(Files.readAllLines(PROC.resolve(pid + "/status")));
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The value of the {@code Threads:} line of a status file, or NaN if it has none. */
    static double threadsIn(List<String> status) {
        for (String line : status) {
            if (line.startsWith("Threads:")) {
                return Long.parseLong(line.substring("Threads:".length()).trim());
            }
        }
        return Double.NaN;
    }
}
