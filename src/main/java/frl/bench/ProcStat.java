package frl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time from Linux's {@code /proc}: what the benchmark charges to each process. Counted in clock
 * ticks of 1/100 s (the Linux default; Java cannot ask sysconf), so a 30 s measurement at 60
 * orders/s resolves 0.006 ms per order. Stateless.
 */
final class ProcStat {
    static final int TICKS_PER_SECOND = 100;

    private ProcStat() {
    }

    /**
     * utime + stime of {@code pid} (fields 14 and 15 of {@code /proc/pid/stat}, counted after the
     * ")" that ends the command name), plus cutime + cstime (16, 17: children that exited and were
     * waited for) when {@code withExitedChildren}. 0 when the process is gone.
     */
    static long ticks(long pid, boolean withExitedChildren) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return withExitedChildren ? t + Long.parseLong(f[13]) + Long.parseLong(f[14]) : t;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** {busy, total} ticks of all CPUs from the first line of /proc/stat (busy = total - idle - iowait). */
    static long[] machine() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[]{total - Long.parseLong(f[4]) - Long.parseLong(f[5]), total};
        } catch (IOException | RuntimeException e) {
            return new long[]{0, 0};
        }
    }
}
