package frl.soak;

import frl.experiment.AuditMain;
import frl.experiment.load.ClientPolicy;
import frl.experiment.load.LoadDriver;
import frl.experiment.load.Outcome;
import frl.experiment.load.ResultSink;
import frl.experiment.load.Schedule;
import frl.experiment.load.Timeline;
import frl.experiment.metrics.Audit;
import frl.experiment.metrics.AuditResult;
import frl.experiment.metrics.DrainOutcome;
import frl.experiment.metrics.Knee;
import frl.experiment.metrics.WindowStats;
import frl.experiment.plan.Profile;
import frl.experiment.plan.Scenario;
import frl.experiment.run.Calibrator;
import frl.experiment.run.Drain;
import frl.experiment.run.Preflight;
import frl.experiment.run.RunExecutor;
import frl.experiment.stack.AdminClient;
import frl.experiment.stack.AuditLoader;
import frl.experiment.stack.CpuSampler;
import frl.experiment.stack.Environment;
import frl.experiment.stack.HttpTransport;
import frl.experiment.stack.StackInfo;
import frl.resilience.NanoClock;
import frl.resilience.Sleeper;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code make soak DURATION=10m}: does anything grow without bound when the stack runs for a long
 * time through repeated faults? Config F at 0.7 of capacity, payments' {@code error_rate} 0.2
 * switched on and off every minute (off first), and every 10 s a {@link Sampler} reading of live
 * heap, threads, file descriptors, PostgreSQL sessions and Redis keys. Then the drain and the
 * correctness audit of every order the soak made.
 *
 * <p>Pass: every judged series is flat over the second half ({@link Trend}, {@link Slope}) and
 * every audit column is 0. Exit 0 on pass, 1 on fail or when the stack could not be prepared,
 * 2 on a bad command line. Results in {@code results/<timestamp>-soak/}: {@code soak.csv},
 * {@code summary.md} and an SVG per metric.
 *
 * <p>Capacity: measured by one calibration pass (the step test of {@code make experiment}, one pass
 * instead of three: the soak needs a rate, not a capacity to publish), or given with
 * {@code --capacity} and checked with one step above it.
 */
public final class SoakMain {
    static final String USAGE = """
            usage: java frl.soak.SoakMain --stack .run/stack.json [options]
              --duration 10m      how long the load runs (e.g. 90s, 10m, 1h)
              --capacity X        skip calibration: X orders/s, checked with one short step
              --load 0.7          fraction of capacity offered
              --every 10s         sampling interval
              --flip 60s          payment_errors is switched on and off every this long (off first)
              --seed 42           arrival schedule seed
              --results results   where results/<timestamp>-soak/ is written
            """;
    static final String CONFIG = "F";
    /**
     * How often the live heap is read (a full collection in every service, {@link SoakMetric#LIVE_HEAP}):
     * once a minute, rarely enough that the collections do not shape the load's latency; a soak
     * shorter than 10 minutes reads it every tenth of its length (never more often than it samples)
     * so that its fitted second half still has 5 points.
     */
    static Duration liveHeapEvery(Duration duration, Duration every) {
        Duration tenth = duration.dividedBy(10);
        Duration d = tenth.compareTo(Duration.ofSeconds(60)) < 0 ? tenth : Duration.ofSeconds(60);
        return d.compareTo(every) > 0 ? d : every;
    }
    static final Scenario FAULT = Scenario.PAYMENT_ERRORS;
    /** Waited after the calibration and after the soak, at least: the outbox relay's lag, with room. */
    static final Duration SETTLE = Duration.ofSeconds(5);
    private static final List<String> KNOWN = List.of("stack", "duration", "capacity", "load", "every", "flip", "seed", "results");

    /** The command line, checked. */
    record Options(Path stack, Duration duration, Double capacity, double load, Duration every, Duration flip, long seed, Path results) {
        Options {
            if (duration.toSeconds() < 30) {
                throw new IllegalArgumentException("--duration must be at least 30s (the slope needs samples), was " + duration.toSeconds() + "s");
            }
            if (!(load > 0 && load <= 2)) {
                throw new IllegalArgumentException("--load must be in (0, 2], was " + load);
            }
            if (capacity != null && !(capacity > 0)) {
                throw new IllegalArgumentException("--capacity must be > 0, was " + capacity);
            }
            if (every.toMillis() < 1000 || every.compareTo(duration) > 0) {
                throw new IllegalArgumentException("--every must be from 1s to the duration, was " + every.toMillis() + "ms");
            }
            if (flip.toMillis() < 1000) {
                throw new IllegalArgumentException("--flip must be at least 1s, was " + flip.toMillis() + "ms");
            }
        }

        static Options parse(String[] argv) {
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < argv.length; i++) {
                String name = argv[i].startsWith("--") ? argv[i].substring(2) : null;
                if (name == null || !KNOWN.contains(name)) {
                    throw new IllegalArgumentException("unknown option \"" + argv[i] + "\"");
                }
                if (i + 1 >= argv.length) {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                m.put(name, argv[++i]);
            }
            if (!m.containsKey("stack")) {
                throw new IllegalArgumentException("--stack is required");
            }
            try {
                return new Options(Path.of(m.get("stack")), duration(m.getOrDefault("duration", "10m")),
                        m.containsKey("capacity") ? Double.valueOf(m.get("capacity")) : null,
                        Double.parseDouble(m.getOrDefault("load", "0.7")), duration(m.getOrDefault("every", "10s")),
                        duration(m.getOrDefault("flip", "60s")), Long.parseLong(m.getOrDefault("seed", "42")),
                        Path.of(m.getOrDefault("results", "results")));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number: " + e.getMessage());
            }
        }

        /** "90s", "10m", "1h", or plain seconds. */
        static Duration duration(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            try {
                if (t.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
                }
                long unit = t.endsWith("h") ? 3600 : t.endsWith("m") ? 60 : 1;
                String digits = Character.isDigit(t.charAt(t.length() - 1)) ? t : t.substring(0, t.length() - 1);
                return Duration.ofSeconds(Long.parseLong(digits) * unit);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("a duration is like 90s, 10m or 1h, was \"" + text + "\"");
            }
        }
    }

    private SoakMain() {
    }

    public static void main(String[] argv) throws Exception {
        System.exit(run(argv, System.out, System.err));
    }

    public static int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        Options o;
        try {
            o = Options.parse(argv);
        } catch (IllegalArgumentException e) {
            err.println("soak: " + e.getMessage() + "\n\n" + USAGE);
            return 2;
        }
        StackInfo stack;
        try {
            stack = StackInfo.read(o.stack());
        } catch (IOException e) {
            err.println("soak: " + e.getMessage());
            return 1;
        }
        NanoClock clock = NanoClock.system();
        Sleeper sleeper = Sleeper.system();
        ClientPolicy policy = ClientPolicy.defaults();
        HttpClient http = HttpTransport.newClient(policy.timeout());
        String id = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now()) + "-soak";
        try (Sampler sampler = new Sampler(o.stack(), stack, http)) {
            AdminClient admin = new AdminClient(http, stack, stack.adminToken());
            AuditLoader loader = new AuditLoader(stack.databases());
            HttpTransport transport = new HttpTransport(http, URI.create(stack.url("gateway") + "/orders"), CONFIG,
                    RunExecutor.DEFAULT_BODY, policy.deadlineHeader());
            out.printf(Locale.ROOT, "soak %s: config %s at %.2f of capacity for %d s, %s on and off every %d s, a sample every %d s%n",
                    id, CONFIG, o.load(), o.duration().toSeconds(), FAULT.chaosJson, o.flip().toSeconds(), o.every().toSeconds());
            admin.awaitQuiet(clock, sleeper);
            admin.resetAll();
            Map<Outcome, Integer> pre = Preflight.run(transport, Preflight.DEFAULT_REQUESTS, policy.timeout(), id + "-pre");
            out.println("preflight (not counted): " + pre);
            if (!pre.containsKey(Outcome.SUCCESS)) {
                err.println("soak: the gateway confirmed none of the preflight orders " + pre + "; is the stack healthy?");
                return 1;
            }
            Calibrator calibrator = new Calibrator(transport, policy, clock, sleeper, CpuSampler.forStack(clock, stack), id);
            double capacity;
            String capacitySource;
            if (o.capacity() != null) {
                admin.awaitQuiet(clock, sleeper);
                admin.resetAll();
                Calibrator.Check check = calibrator.check(o.capacity(), o.seed());
                out.println(check.message());
                capacity = o.capacity();
                capacitySource = "given (--capacity); " + check.message();
            } else {
                out.println("calibrating (one pass of the step test; about a minute)");
                Calibrator.Calibration c = calibrator.run(CONFIG, Calibrator.DEFAULT_START_RATE, Profile.STANDARD.calibrationFactor,
                        Profile.STANDARD.calibrationStepSeconds, Calibrator.DEFAULT_MAX_STEPS, Knee.DEFAULT_TOLERANCE, 1, o.seed(),
                        out::println, () -> { });
                capacity = c.capacity();
                capacitySource = "calibrated, config " + CONFIG + ": " + c.describe();
                if (!(capacity > 0)) {
                    err.println("soak: calibration measured no goodput; is the stack answering 201?");
                    return 1;
                }
            }
            double rate = o.load() * capacity;
            out.printf(Locale.ROOT, "capacity %.1f/s (%s); soak rate %.1f/s%n", capacity, capacitySource, rate);
            // The calibration's last orders are still settling (the sweep, the outbox relay): a notification
            // delivered after the mark for an order made before it would count against the soak.
            out.println("settling the calibration's orders: " + new Drain(clock, sleeper, SETTLE, Drain.DEFAULT_BOUND)
                    .run(AuditMain.probe(loader, AuditLoader.Marks.everything(), List.of(CONFIG), admin)).detail());
            admin.awaitQuiet(clock, sleeper);
            admin.resetAll();
            AuditLoader.Marks marks = loader.markAll();

            Schedule schedule = Schedule.poisson(rate, o.duration(), o.seed());
            Timeline timeline = new Timeline(schedule);
            Set<String> acked = ConcurrentHashMap.newKeySet();
            ResultSink sink = ResultSink.all(timeline, r -> {
                if (r.outcome() == Outcome.SUCCESS && r.orderId() != null) {
                    acked.add(r.orderId());
                }
            });
            LoadDriver driver = new LoadDriver(schedule, transport, policy, clock, sleeper, LoadDriver.VIRTUAL_THREADS, id);
            List<Sampler.Sample> samples = new ArrayList<>();
            long t0 = clock.nanoTime();
            Thread load = Thread.ofPlatform().name("soak-load").start(() -> {
                try {
                    driver.run(sink, t0);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            int flips = 0;
            try {
                long every = o.every().toNanos(), flip = o.flip().toNanos(), end = o.duration().toNanos();
                long nextSample = 0, nextFlip = flip, nextLive = 0, liveEvery = liveHeapEvery(o.duration(), o.every()).toNanos();
                boolean faultOn = false;
                while (nextSample <= end) {
                    long next = Math.min(nextSample, nextFlip);
                    long wait = t0 + next - clock.nanoTime();
                    if (wait > 0) {
                        sleeper.sleep(Duration.ofNanos(wait));
                    }
                    if (nextFlip <= next && nextFlip < end) {
                        faultOn = !faultOn;
                        admin.chaos(FAULT.target, faultOn ? FAULT.chaosJson : Scenario.CHAOS_OFF);
                        flips++;
                        nextFlip += flip;
                    } else if (nextFlip <= next) {
                        nextFlip = Long.MAX_VALUE;
                    }
                    if (nextSample <= next) {
                        boolean live = nextSample >= nextLive; // a full collection per service, once a minute
                        Sampler.Sample s = sampler.sample(nextSample / 1e9, faultOn, live);
                        if (live) {
                            nextLive += liveEvery;
                        }
                        samples.add(s);
                        out.println(progress(s, o.duration().toSeconds(), timeline.liveSuccessRate()));
                        nextSample += every;
                    }
                }
            } finally {
                admin.chaos(FAULT.target, Scenario.CHAOS_OFF);
            }
            load.join();
            WindowStats w = WindowStats.of(timeline.snapshot(), 0, schedule.seconds());
            out.printf(Locale.ROOT, "load done: %d scheduled, %d confirmed (%.2f%%); draining%n", w.scheduled(), w.succeeded(), 100 * w.successRate());
            DrainOutcome drain = new Drain(clock, sleeper, SETTLE, Drain.DEFAULT_BOUND).run(AuditMain.probe(loader, marks, List.of(CONFIG), admin));
            out.println("drain: " + drain.detail());
            AuditResult audit = Audit.reconcile(loader.load(marks, CONFIG), acked);
            Map<String, Long> auditColumns = auditColumns(audit);
            boolean auditClean = auditColumns.values().stream().allMatch(v -> v == 0);

            double fitFrom = o.duration().toSeconds() / 2.0;
            List<Trend> trends = Trend.of(samples, fitFrom);
            boolean flat = trends.stream().allMatch(Trend::passes);
            long missing = samples.stream().mapToLong(s -> s.failures().size()).sum();
            Path dir = o.results().resolve(id);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("soak.csv"), SoakReport.csv(samples));
            for (SoakMetric m : SoakMetric.values()) {
                Files.writeString(dir.resolve(m.id + ".svg"), SoakReport.svg(m, samples, o.duration().toSeconds(), fitFrom));
            }
            String verdict = flat && auditClean ? "PASS" : "FAIL";
            Files.writeString(dir.resolve("summary.md"), summary(id, o, capacity, capacitySource, rate, flips, w, drain, auditColumns,
                    trends, fitFrom, verdict, missing, samples));
            out.print(SoakReport.trendTables(trends, fitFrom));
            out.printf(Locale.ROOT, "audit: %s%nsoak %s: %s (wrote %s)%n", auditColumns, verdict,
                    (flat ? "no series grows" : "a series grows") + ", audit " + (auditClean ? "clean" : "NOT clean"), dir);
            return verdict.equals("PASS") ? 0 : 1;
        } catch (IOException | SQLException e) {
            err.println("soak: " + e.getMessage());
            return 1;
        }
    }

    /** The audit's correctness columns, each of which must be 0. */
    static Map<String, Long> auditColumns(AuditResult a) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("PENDING after drain", a.pendingOrders());
        m.put("duplicate charges per order", a.duplicateChargesPerOrder());
        m.put("duplicate charges per client key", a.duplicateChargesPerKey());
        m.put("confirmed without charge", a.confirmedWithoutCharge());
        m.put("orphan charges", a.orphanCharges());
        m.put("201 but not CONFIRMED", a.ackedNotConfirmed());
        m.put("leaked reservations", a.leakedReservations());
        m.put("notifications missing", a.notificationsMissing());
        m.put("notifications duplicated", a.notificationsDuplicated());
        m.put("notifications of unconfirmed orders", a.notificationsSpurious());
        m.put("outbox unsent", a.outboxUnsent());
        m.put("stock drift (units)", a.stockDriftUnits());
        return m;
    }

    /** "[ 120/600 s, ETA 02:45:10Z] fault on  success 98.1%  heap 212 MiB (live 140)  threads 160  fds 410  pg 31  redis 6021". */
    static String progress(Sampler.Sample s, long duration, double liveSuccess) {
        Map<SoakMetric, Double> totals = new LinkedHashMap<>();
        for (Sampler.Reading r : s.readings()) {
            totals.merge(r.metric(), r.value(), Double::sum);
        }
        String eta = DateTimeFormatter.ofPattern("HH:mm:ss'Z'").withZone(ZoneOffset.UTC)
                .format(Instant.now().plusSeconds(Math.max(0, duration - (long) s.t())));
        return String.format(Locale.ROOT, "[%4.0f/%d s, load ends %s] fault %-3s success %5.1f%%  heap %.0f MiB%s  threads %.0f  fds %.0f  pg %.0f  redis keys %.0f%s",
                s.t(), duration, eta, s.faultOn() ? "on" : "off", 100 * liveSuccess, totals.getOrDefault(SoakMetric.HEAP_AFTER_GC, Double.NaN),
                Double.isNaN(totals.getOrDefault(SoakMetric.LIVE_HEAP, Double.NaN)) ? ""
                        : String.format(Locale.ROOT, " (live %.0f)", totals.get(SoakMetric.LIVE_HEAP)),
                totals.getOrDefault(SoakMetric.THREADS, Double.NaN), totals.getOrDefault(SoakMetric.OPEN_FDS, Double.NaN),
                totals.getOrDefault(SoakMetric.PG_CONNECTIONS, Double.NaN), totals.getOrDefault(SoakMetric.REDIS_KEYS, Double.NaN),
                s.failures().isEmpty() ? "" : "  (unread: " + String.join("; ", s.failures()) + ")");
    }

    private static String summary(String id, Options o, double capacity, String capacitySource, double rate, int flips, WindowStats w,
                                  DrainOutcome drain, Map<String, Long> audit, List<Trend> trends, double fitFrom, String verdict,
                                  long missing, List<Sampler.Sample> samples) {
        StringBuilder b = new StringBuilder("# Soak " + id + ": " + verdict + "\n\n");
        b.append(String.format(Locale.ROOT, """
                Config %s under open-model Poisson load at %.2f x %.1f = %.1f orders/s for %d s (seed %d); payments' \
                `%s` switched on and off every %d s, off first (%d switches); a sample every %d s (%d samples, %d readings \
                missing). Capacity: %s.

                Pass when every judged series is flat over the second half (t >= %s s: an ordinary least-squares slope \
                whose 95%% interval includes 0, or whose projection over 24 h stays under the metric's bound) and every \
                audit column is 0 after the drain.

                ## Load
                %d arrivals scheduled, %d confirmed (HTTP 201 within the %d ms client timeout, over scheduled arrivals): \
                %.2f%%; goodput %.1f/s. Drain: %s.

                ## Audit of the soak's orders (config %s, after the drain)
                | column | count |
                |---|---:|
                """, CONFIG, o.load(), capacity, rate, o.duration().toSeconds(), o.seed(), FAULT.chaosJson, o.flip().toSeconds(), flips,
                o.every().toSeconds(), samples.size(), missing, capacitySource, SoakReport.number(fitFrom), w.scheduled(), w.succeeded(),
                ClientPolicy.DEFAULT_TIMEOUT.toMillis(), 100 * w.successRate(), w.goodputPerSecond(), drain.detail(), CONFIG));
        audit.forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        b.append("\n## Trends\n\n").append(SoakReport.trendTables(trends, fitFrom));
        List<String> growing = trends.stream().filter(t -> !t.passes()).map(t -> t.metric().id + "/" + t.series()).toList();
        b.append("## Verdict\n").append(verdict).append(": ")
                .append(growing.isEmpty() ? "no judged series grows" : "growing: " + String.join(", ", growing))
                .append("; audit ").append(audit.values().stream().allMatch(v -> v == 0) ? "clean" : "NOT clean").append(".\n\n");
        b.append("## Environment\n");
        Environment.describe().forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
        return b.toString();
    }
}
