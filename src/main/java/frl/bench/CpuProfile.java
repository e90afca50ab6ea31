package frl.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where a service JVM spends its CPU, as {@code make bench} measures it: a JDK Flight Recording of
 * the JVM during one load window, read back with {@link RecordingFile}, each sample charged to one
 * {@link Category}.
 *
 * <p>Which sampler. JDK 25's {@code jdk.CPUTimeSample} (JEP 509) samples a thread per 2 ms of its
 * CPU time, native and kernel time included, so it sees the socket writes, epoll waits and
 * park/unpark of a pass-through service. JDK 21 has only {@code jdk.ExecutionSample}, which samples
 * threads running Java code every 10 ms of wall time and misses native frames; the summary names
 * the event it used, since the two shares are not the same measurement.
 *
 * <p>How a sample is charged. Its stack is walked from the top frame down and the first frame whose
 * class belongs to a category decides ({@link #categorize}): a socket write inside the JDK
 * HttpServer is the server's, a HashMap lookup inside Jackson is JSON's. The frames every virtual
 * thread's stack starts with ({@code VirtualThread.run}, {@code Continuation.enter}) are skipped,
 * otherwise every sample that no library claims would count as scheduling. A sample no frame claims
 * is "other": mostly the services' own code and JDK collections. GC and JIT compiler threads are
 * not in these samples; /proc's CPU per process, beside them in the summary, includes them.
 *
 * <p>Recordings are started and stopped with {@code jcmd} (the JDK's own tool beside {@code java}),
 * so the services need no flag and a stack started without profiling is measured unchanged.
 * Stateless; {@link #categorize} is a pure function.
 */
final class CpuProfile {

    /** What a sample is charged to, in the order the summary lists them. */
    enum Category {
        HTTP_SERVER("JDK HttpServer", "sun.net.httpserver.", "com.sun.net.httpserver."),
        HTTP_CLIENT("HTTP client (ServiceClient, Apache HttpClient 5)", "frl.http.ServiceClient", "frl.http.Http1Client",
                "org.apache.hc.", "jdk.internal.net.http."),
        VIRTUAL_THREADS("virtual-thread scheduling and I/O pollers", "java.lang.VirtualThread", "jdk.internal.vm.Continuation",
                "java.util.concurrent.ForkJoin", "java.util.concurrent.DelayScheduler", "sun.nio.ch.Poller",
                "java.util.concurrent.locks.LockSupport"),
        JSON("JSON (Jackson)", "com.fasterxml.jackson."),
        DATABASE("HikariCP + pgjdbc", "com.zaxxer.hikari.", "org.postgresql."),
        JEDIS("Jedis (+ commons-pool2)", "redis.clients.", "org.apache.commons.pool2."),
        RESILIENCE("patterns (frl.resilience)", "frl.resilience."),
        PROMETHEUS("Prometheus", "io.prometheus."),
        HTTP_KIT("our HTTP kit (frl.http)", "frl.http."),
        OTHER("other");

        final String label;
        private final String[] prefixes;

        Category(String label, String... prefixes) {
            this.label = label;
            this.prefixes = prefixes;
        }

        boolean owns(String frame) {
            for (String p : prefixes) {
                if (frame.startsWith(p)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A service's samples: how many each category got, the busiest top frames, and samples JFR lost. */
    record Aggregate(String event, Map<Category, Long> byCategory, Map<String, Long> topFrames, long lost) {
        long total() {
            return byCategory.values().stream().mapToLong(Long::longValue).sum();
        }

        double share(Category c) {
            long t = total();
            return t == 0 ? Double.NaN : (double) byCategory.getOrDefault(c, 0L) / t;
        }
    }

    private static final String CPU_TIME = "jdk.CPUTimeSample";
    private static final String EXECUTION = "jdk.ExecutionSample";

    private CpuProfile() {
    }

    /** The sampler this JDK has: the CPU-time sampler from JDK 25 on, the execution sampler before. */
    static String event() {
        return Runtime.version().feature() >= 25 ? CPU_TIME : EXECUTION;
    }

    /**
     * Charges one sample, its frames given top first as {@code "class.method"}, to the category of
     * the first frame one owns; the base frames of a virtual thread are not evidence of scheduling.
     */
    static Category categorize(List<String> frames) {
        for (String f : frames) {
            if (f.equals("java.lang.VirtualThread.run") || f.startsWith("jdk.internal.vm.Continuation.enter")) {
                continue;
            }
            for (Category c : Category.values()) {
                if (c != Category.OTHER && c.owns(f)) {
                    return c;
                }
            }
        }
        return Category.OTHER;
    }

    /** Starts recording {@link #event()} in JVM {@code pid}, to be written to {@code file} at {@link #stop}. */
    static void start(long pid, Path file) throws IOException, InterruptedException {
        String e = event();
        List<String> args = new ArrayList<>(List.of("JFR.start", "name=bench", "settings=none", "+" + e + "#enabled=true"));
        if (e.equals(CPU_TIME)) { // the lost-samples event exists beside the CPU-time sampler only
            args.addAll(List.of("+" + e + "#throttle=2ms", "+jdk.CPUTimeSamplesLost#enabled=true"));
        } else {
            args.add("+" + e + "#period=10ms");
        }
        args.add("filename=" + file.toAbsolutePath());
        jcmd(pid, args.toArray(String[]::new));
    }

    static void stop(long pid) throws IOException, InterruptedException {
        jcmd(pid, "JFR.stop", "name=bench");
    }

    /** Reads a recording back and charges each sample to its category. */
    static Aggregate read(Path recording) throws IOException {
        Map<Category, Long> byCategory = new EnumMap<>(Category.class);
        Map<String, Long> top = new HashMap<>();
        long lost = 0;
        String sampled = null;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                String type = e.getEventType().getName();
                if (type.equals("jdk.CPUTimeSamplesLost")) {
                    lost += e.getLong("lostSamples");
                    continue;
                }
                if (!type.equals(CPU_TIME) && !type.equals(EXECUTION) || e.getStackTrace() == null) {
                    continue;
                }
                sampled = type;
                List<String> frames = new ArrayList<>();
                for (RecordedFrame f : e.getStackTrace().getFrames()) {
                    frames.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
                }
                byCategory.merge(categorize(frames), 1L, Long::sum);
                if (!frames.isEmpty()) {
                    top.merge(frames.get(0), 1L, Long::sum);
                }
            }
        }
        return new Aggregate(sampled == null ? event() : sampled, byCategory, top, lost);
    }

    /** The raw aggregate of one service, as a TSV file beside the summary: categories, then the 25 busiest top frames. */
    static String tsv(Aggregate a) {
        StringBuilder b = new StringBuilder("# event\t" + a.event() + "\n# samples\t" + a.total() + "\n# lost\t" + a.lost() + "\n");
        b.append("category\tsamples\tshare\n");
        for (Category c : Category.values()) {
            b.append(String.format(Locale.ROOT, "%s\t%d\t%.4f%n", c.name(), a.byCategory().getOrDefault(c, 0L), a.share(c)));
        }
        b.append("top_frame\tsamples\tshare\n");
        a.topFrames().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(25)
                .forEach(en -> b.append(String.format(Locale.ROOT, "%s\t%d\t%.4f%n", en.getKey(), en.getValue(),
                        (double) en.getValue() / Math.max(1, a.total()))));
        return b.toString();
    }

    private static void jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || output.contains("Could not") || output.contains("rror")) {
            throw new IOException("jcmd " + String.join(" ", command) + " on pid " + pid + " failed: " + output.strip());
        }
    }
}
