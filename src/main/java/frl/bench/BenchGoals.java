package frl.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The goals of issue 8 against one {@code make bench} run, written from its numbers alone
 * ({@code stack.json} from {@link StackBench}, {@code jmh.json} from JMH): the goals table, the
 * profile table (share of each JVM's samples per library, {@link CpuProfile}), and for every goal
 * missed a paragraph built from this run's measurements. Nothing in it is typed by hand after a
 * run: rerun the bench and every figure changes with it. Stateless.
 */
final class BenchGoals {
    static final double CPU_PER_ORDER_MS = 4.0;
    static final double GATEWAY_MS = 0.5;
    static final int CEILING_A = 400;
    static final double F_OF_A = 0.9;
    static final double DRIVER_LATE = 0.01;

    private BenchGoals() {
    }

    /** The markdown: goals, profile, what is left. {@code jmh} may be null (no pattern part). */
    static String write(JsonNode stack, JsonNode jmh) {
        StringBuilder md = new StringBuilder("## Goals (issue 8), this run\n\n| goal | measured | |\n|---|---|---|\n");
        List<String> left = new ArrayList<>();
        List<JsonNode> f = rows(stack, "F");

        double[] cpu = range(f, r -> r.path("stack").asDouble());
        boolean cpuMet = !f.isEmpty() && cpu[1] <= CPU_PER_ORDER_MS;
        md.append(row("stack CPU per order <= 4 ms (F, warm, " + rate(stack) + "/s)", ms(cpu) + " ms in " + f.size() + (f.size() == 1 ? " window" : " windows"), f.isEmpty() ? null : cpuMet));
        if (!f.isEmpty() && !cpuMet) {
            left.add(cpuLeft(stack, f, cpu));
        }

        double[] gw = range(f, r -> r.path("gateway").asDouble());
        boolean gwMet = !f.isEmpty() && gw[1] <= GATEWAY_MS;
        md.append(row("gateway <= 0.5 ms per request (F)", ms(gw) + " ms", f.isEmpty() ? null : gwMet));
        if (!f.isEmpty() && !gwMet) {
            left.add(String.format(Locale.ROOT, "**Gateway.** %s ms per request against %.1f; of its sampled CPU: %s.",
                    ms(gw), GATEWAY_MS, largest(stack, "gateway", 3)));
        }

        JsonNode ceiling = stack.path("ceiling");
        if (!ceiling.isMissingNode()) {
            int a = ceiling.path("A").path("ceiling").asInt();
            int fc = ceiling.path("F").path("ceiling").asInt();
            md.append(row("ceiling >= 400 orders/s for A (processor non-limiting)", a + " orders/s", a >= CEILING_A));
            double ratio = a == 0 ? 0 : (double) fc / a;
            md.append(row("F's ceiling within 10% of A's", String.format(Locale.ROOT, "F %d vs A %d: %.2f", fc, a, ratio), ratio >= F_OF_A));
            if (a < CEILING_A || ratio < F_OF_A) {
                left.add(ceilingLeft(ceiling, a, fc));
            }
        }

        JsonNode d = stack.path("driver");
        if (!d.isMissingNode()) {
            double late = d.path("not_sent_on_time").asDouble() / Math.max(1, d.path("scheduled").asDouble());
            md.append(row("driver holds its schedule within 1% at 500/s", String.format(Locale.ROOT,
                    "%d of %d not sent on time (%.2f%%), p99 lateness %.1f ms, %.3f ms CPU per request", d.path("not_sent_on_time").asLong(),
                    d.path("scheduled").asLong(), late * 100, d.path("late_p99_ms").asDouble(), d.path("cpu_ms_per_request").asDouble()),
                    late <= DRIVER_LATE));
            if (late > DRIVER_LATE) {
                left.add(String.format(Locale.ROOT, "**Driver.** %.2f%% of its sends left later than the 100 ms slack (p99 %.1f ms); "
                        + "the machine's other jobs share its 2 cores.", late * 100, d.path("late_p99_ms").asDouble()));
            }
        }

        if (jmh != null) {
            Map<String, Double> ratio = patternRatios(jmh);
            if (!ratio.isEmpty()) {
                double worst = ratio.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
                double breaker = ratio.getOrDefault("breaker", Double.NaN);
                boolean met = worst <= 1.0 && breaker <= 0.7;
                md.append(row("patterns <= 1.0x Resilience4j, breaker <= 0.7x", String.format(Locale.ROOT, "%.2fx-%.2fx (breaker %.2fx)",
                        ratio.values().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN), worst, breaker), met));
                if (!met) {
                    StringBuilder b = new StringBuilder("**Patterns.** Slower than Resilience4j (ours / R4J, median ns/op): ");
                    ratio.entrySet().stream().filter(e -> e.getValue() > (e.getKey().equals("breaker") ? 0.7 : 1.0))
                            .forEach(e -> b.append(String.format(Locale.ROOT, "%s %.2fx; ", e.getKey(), e.getValue())));
                    left.add(b.toString().replaceFirst("; $", "."));
                }
            }
        }
        md.append('\n').append(profileTable(stack));
        if (!left.isEmpty()) {
            md.append("### What is left, from this run's numbers\n\n");
            left.forEach(l -> md.append(l).append("\n\n"));
        }
        return md.toString();
    }

    /** Share of each profiled JVM's samples per category, one column per service. */
    static String profileTable(JsonNode stack) {
        JsonNode p = stack.path("profile");
        JsonNode services = p.path("services");
        if (services.isMissingNode() || services.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "### Where each JVM's CPU went (config F, %.0f orders/s, %d s, `%s`)%n%n",
                p.path("rate").asDouble(), p.path("window_s").asInt(), p.path("event").asText()));
        b.append("One more window after the measured ones, each service JVM recorded by JDK Flight Recorder; a sample counts for the "
                + "first library on its stack from the top (`frl.bench.CpuProfile`). "
                + (p.path("event").asText().equals("jdk.CPUTimeSample")
                ? "`jdk.CPUTimeSample` (JDK 25): one sample per 2 ms of a thread's CPU, native and kernel time included."
                : "`jdk.ExecutionSample` (JDK < 25): threads in Java code every 10 ms; native time (socket writes, epoll) is not seen.")
                + " Raw aggregates and the busiest top frames: `profile/<service>.tsv`.\n\n| |");
        services.fieldNames().forEachRemaining(s -> b.append(' ').append(s).append(" |"));
        b.append("\n|---|").append("---|".repeat(services.size())).append('\n');
        for (CpuProfile.Category c : CpuProfile.Category.values()) {
            b.append("| ").append(c.label).append(" |");
            services.forEach(s -> b.append(String.format(Locale.ROOT, " %.1f%% |", s.path("shares").path(c.name()).asDouble() * 100)));
            b.append('\n');
        }
        b.append("| samples (lost) |");
        services.forEach(s -> b.append(String.format(Locale.ROOT, " %d (%d) |", s.path("samples").asLong(), s.path("lost").asLong())));
        return b.append("\n\n").toString();
    }

    private static String cpuLeft(JsonNode stack, List<JsonNode> f, double[] cpu) {
        Map<String, Double> mean = new LinkedHashMap<>();
        for (String proc : List.of("gateway", "orders", "payments", "inventory", "notifications", "postgres", "redis")) {
            mean.put(proc, f.stream().mapToDouble(r -> r.path(proc).asDouble()).average().orElse(Double.NaN));
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "**CPU per order.** F costs %s ms per order against %.0f. ",
                ms(cpu), CPU_PER_ORDER_MS));
        double success = f.stream().mapToDouble(r -> r.path("success").asDouble()).min().orElse(Double.NaN);
        if (success < 0.99) { // a stack that fails its orders is cold or starved, and its cost per order says so, not what is left
            b.append(String.format(Locale.ROOT, "Only %.1f%% of the orders of the worst window succeeded: the stack was not warm "
                    + "(or the machine was starved), so this cost is not yet the warm stack's. ", success * 100));
        }
        b.append("By process (mean of the windows): ");
        mean.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> b.append(String.format(Locale.ROOT, "%s %.2f, ", e.getKey(), e.getValue())));
        b.setLength(b.length() - 2);
        b.append(" ms. ");
        for (String s : List.of("orders", "gateway")) {
            if (!stack.path("profile").path("services").path(s).isMissingNode()) {
                b.append("Of the ").append(s).append(" JVM's sampled CPU: ").append(largest(stack, s, 3)).append(". ");
            }
        }
        StringBuilder pg = new StringBuilder();
        for (String db : List.of("orders", "payments", "inventory", "notifications")) {
            // windows whose counters could not be read carry none
            double x = f.stream().filter(r -> r.has("xact_" + db)).mapToDouble(r -> r.path("xact_" + db).asDouble()).average().orElse(Double.NaN);
            double st = f.stream().filter(r -> r.has("stmt_" + db)).mapToDouble(r -> r.path("stmt_" + db).asDouble()).average().orElse(Double.NaN);
            if (st >= 0) {
                pg.append(String.format(Locale.ROOT, "%s %.1f transactions, %.1f statements; ", db, x, st));
            }
        }
        if (!pg.isEmpty()) {
            b.append("PostgreSQL per order: ").append(pg.toString().replaceFirst("; $", "."));
        }
        return b.toString().strip();
    }

    private static String ceilingLeft(JsonNode ceiling, int a, int fc) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "**Ceiling.** A held up to %d orders/s, F up to %d. ", a, fc));
        for (String c : List.of("A", "F")) {
            JsonNode last = null;
            for (JsonNode s : ceiling.path(c).path("steps")) {
                if (s.path("held").asBoolean()) {
                    last = s;
                }
            }
            if (last != null) {
                b.append(String.format(Locale.ROOT, "At its last step held (%d/s) %s cost %.2f ms of stack CPU per order with the machine %.0f%% busy. ",
                        last.path("rate").asInt(), c, last.path("stack_cpu_ms_per_order").asDouble(), last.path("machine_busy").asDouble() * 100));
            }
        }
        // The same rate on both sides: what F's patterns, Redis key and outbox add to each order.
        Map<Integer, Double> aCost = new LinkedHashMap<>();
        ceiling.path("A").path("steps").forEach(s -> {
            if (s.path("held").asBoolean()) {
                aCost.put(s.path("rate").asInt(), s.path("stack_cpu_ms_per_order").asDouble());
            }
        });
        JsonNode common = null;
        for (JsonNode s : ceiling.path("F").path("steps")) {
            if (s.path("held").asBoolean() && aCost.containsKey(s.path("rate").asInt())) {
                common = s;
            }
        }
        if (common != null) {
            double fa = common.path("stack_cpu_ms_per_order").asDouble();
            double aa = aCost.get(common.path("rate").asInt());
            b.append(String.format(Locale.ROOT, "At %d/s, the highest rate both held, F cost %.2f ms per order and A %.2f: "
                    + "F's patterns, Redis key and outbox add %.2f ms (%.0f%%).",
                    common.path("rate").asInt(), fa, aa, fa - aa, (fa / aa - 1) * 100));
        }
        return b.toString().strip();
    }

    /** The {@code n} largest categories of a service's profile, "label share%" joined. */
    static String largest(JsonNode stack, String service, int n) {
        JsonNode shares = stack.path("profile").path("services").path(service).path("shares");
        if (shares.isMissingNode()) {
            return "not profiled";
        }
        List<String> parts = new ArrayList<>();
        List<CpuProfile.Category> order = new ArrayList<>(List.of(CpuProfile.Category.values()));
        order.sort(Comparator.comparingDouble((CpuProfile.Category c) -> shares.path(c.name()).asDouble()).reversed());
        for (CpuProfile.Category c : order.subList(0, Math.min(n, order.size()))) {
            parts.add(String.format(Locale.ROOT, "%s %.0f%%", c.label, shares.path(c.name()).asDouble() * 100));
        }
        return String.join(", ", parts);
    }

    /** ours / Resilience4j per benchmark stem, on the median of JMH's iterations. */
    static Map<String, Double> patternRatios(JsonNode jmh) {
        Map<String, Double> median = new LinkedHashMap<>();
        for (JsonNode r : jmh) {
            String name = r.path("benchmark").asText();
            median.put(name.substring(name.lastIndexOf('.') + 1), BenchSummary.median(r.path("primaryMetric").path("rawData")));
        }
        Map<String, Double> ratio = new LinkedHashMap<>();
        median.forEach((name, ns) -> {
            if (name.endsWith("Ours") && median.containsKey(name.replaceFirst("Ours$", "R4j"))) {
                ratio.put(name.replaceFirst("Ours$", ""), ns / median.get(name.replaceFirst("Ours$", "R4j")));
            }
        });
        return ratio;
    }

    private static List<JsonNode> rows(JsonNode stack, String config) {
        List<JsonNode> rows = new ArrayList<>();
        stack.path("cpu_per_order").forEach(r -> {
            if (r.path("config").asText().equals(config)) {
                rows.add(r);
            }
        });
        return rows;
    }

    private static double[] range(List<JsonNode> rows, ToDoubleFunction<JsonNode> value) {
        return new double[]{rows.stream().mapToDouble(value).min().orElse(Double.NaN), rows.stream().mapToDouble(value).max().orElse(Double.NaN)};
    }

    private static String ms(double[] range) {
        return Math.abs(range[0] - range[1]) < 0.005 ? String.format(Locale.ROOT, "%.2f", range[0])
                : String.format(Locale.ROOT, "%.2f-%.2f", range[0], range[1]);
    }

    private static String rate(JsonNode stack) {
        JsonNode first = stack.path("cpu_per_order").path(0);
        return String.format(Locale.ROOT, "%.0f", first.path("rate").asDouble(60));
    }

    private static String row(String goal, String measured, Boolean met) {
        return "| " + goal + " | " + measured + " | " + (met == null ? "not measured" : met ? "met" : "**missed**") + " |\n";
    }
}
