package frl.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import frl.experiment.load.ClientPolicy;
import frl.experiment.stack.HttpTransport;
import frl.experiment.load.LoadDriver;
import frl.experiment.load.Outcome;
import frl.experiment.run.RunExecutor;
import frl.experiment.load.Schedule;
import frl.experiment.load.Timeline;
import frl.experiment.load.Transport;
import frl.experiment.metrics.WindowStats;
import frl.http.Json;
import frl.resilience.NanoClock;
import frl.resilience.Sleeper;
import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code make bench}, the stack part. The measurements, each on a stack of its own
 * ({@link BenchStack}: ports 9100-9104, 5632/5633, 6579, so a running default stack is left alone):
 * <ol>
 *   <li><b>CPU per order</b>, per process, for configs F and A at a fixed rate (default 60/s) with
 *       the default processor (4 slots x 50 ms): warm-up first (discarded), then {@code reps}
 *       interleaved windows. CPU is read from /proc before and after each window and divided by
 *       the orders sent; PostgreSQL transactions per order from its own counters.</li>
 *   <li><b>The stack's own ceiling</b>, the processor made non-limiting (1000 slots x 1 ms):
 *       open-loop steps of rising rate, each {@code step} long; a step holds when >= 99% of
 *       scheduled orders succeed (201 within the 3 s client timeout) with p99 <= 1 s. A step that
 *       fails is tried once more; the ceiling is the last step that held, and stepping stops at
 *       the first that failed twice.</li>
 *   <li><b>The load driver</b> at 500 requests/s against the gateway's cheapest answer (a POST to
 *       /health is a 405): how late each send was against its intended time, late sends counted
 *       (the driver's 100 ms slack), and the driver's own CPU per request.</li>
 *   <li><b>Where the CPU goes</b>: after the measured windows, one more window of F at the same
 *       rate with every service JVM recorded by JDK Flight Recorder, each sample charged to a
 *       library ({@link CpuProfile}).</li>
 *   <li><b>JVM start with an AOT cache</b> (JDK 25+): see {@link AotStartup}.</li>
 * </ol>
 * Writes {@code stack.json} (every number) and {@code stack.md} (the tables) into {@code --out}.
 */
public final class StackBench {
    private final Path out;
    private final double rate;
    private final Duration warmup;
    private final Duration window;
    private final int reps;
    private final Duration step;
    private final List<Integer> steps;
    private final NanoClock clock = NanoClock.system();
    private final ObjectNode json = Json.object();
    private final StringBuilder md = new StringBuilder();

    private StackBench(Path out, double rate, Duration warmup, Duration window, int reps, Duration step, List<Integer> steps) {
        this.out = out;
        this.rate = rate;
        this.warmup = warmup;
        this.window = window;
        this.reps = reps;
        this.step = step;
        this.steps = steps;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
            if (args[i].equals("--only")) {
                System.setProperty("frl.bench.only", args[i + 1]);
            }
        }
        if (!a.containsKey("out")) {
            System.err.println("usage: StackBench --out DIR [--rate 60] [--warmup-s 150] [--window-s 30] [--reps 2]"
                    + " [--step-s 10] [--steps 100,150,...] [--only cpu]");
            System.exit(2);
        }
        List<Integer> steps = new ArrayList<>();
        for (String s : a.getOrDefault("steps", "100,200,300,400,500,600,700,800,900,1000").split(",")) {
            steps.add(Integer.parseInt(s.trim()));
        }
        new StackBench(Path.of(a.get("out")), Double.parseDouble(a.getOrDefault("rate", "60")),
                Duration.ofSeconds(Long.parseLong(a.getOrDefault("warmup-s", "150"))),
                Duration.ofSeconds(Long.parseLong(a.getOrDefault("window-s", "30"))),
                Integer.parseInt(a.getOrDefault("reps", "2")),
                Duration.ofSeconds(Long.parseLong(a.getOrDefault("step-s", "10"))), steps).run();
    }

    private void run() throws Exception {
        Files.createDirectories(out);
        json.put("machine_cpus", Runtime.getRuntime().availableProcessors());
        json.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        // --only cpu measures CPU per order alone (e.g. to compare one change), skipping the rest.
        boolean all = !"cpu".equals(System.getProperty("frl.bench.only", "all"));
        perOrderCpu();
        if (all) {
            ceilingAndDriver();
            AotStartup.measure(out.resolve("aot"), json.putObject("aot"), md);
        }
        Files.writeString(out.resolve("stack.json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
        Files.writeString(out.resolve("stack.md"), md.toString());
        System.out.print(md);
    }

    // ---- 1. CPU per order ------------------------------------------------------------------

    private void perOrderCpu() throws Exception {
        log("starting the stack (default processor: 4 slots x 50 ms)");
        try (BenchStack stack = BenchStack.start(out.resolve("stack-default"), Map.of(), List.of())) {
            json.put("stack_start_ms", stack.startMillis);
            log("up in " + stack.startMillis + " ms; warming up " + warmup.toSeconds() + " s (A, then F; discarded)");
            // A first: a cold stack is slow enough that F's bulkheads overflow and its breakers open
            // (a finding of its own, see the README); the reset then starts F's patterns fresh.
            WindowStats coldA = load(stack, "A", rate, warmup.dividedBy(3), "/orders").stats;
            WindowStats coldF = load(stack, "F", rate, warmup.multipliedBy(2).dividedBy(3), "/orders").stats;
            json.put("warmup_success_A", coldA.successRate()).put("warmup_success_F", coldF.successRate());
            stack.reset();
            ArrayNode rows = json.putArray("cpu_per_order");
            Map<String, List<Map<String, Double>>> byConfig = new LinkedHashMap<>();
            for (int rep = 1; rep <= reps; rep++) {
                for (String config : List.of("F", "A")) {
                    Map<String, Long> t0 = stack.ticks();
                    Map<String, long[]> x0 = stack.pgCounters();
                    LoadResult r = load(stack, config, rate, window, "/orders");
                    Thread.sleep(1_000); // PostgreSQL publishes its transaction counters every 500 ms
                    Map<String, Long> t1 = stack.ticks();
                    Map<String, long[]> x1 = stack.pgCounters();
                    Map<String, Double> ms = new LinkedHashMap<>();
                    double total = 0;
                    for (String p : t0.keySet()) {
                        double v = (t1.get(p) - t0.get(p)) * 1000.0 / ProcStat.TICKS_PER_SECOND / r.stats.sent();
                        ms.put(p, v);
                        total += v;
                    }
                    ms.put("stack", total);
                    ms.put("driver", r.driverCpuMs / r.stats.sent());
                    ms.put("success_pct", r.stats.successRate() * 100);
                    for (String db : x0.keySet()) {
                        int readings = db.equals("orders") || db.equals("inventory") ? 1 : 0; // the reading's own transaction
                        ms.put("xact_" + db, (x1.get(db)[0] - x0.get(db)[0] - readings) / (double) r.stats.sent());
                        ms.put("stmt_" + db, (x1.get(db)[1] - x0.get(db)[1]) / (double) r.stats.sent());
                    }
                    byConfig.computeIfAbsent(config, k -> new ArrayList<>()).add(ms);
                    stack.reset(); // between windows too: nothing carries over from one config to the next
                    ObjectNode row = rows.addObject().put("config", config).put("rep", rep).put("rate", rate)
                            .put("sent", r.stats.sent()).put("success", r.stats.successRate()).put("p99_ms", r.stats.p99Ms());
                    ms.forEach(row::put);
                    log(String.format(Locale.ROOT, "config %s rep %d: %.2f ms CPU per order (%s), success %.1f%%", config, rep,
                            total, format(ms), r.stats.successRate() * 100));
                }
            }
            profile(stack);
            md.append(String.format(Locale.ROOT, "### CPU per order, per process (warm, %.0f orders/s, %d x %d s per config, "
                    + "default processor)%n%n", rate, reps, window.toSeconds()));
            md.append(String.format(Locale.ROOT, "CPU time from /proc over the window, divided by the orders sent. One column per run; "
                    + "the spread between runs is the noise of a shared machine. Stack start %.1f s; success during the "
                    + "discarded warm-up: A %.1f%%, F %.1f%%.%n%n", stack.startMillis / 1000.0,
                    json.path("warmup_success_A").asDouble() * 100, json.path("warmup_success_F").asDouble() * 100));
            List<String> procs = new ArrayList<>(byConfig.get("F").get(0).keySet());
            md.append("| process |");
            byConfig.forEach((c, runs) -> {
                for (int i = 0; i < runs.size(); i++) {
                    md.append(" ").append(c).append(" run ").append(i + 1).append(" |");
                }
            });
            md.append("\n|---|").append("---|".repeat(reps * byConfig.size())).append('\n');
            for (String p : procs) {
                md.append("| ").append(label(p)).append(" |");
                byConfig.forEach((c, runs) -> runs.forEach(m -> md.append(String.format(Locale.ROOT, " %.2f |", m.get(p)))));
                md.append('\n');
            }
            md.append('\n');
        }
    }

    /**
     * One more window of F at the same rate, every service JVM recorded by JDK Flight Recorder
     * ({@link CpuProfile}); not one of the measured windows, since the recorder costs CPU of its own.
     * The shares go to stack.json, each service's raw aggregate to {@code profile/<service>.tsv}.
     */
    private void profile(BenchStack stack) throws Exception {
        Path dir = Files.createDirectories(out.resolve("profile"));
        String event = CpuProfile.event();
        log("profiling a " + window.toSeconds() + " s window of F at " + rate + "/s with " + event);
        ObjectNode pj = json.putObject("profile");
        pj.put("event", event).put("config", "F").put("rate", rate).put("window_s", window.toSeconds());
        List<String> recorded = new ArrayList<>();
        for (String s : BenchStack.SERVICES) {
            try {
                CpuProfile.start(stack.pids.get(s), dir.resolve(s + ".jfr"));
                recorded.add(s);
            } catch (Exception e) { // a profile that cannot be taken leaves the rest of the bench standing
                log("no recording of " + s + ": " + e.getMessage());
            }
        }
        LoadResult r = load(stack, "F", rate, window, "/orders");
        pj.put("success", r.stats.successRate());
        ObjectNode services = pj.putObject("services");
        for (String s : recorded) {
            Path jfr = dir.resolve(s + ".jfr");
            try {
                CpuProfile.stop(stack.pids.get(s));
                CpuProfile.Aggregate a = CpuProfile.read(jfr);
                Files.writeString(dir.resolve(s + ".tsv"), CpuProfile.tsv(a));
                ObjectNode sj = services.putObject(s).put("samples", a.total()).put("lost", a.lost()).put("event", a.event());
                ObjectNode shares = sj.putObject("shares");
                for (CpuProfile.Category c : CpuProfile.Category.values()) {
                    shares.put(c.name(), a.share(c));
                }
                ObjectNode top = sj.putObject("top_frames");
                a.topFrames().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                        .forEach(en -> top.put(en.getKey(), (double) en.getValue() / Math.max(1, a.total())));
            } catch (Exception e) {
                log("could not read the recording of " + s + ": " + e.getMessage());
            } finally {
                Files.deleteIfExists(jfr); // megabytes; the aggregates are the evidence kept
            }
        }
        stack.reset();
    }

    private static String label(String p) {
        return switch (p) {
            case "stack" -> "**stack total (ms)**";
            case "driver" -> "load driver (ms, not in the total)";
            case "success_pct" -> "success (201 within 3 s), %";
            default -> p.startsWith("xact_") ? "PostgreSQL transactions per order, " + p.substring(5) + " db"
                    : p.startsWith("stmt_") ? "PostgreSQL statements per order, " + p.substring(5) + " db"
                    : p + " (ms)";
        };
    }

    private static String format(Map<String, Double> ms) {
        StringBuilder b = new StringBuilder();
        ms.forEach((k, v) -> {
            if (!k.equals("stack")) {
                b.append(b.isEmpty() ? "" : " ").append(k).append('=').append(String.format(Locale.ROOT, "%.2f", v));
            }
        });
        return b.toString();
    }

    // ---- 2. ceiling, 3. driver ---------------------------------------------------------------

    private void ceilingAndDriver() throws Exception {
        log("restarting the stack with the processor made non-limiting (1000 slots x 1 ms)");
        try (BenchStack stack = BenchStack.start(out.resolve("stack-unlimited"),
                Map.of("LAB_PAYMENT_SLOTS", "1000", "LAB_PAYMENT_SERVICE_MS", "1"), List.of())) {
            load(stack, "A", 150, Duration.ofSeconds(30), "/orders"); // warm-up, discarded
            load(stack, "F", 150, Duration.ofSeconds(30), "/orders");
            ObjectNode ceilings = json.putObject("ceiling");
            md.append(String.format(Locale.ROOT, "### The stack's own ceiling (processor non-limiting: 1000 slots x 1 ms; "
                    + "open-loop steps of %d s)%n%n", step.toSeconds()));
            md.append("A step holds when >= 99% of scheduled orders succeed (201 within the 3 s client timeout) "
                    + "and p99 <= 1000 ms; a step that fails is tried once more (both tries are listed). Stack CPU per order: all five services, PostgreSQL and Redis. Machine busy is all "
                    + "CPUs, the load driver and everything else on the machine included.\n\n");
            md.append("| config | rate/s | success | goodput/s | p50 ms | p99 ms | stack CPU ms/order | driver CPU ms/order | machine busy | held |\n"
                    + "|---|---|---|---|---|---|---|---|---|---|\n");
            for (String config : List.of("A", "F")) {
                stack.reset(); // after A's last step, past its ceiling: F starts on an idle stack with closed breakers
                int ceiling = 0;
                ArrayNode rows = ceilings.putObject(config).putArray("steps");
                boolean retried = false;
                for (int i = 0; i < steps.size(); i++) {
                    int r = steps.get(i);
                    long[] m0 = ProcStat.machine();
                    long stack0 = stack.ticks().values().stream().mapToLong(Long::longValue).sum();
                    LoadResult res = load(stack, config, r, step, "/orders");
                    long stack1 = stack.ticks().values().stream().mapToLong(Long::longValue).sum();
                    long[] m1 = ProcStat.machine();
                    double busy = m1[1] == m0[1] ? Double.NaN : (double) (m1[0] - m0[0]) / (m1[1] - m0[1]);
                    double cpuPerOrder = (stack1 - stack0) * 1000.0 / ProcStat.TICKS_PER_SECOND / Math.max(1, res.stats.sent());
                    boolean held = res.stats.successRate() >= 0.99 && res.stats.p99Ms() <= 1000;
                    ObjectNode failed = Json.object();
                    for (Outcome o : Outcome.values()) {
                        if (o.isFailure() && res.stats.count(o) > 0) {
                            failed.put(o.label, res.stats.count(o));
                        }
                    }
                    rows.addObject().put("rate", r).put("success", res.stats.successRate()).put("goodput", res.stats.goodputPerSecond())
                            .<ObjectNode>set("failed", failed)
                            .put("p50_ms", res.stats.p50Ms()).put("p99_ms", res.stats.p99Ms()).put("machine_busy", busy)
                            .put("stack_cpu_ms_per_order", cpuPerOrder).put("driver_cpu_ms_per_order", res.driverCpuMs / Math.max(1, res.stats.sent()))
                            .put("held", held);
                    md.append(String.format(Locale.ROOT, "| %s | %d | %.2f%% | %.1f | %.1f | %.1f | %.2f | %.2f | %.0f%% | %s |%n", config, r,
                            res.stats.successRate() * 100, res.stats.goodputPerSecond(), res.stats.p50Ms(), res.stats.p99Ms(),
                            cpuPerOrder, res.driverCpuMs / Math.max(1, res.stats.sent()), busy * 100, held ? "yes" : "no"));
                    log(String.format(Locale.ROOT, "ceiling %s at %d/s: success %.1f%%, p99 %.0f ms, machine %.0f%% busy", config, r,
                            res.stats.successRate() * 100, res.stats.p99Ms(), busy * 100));
                    if (!held && !retried) {
                        // A shared machine has bad seconds: a step that fails is tried once more
                        // before it counts as the ceiling's edge (both tries are in the table).
                        retried = true;
                        i--;
                        Thread.sleep(2_000);
                        continue;
                    }
                    if (!held) {
                        break;
                    }
                    retried = false;
                    ceiling = r;
                    Thread.sleep(2_000); // let the step's last answers and the outbox drain
                }
                ceilings.with(config).put("ceiling", ceiling);
            }
            int a = ceilings.path("A").path("ceiling").asInt();
            int f = ceilings.path("F").path("ceiling").asInt();
            md.append(String.format(Locale.ROOT, "%nCeiling: **A %d orders/s, F %d orders/s** (F/A = %.2f; step size %s).%n%n",
                    a, f, a == 0 ? Double.NaN : (double) f / a, steps));

            log("load driver at 500/s against POST /health (405, the gateway's cheapest answer)");
            LoadResult d = load(stack, "A", 500, Duration.ofSeconds(10), "/health");
            ObjectNode dj = json.putObject("driver");
            dj.put("rate", 500).put("scheduled", d.stats.scheduled()).put("sent", d.stats.sent())
                    .put("not_sent_on_time", d.stats.count(Outcome.NOT_SENT_ON_TIME))
                    .put("late_p50_ms", d.lateness.getValueAtPercentile(50) / 1e6).put("late_p99_ms", d.lateness.getValueAtPercentile(99) / 1e6)
                    .put("late_max_ms", d.lateness.getMaxValue() / 1e6)
                    .put("late_over_1ms", d.lateness.getTotalCount() - d.lateness.getCountBetweenValues(0, 1_000_000))
                    .put("cpu_ms_per_request", d.driverCpuMs / d.stats.sent());
            md.append("### The load driver at 500 requests/s (10 s, Poisson, against POST /health)\n\n");
            md.append(String.format(Locale.ROOT, "Scheduled %d, sent %d, **not sent on time (later than the 100 ms slack) %d (%.2f%%)**. "
                            + "Lateness of each send against its intended time: p50 %.3f ms, p99 %.3f ms, max %.1f ms; "
                            + "%d sends (%.2f%%) more than 1 ms late. The driver's own CPU: **%.3f ms per request**.%n%n",
                    d.stats.scheduled(), d.stats.sent(), d.stats.count(Outcome.NOT_SENT_ON_TIME),
                    100.0 * d.stats.count(Outcome.NOT_SENT_ON_TIME) / d.stats.scheduled(),
                    d.lateness.getValueAtPercentile(50) / 1e6, d.lateness.getValueAtPercentile(99) / 1e6, d.lateness.getMaxValue() / 1e6,
                    dj.path("late_over_1ms").asLong(), 100.0 * dj.path("late_over_1ms").asLong() / Math.max(1, d.stats.sent()),
                    d.driverCpuMs / d.stats.sent()));
        }
    }

    // ---- one open-loop load ------------------------------------------------------------------

    private record LoadResult(WindowStats stats, double driverCpuMs, Histogram lateness) {
    }

    private LoadResult load(BenchStack stack, String config, double ratePerSecond, Duration duration, String path) throws Exception {
        Schedule schedule = Schedule.poisson(ratePerSecond, duration, 42);
        ClientPolicy policy = ClientPolicy.defaults();
        URI url = URI.create(stack.url("gateway") + path);
        Transport http = new HttpTransport(HttpTransport.newClient(policy.timeout()), url, config, RunExecutor.DEFAULT_BODY,
                policy.deadlineHeader());
        Histogram lateness = new Histogram(3_600_000_000_000L, 3);
        LoadDriver[] driver = new LoadDriver[1];
        Transport timed = attempt -> {
            if (attempt.attempt() == 1) { // how late this send is against its intended time
                long late = clock.nanoTime() - driver[0].startNanos() - schedule.offsetNanos(attempt.arrival());
                synchronized (lateness) {
                    lateness.recordValue(Math.max(0, late));
                }
            }
            return http.send(attempt);
        };
        String keys = "bench-" + config + "-" + Long.toString(System.nanoTime(), 36);
        driver[0] = new LoadDriver(schedule, timed, policy, clock, Sleeper.system(), LoadDriver.VIRTUAL_THREADS, keys);
        Timeline timeline = new Timeline(schedule);
        long cpu0 = cpuNanos();
        driver[0].run(timeline);
        double cpuMs = (cpuNanos() - cpu0) / 1e6;
        return new LoadResult(WindowStats.of(timeline.snapshot(), 0, schedule.seconds()), cpuMs, lateness);
    }

    private static long cpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    private static void log(String line) {
        System.out.println("bench: " + line);
    }
}
