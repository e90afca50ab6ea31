package frl.experiment.stack;

import frl.resilience.NanoClock;
import frl.resilience.Sleeper;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Process and machine CPU, recorded around each calibration step and every second of every run,
 * to check the claim the capacity model rests on: the bottleneck is the simulated payment
 * processor, not the CPUs. A second in which the machine is nearly saturated is about the CPUs,
 * and the reports say so.
 *
 * <p>Sources, each optional (NaN where unavailable, e.g. not Linux):
 * <ul>
 *   <li>this JVM (the load driver): {@code OperatingSystemMXBean#getProcessCpuTime};
 *   <li>the whole machine: busy share from {@code /proc/stat} (all CPUs; busy = total - idle - iowait);
 *   <li>{@code /proc/loadavg}, 1-minute average;
 *   <li>each watched {@link Group}: utime + stime + cutime + cstime from {@code /proc/<pid>/stat}
 *       of its root processes and, for a group with children (PostgreSQL's backends), of every
 *       live descendant: a reaped child's time moves into its parent's cutime, so the sum never
 *       loses a finished backend. Clock ticks of {@value #CLOCK_TICKS_PER_SECOND} Hz, the Linux
 *       default (Java cannot ask sysconf).
 * </ul>
 * Thread-safe: stateless apart from immutable configuration; a {@link Recording} is its own thread.
 */
public final class CpuSampler {
    static final int CLOCK_TICKS_PER_SECOND = 100;
    /** The groups every timeline has a column for, in this order (missing ones are empty). */
    public static final List<String> GROUPS = List.of("gateway", "orders", "payments", "inventory", "notifications",
            "postgres", "redis");

    private final NanoClock clock;
    private final List<Group> groups;

    /** Processes watched as one: {@code roots} and, when {@code withChildren}, all their descendants. */
    public record Group(String name, List<Long> roots, boolean withChildren) {
        public Group {
            roots = List.copyOf(roots);
        }
    }

    /** A reading at one moment. {@code groupTicks} is -1 for a group none of whose roots could be read. */
    public record Sample(long wallNanos, long jvmCpuNanos, long machineBusyTicks, long machineTotalTicks,
                         Map<String, Long> groupTicks) {
    }

    /**
     * CPU use between two samples.
     *
     * @param driverCores     CPU seconds this JVM (the load driver) used per wall second
     * @param machineBusy     share of all CPUs busy, 0..1
     * @param loadAverage1m   /proc/loadavg at the end
     * @param serviceCores    CPU seconds per wall second per watched group (services, postgres, redis)
     * @param cpuCount        CPUs visible to this JVM
     */
    public record Usage(double driverCores, double machineBusy, double loadAverage1m, Map<String, Double> serviceCores,
                        int cpuCount) {
        public static final Usage UNKNOWN = new Usage(Double.NaN, Double.NaN, Double.NaN, Map.of(), 0);

        public double cores(String group) {
            return serviceCores.getOrDefault(group, Double.NaN);
        }
    }

    /** Watches the given services by pid (no children). */
    public CpuSampler(NanoClock clock, Map<String, Long> pids) {
        this(clock, pids.entrySet().stream().map(e -> new Group(e.getKey(), List.of(e.getValue()), false)).toList());
    }

    public CpuSampler(NanoClock clock, List<Group> groups) {
        this.clock = clock;
        this.groups = List.copyOf(groups);
    }

    /**
     * The five services (pids from stack.json or {@code .run/pids}), and the PostgreSQL and Redis
     * servers found listening on the ports their URLs name, when they run on this machine.
     */
    public static CpuSampler forStack(NanoClock clock, StackInfo stack) {
        List<Group> groups = new ArrayList<>();
        stack.pids().forEach((s, pid) -> groups.add(new Group(s, List.of(pid), false)));
        List<Long> postgres = new ArrayList<>();
        if (stack.databases() != null) {
            for (String url : List.of(stack.databases().orders(), stack.databases().inventory())) {
                localPort(url == null ? null : url.replaceFirst("^jdbc:", ""))
                        .ifPresent(port -> ProcessFinder.listening(port).ifPresent(pid -> {
                            if (!postgres.contains(pid)) {
                                postgres.add(pid);
                            }
                        }));
            }
        }
        if (!postgres.isEmpty()) {
            groups.add(new Group("postgres", postgres, true));
        }
        localPort(stack.redis()).ifPresent(port -> ProcessFinder.listening(port)
                .ifPresent(pid -> groups.add(new Group("redis", List.of(pid), true))));
        return new CpuSampler(clock, groups);
    }

    /** The port of a URL on this machine (127.0.0.1, localhost, ::1), else empty. */
    static java.util.OptionalInt localPort(String url) {
        try {
            URI u = URI.create(url);
            String host = u.getHost();
            boolean local = host != null && (host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]"));
            return local && u.getPort() > 0 ? java.util.OptionalInt.of(u.getPort()) : java.util.OptionalInt.empty();
        } catch (RuntimeException e) {
            return java.util.OptionalInt.empty();
        }
    }

    /** Names of the watched groups (for run.json: what was found). */
    public Map<String, List<Long>> watched() {
        Map<String, List<Long>> m = new LinkedHashMap<>();
        groups.forEach(g -> m.put(g.name(), g.roots()));
        return m;
    }

    public Sample sample() {
        long[] machine = procStat();
        Map<Long, Long> parents = groups.stream().anyMatch(Group::withChildren) ? ProcessFinder.parents() : Map.of();
        Map<String, Long> ticks = new LinkedHashMap<>();
        for (Group g : groups) {
            long sum = 0;
            boolean any = false;
            for (long root : g.roots()) {
                long t = pidTicks(root);
                if (t < 0) {
                    continue;
                }
                any = true;
                sum += t;
                if (g.withChildren()) {
                    for (long child : ProcessFinder.descendants(root, parents)) {
                        sum += Math.max(0, pidTicks(child));
                    }
                }
            }
            ticks.put(g.name(), any ? sum : -1);
        }
        return new Sample(clock.nanoTime(), jvmCpuNanos(), machine[0], machine[1], ticks);
    }

    public Usage between(Sample a, Sample b) {
        return between(a, b, loadAverage());
    }

    static Usage between(Sample a, Sample b, double loadAverage) {
        double wall = (b.wallNanos() - a.wallNanos()) / 1e9;
        double driver = a.jvmCpuNanos() < 0 || b.jvmCpuNanos() < 0 ? Double.NaN : (b.jvmCpuNanos() - a.jvmCpuNanos()) / 1e9 / wall;
        long total = b.machineTotalTicks() - a.machineTotalTicks();
        double busy = a.machineTotalTicks() < 0 || total <= 0 ? Double.NaN : (double) (b.machineBusyTicks() - a.machineBusyTicks()) / total;
        Map<String, Double> groups = new LinkedHashMap<>();
        b.groupTicks().forEach((name, t) -> {
            Long before = a.groupTicks().get(name);
            // a group's sum can shrink when a live child exits before its parent reaps it: no reading then
            groups.put(name, before == null || before < 0 || t < 0 || t < before ? Double.NaN
                    : (t - before) / (double) CLOCK_TICKS_PER_SECOND / wall);
        });
        return new Usage(driver, busy, loadAverage, groups, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Starts sampling at {@code startNanos} and every second after it, on its own thread, until
     * {@link Recording#stop()}: second {@code k} of the recording is the usage between the samples
     * at {@code start + k} and {@code start + k + 1} s, aligned with the run's one-second bins.
     */
    public Recording record(long startNanos, Sleeper sleeper) {
        return new Recording(startNanos, sleeper);
    }

    /** A per-second recording in progress. Thread-safe: the list is synchronized. */
    public final class Recording {
        private final List<Usage> seconds = Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;

        private Recording(long start, Sleeper sleeper) {
            thread = Thread.ofPlatform().daemon().name("cpu-recorder").start(() -> {
                try {
                    sleepUntil(start, sleeper);
                    Sample previous = sample();
                    for (long k = 1; ; k++) {
                        sleepUntil(start + k * 1_000_000_000L, sleeper);
                        Sample now = sample();
                        seconds.add(between(previous, now));
                        previous = now;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // stop(): the recording ends here
                }
            });
        }

        private void sleepUntil(long due, Sleeper sleeper) throws InterruptedException {
            long left = due - clock.nanoTime();
            if (left > 0) {
                sleeper.sleep(Duration.ofNanos(left));
            }
        }

        /** Stops the recording and returns one usage per whole second recorded. */
        public List<Usage> stop() throws InterruptedException {
            thread.interrupt();
            thread.join();
            synchronized (seconds) {
                return List.copyOf(seconds);
            }
        }
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

    /** utime + stime + cutime + cstime of a process in clock ticks, or -1 (gone, or not readable). */
    static long pidTicks(long pid) {
        try {
            return parseTicks(Files.readString(Path.of("/proc/" + pid + "/stat")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Fields 14..17 of a stat line, counted after the ")" that ends the command name. */
    static long parseTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }
}
