package frl.experiment.stack;

import frl.resilience.NanoClock;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Process and machine CPU, sampled around each calibration step and each run, to check the claim
 * the capacity model rests on: the bottleneck is the simulated payment processor, not the CPUs.
 * If the machine is busy near 100% at the knee, the measured "capacity" is the machine's and the
 * results say so.
 *
 * <p>Sources, each optional (NaN where unavailable, e.g. not Linux):
 * <ul>
 *   <li>this JVM's CPU time: {@code com.sun.management.OperatingSystemMXBean#getProcessCpuTime};
 *   <li>the whole machine: busy share from {@code /proc/stat} (all CPUs; busy = total - idle - iowait);
 *   <li>{@code /proc/loadavg}, 1-minute average;
 *   <li>each service's CPU time from {@code /proc/<pid>/stat} (utime + stime, in clock ticks of
 *       {@value #CLOCK_TICKS_PER_SECOND} Hz, the Linux default: Java cannot ask sysconf), when
 *       stack.json lists pids.
 * </ul>
 * Thread-safe: stateless apart from immutable configuration.
 */
public final class CpuSampler {
    static final int CLOCK_TICKS_PER_SECOND = 100;

    private final NanoClock clock;
    private final Map<String, Long> pids;

    /** A reading at one moment. */
    public record Sample(long wallNanos, long jvmCpuNanos, long machineBusyTicks, long machineTotalTicks,
                         Map<String, Long> serviceTicks) {
    }

    /**
     * CPU use between two samples.
     *
     * @param driverCores     CPU seconds this JVM (the load driver) used per wall second
     * @param machineBusy     share of all CPUs busy, 0..1
     * @param loadAverage1m   /proc/loadavg at the end
     * @param serviceCores    CPU seconds per wall second per service process
     * @param cpuCount        CPUs visible to this JVM
     */
    public record Usage(double driverCores, double machineBusy, double loadAverage1m, Map<String, Double> serviceCores,
                        int cpuCount) {
    }

    public CpuSampler(NanoClock clock, Map<String, Long> pids) {
        this.clock = clock;
        this.pids = Map.copyOf(pids);
    }

    public Sample sample() {
        long[] machine = procStat();
        Map<String, Long> ticks = new LinkedHashMap<>();
        pids.forEach((service, pid) -> ticks.put(service, pidTicks(pid)));
        return new Sample(clock.nanoTime(), jvmCpuNanos(), machine[0], machine[1], ticks);
    }

    public Usage between(Sample a, Sample b) {
        double wall = (b.wallNanos() - a.wallNanos()) / 1e9;
        double driver = a.jvmCpuNanos() < 0 || b.jvmCpuNanos() < 0 ? Double.NaN : (b.jvmCpuNanos() - a.jvmCpuNanos()) / 1e9 / wall;
        long total = b.machineTotalTicks() - a.machineTotalTicks();
        double busy = a.machineTotalTicks() < 0 || total <= 0 ? Double.NaN : (double) (b.machineBusyTicks() - a.machineBusyTicks()) / total;
        Map<String, Double> services = new LinkedHashMap<>();
        b.serviceTicks().forEach((service, t) -> {
            Long before = a.serviceTicks().get(service);
            services.put(service, before == null || before < 0 || t < 0 ? Double.NaN
                    : (t - before) / (double) CLOCK_TICKS_PER_SECOND / wall);
        });
        return new Usage(driver, busy, loadAverage(), services, Runtime.getRuntime().availableProcessors());
    }

    private static long jvmCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** {busy, total} ticks over all CPUs from the first line of /proc/stat, or {-1, -1}. */
    static long[] procStat() {
        try {
            return parseProcStat(Files.readAllLines(Path.of("/proc/stat")).get(0));
        } catch (IOException | RuntimeException e) {
            return new long[]{-1, -1};
        }
    }

    /** "cpu  user nice system idle iowait irq softirq steal ..." -> {busy, total}. */
    static long[] parseProcStat(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < Math.min(f.length, 9); i++) { // guest times are already in user/nice
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
        return new long[]{total - idle, total};
    }

    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** utime + stime of a process in clock ticks, or -1. Fields 14 and 15, counted after the ")" of the name. */
    static long pidTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
