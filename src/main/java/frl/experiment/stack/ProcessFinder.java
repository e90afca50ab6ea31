package frl.experiment.stack;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Finds processes the harness did not start but should watch: the PostgreSQL and Redis servers
 * behind the stack, by the port they listen on, and the children of a process (PostgreSQL runs
 * one backend process per connection under its postmaster).
 *
 * <p>How, on Linux: {@code /proc/net/tcp} and {@code tcp6} list listening sockets (state
 * {@code 0A}) with their port and inode; a process holds the socket when one of its
 * {@code /proc/<pid>/fd/*} links reads {@code socket:[inode]}. Only processes of this user can be
 * read, which covers the embedded servers {@code make run-stack} starts; anything else is "not
 * found", and its CPU is not recorded (never guessed).
 *
 * <p>Cost: one pass over every process's file descriptors, so it runs once per experiment, not
 * per sample. Stateless.
 */
public final class ProcessFinder {
    private static final Path PROC = Path.of("/proc");

    private ProcessFinder() {
    }

    /** The process listening on {@code port} (the oldest ancestor among holders), if readable. */
    public static OptionalLong listening(int port) {
        Set<Long> inodes = new HashSet<>();
        for (String table : List.of("net/tcp", "net/tcp6")) {
            try {
                inodes.addAll(listeningInodes(Files.readAllLines(PROC.resolve(table)), port));
            } catch (IOException | RuntimeException e) {
                // no such table (no IPv6, not Linux): nothing from it
            }
        }
        if (inodes.isEmpty()) {
            return OptionalLong.empty();
        }
        Set<Long> holders = new HashSet<>();
        for (long pid : pids()) {
            if (holdsAny(pid, inodes)) {
                holders.add(pid);
            }
        }
        Map<Long, Long> parents = parents();
        return holders.stream().filter(p -> !holders.contains(parents.getOrDefault(p, 0L))).mapToLong(Long::longValue).min();
    }

    /** Inodes of sockets in LISTEN state on {@code port}, from the lines of a /proc/net/tcp table. */
    static Set<Long> listeningInodes(List<String> lines, int port) {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        Set<Long> out = new HashSet<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 9 && f[1].endsWith(hexPort) && f[3].equals("0A")) {
                out.add(Long.parseLong(f[9]));
            }
        }
        return out;
    }

    /** Every live descendant of {@code root}, given each process's parent. */
    public static List<Long> descendants(long root, Map<Long, Long> parents) {
        Map<Long, List<Long>> children = new HashMap<>();
        parents.forEach((pid, ppid) -> children.computeIfAbsent(ppid, k -> new ArrayList<>()).add(pid));
        List<Long> out = new ArrayList<>();
        List<Long> frontier = new ArrayList<>(List.of(root));
        while (!frontier.isEmpty()) {
            long p = frontier.remove(frontier.size() - 1);
            for (long c : children.getOrDefault(p, List.of())) {
                out.add(c);
                frontier.add(c);
            }
        }
        return out;
    }

    /** pid -> parent pid of every process (from /proc/<pid>/stat). */
    public static Map<Long, Long> parents() {
        Map<Long, Long> out = new HashMap<>();
        for (long pid : pids()) {
            try {
                out.put(pid, parentOf(Files.readString(PROC.resolve(pid + "/stat"))));
            } catch (IOException | RuntimeException e) {
                // gone since the listing
            }
        }
        return out;
    }

    /** Field 4 of a stat line, counted after the ")" that ends the command name (which may hold spaces). */
    static long parentOf(String stat) {
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
    }

    private static List<Long> pids() {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(PROC, "[0-9]*")) {
            dir.forEach(p -> out.add(Long.parseLong(p.getFileName().toString())));
        } catch (IOException | RuntimeException e) {
            // not Linux: nothing found
        }
        return out;
    }

    private static boolean holdsAny(long pid, Set<Long> inodes) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC.resolve(pid + "/fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue;
                }
                if (target.startsWith("socket:[") && inodes.contains(Long.parseLong(target.substring(8, target.length() - 1)))) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            // another user's process, or gone
        }
        return false;
    }
}
