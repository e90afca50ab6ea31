package frl.bench;

import com.fasterxml.jackson.databind.JsonNode;
import frl.http.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes {@code summary.md} of a {@code make bench} results folder: the machine, the goals with
 * the profile and what is left ({@link BenchGoals}, from the run's own numbers), the stack part
 * ({@code stack.md}, written by {@link StackBench}) and the pattern part, a table made from JMH's
 * {@code jmh.json} that puts each of our patterns beside Resilience4j's (ns/op and bytes allocated
 * per call, from JMH's gc profiler). Either part may be missing ({@code make bench-patterns} has
 * no stack part).
 */
public final class BenchSummary {
    /** Benchmark method stem, and what its row is called. */
    private static final Map<String, String> ROWS = new LinkedHashMap<>();

    static {
        ROWS.put("breaker", "circuit breaker, count window 100");
        ROWS.put("sharedBreaker", "circuit breaker, 2 threads sharing it");
        ROWS.put("retry", "retry, first attempt succeeds");
        ROWS.put("bulkhead", "bulkhead");
        ROWS.put("composed", "Retry(CircuitBreaker(Bulkhead(call)))");
    }

    private BenchSummary() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        StringBuilder md = new StringBuilder("# make bench\n\n");
        md.append("Written ").append(Instant.now()).append(" by `make bench` (`frl.bench.StackBench`, `frl.bench.BenchSummary`, "
                + "`src/bench/java/frl/bench/PatternBenchmarks.java`).\n\n");
        md.append(machine()).append('\n');
        Path stackJson = dir.resolve("stack.json");
        Path jmhJson = dir.resolve("jmh.json");
        if (Files.exists(stackJson)) {
            md.append(BenchGoals.write(Json.MAPPER.readTree(stackJson.toFile()),
                    Files.exists(jmhJson) ? Json.MAPPER.readTree(jmhJson.toFile()) : null));
        }
        Path stack = dir.resolve("stack.md");
        if (Files.exists(stack)) {
            md.append("## The stack\n\n").append(Files.readString(stack)).append('\n');
        }
        Path jmh = dir.resolve("jmh.json");
        if (Files.exists(jmh)) {
            md.append("## The patterns beside Resilience4j (JMH, success path)\n\n").append(loadDuring(dir))
                    .append(patterns(Json.MAPPER.readTree(jmh.toFile())));
        }
        Files.writeString(dir.resolve("summary.md"), md.toString());
        System.out.print(md);
    }

    static String patterns(JsonNode results) {
        Map<String, double[]> score = new LinkedHashMap<>(); // name -> {median ns/op, mean, error, B/op}
        String jvm = "";
        for (JsonNode r : results) {
            String name = r.path("benchmark").asText();
            name = name.substring(name.lastIndexOf('.') + 1);
            JsonNode alloc = r.path("secondaryMetrics").path("gc.alloc.rate.norm");
            score.put(name, new double[]{median(r.path("primaryMetric").path("rawData")),
                    r.path("primaryMetric").path("score").asDouble(), r.path("primaryMetric").path("scoreError").asDouble(),
                    alloc.isMissingNode() ? Double.NaN : alloc.path("score").asDouble()});
            jvm = r.path("vmName").asText() + " " + r.path("jdkVersion").asText();
        }
        StringBuilder b = new StringBuilder();
        b.append("One JMH run, one JVM (").append(jvm).append("), 1 fork, 3 x 1 s warm-up, 6 x 1 s measured. ns/op is the "
                + "median of the six one-second iterations: other jobs on this shared machine take the CPU away for whole "
                + "iterations, which JMH's mean (in brackets, with its 99.9% interval) absorbs and the median does not. "
                + "1 thread unless the row says 2 (then ns/op is per thread). B/op from JMH's gc profiler.\n\n");
        b.append("| success path | ours ns/op | Resilience4j ns/op | ours / R4J | ours B/op | R4J B/op |\n|---|---|---|---|---|---|\n");
        ROWS.forEach((stem, label) -> {
            double[] ours = score.get(stem + "Ours");
            double[] r4j = score.get(stem + "R4j");
            if (ours == null || r4j == null) {
                return;
            }
            b.append(String.format(Locale.ROOT, "| %s | %.1f (%.1f ± %.1f) | %.1f (%.1f ± %.1f) | %.2fx | %.0f | %.0f |%n", label,
                    ours[0], ours[1], ours[2], r4j[0], r4j[1], r4j[2], ours[0] / r4j[0], ours[3], r4j[3]));
        });
        return b.append('\n').toString();
    }

    /** The load average (1, 5, 15 min) when JMH started and ended, as {@code make bench-patterns} saved it. */
    static String loadDuring(Path dir) throws java.io.IOException {
        Path before = dir.resolve("loadavg-before.txt");
        Path after = dir.resolve("loadavg-after.txt");
        if (!Files.exists(before) || !Files.exists(after)) {
            return "";
        }
        return "`/proc/loadavg` before JMH: `" + Files.readString(before).strip() + "`; after: `"
                + Files.readString(after).strip() + "` (2 CPUs: a load above 2 means other jobs were waiting for a CPU "
                + "beside the benchmark).\n\n";
    }

    /** Median of JMH's raw iteration scores (rawData: one array per fork). */
    static double median(JsonNode rawData) {
        java.util.List<Double> all = new java.util.ArrayList<>();
        rawData.forEach(fork -> fork.forEach(v -> all.add(v.asDouble())));
        if (all.isEmpty()) {
            return Double.NaN;
        }
        java.util.Collections.sort(all);
        int n = all.size();
        return n % 2 == 1 ? all.get(n / 2) : (all.get(n / 2 - 1) + all.get(n / 2)) / 2;
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (Exception e) {
            // not Linux: say so
        }
        String load = "";
        try {
            load = ", load average " + List.of(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3);
        } catch (Exception e) {
            // not Linux
        }
        return "Machine: " + Runtime.getRuntime().availableProcessors() + " CPUs (" + cpu + "), "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + load
                + " when the summary was written. The machine is shared: other builds and tests run beside the benchmark, "
                + "so CPU per order is the metric (not latency), and each measurement is repeated.\n";
    }
}
