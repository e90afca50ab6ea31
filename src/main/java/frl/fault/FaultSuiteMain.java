package frl.fault;

import frl.experiment.stack.HttpTransport;
import frl.resilience.NanoClock;
import frl.resilience.Sleeper;

import java.io.IOException;
import java.io.PrintStream;
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

/**
 * {@code make fault-suite}: every fault of issue 12 against the running stack, one case after
 * another (see {@link FaultSuite} for one case), with a table at the end: printed, and written to
 * {@code results/<timestamp>-fault-suite/summary.md} and {@code fault-suite.csv}.
 *
 * <pre>
 * java frl.fault.FaultSuiteMain --stack .run/stack.json --capacity 80.9 --load 0.5
 * </pre>
 * A case passes when every audit column is 0 after the drain and its service answers /health
 * within 30 s of the fault's end. The payments-hop cases need the launcher's proxy
 * ({@code LAB_PAYMENTS_PROXY=1}, which {@code make fault-suite} sets when it starts the stack); on a
 * stack without it they are left out, and the summary says so.
 *
 * <p>Exit status 0 when every case ran and passed, 1 when one failed or could not run, 2 for a bad
 * command line.
 */
public final class FaultSuiteMain {
    static final String USAGE = """
            usage: java frl.fault.FaultSuiteMain --stack .run/stack.json [options]
              --capacity 80.9        orders/s the stack confirms at its knee (calibrate with make experiment;
                                     80.9/s is the quick profile's calibration in results/)
              --load 0.5             fraction of that capacity offered (Poisson, config F)
              --min-load 60s         the shortest load per case
              --around 35s           load before the fault, at least (the baseline)
              --after 75s            load after the fault's end, at least: F's breakers stay open 30 s, so
                                     a recovery takes an open state, a half-open probe and a 5 s window,
                                     and one failed probe (a restarted JVM still cold) costs 30 s more
              --outage 10s           how long PostgreSQL, Redis and the payments hop stay broken
              --notifications-outage 30s
              --warmup 15s           a load before the first case, not counted (0s: none)
              --cases kill,redis     only the cases whose name contains one of these words
              --client-timeout-ms 3000
              --resends 1            client re-sends of a timed-out order, same Idempotency-Key
              --drain-min 5s         waited after the load in any case (the outbox relay's lag)
              --seed 42
              --results results      where the folder goes
            """;
    private static final List<String> KNOWN = List.of("stack", "capacity", "load", "min-load", "around", "after", "outage",
            "notifications-outage", "warmup", "cases", "client-timeout-ms", "resends", "drain-min", "seed", "results");
    static final double DEFAULT_CAPACITY = 80.9;

    private FaultSuiteMain() {
    }

    public static void main(String[] argv) throws Exception {
        System.exit(run(argv, System.out, System.err));
    }

    /** What a suite run produced: its rows, the folder written, and the cases left out. */
    record Report(List<CaseResult> results, Path folder, List<String> skipped) {
        boolean allPassed() {
            return skipped.isEmpty() && results.stream().allMatch(CaseResult::passed);
        }
    }

    static int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        if (List.of(argv).contains("--help")) {
            out.print(USAGE);
            return 0;
        }
        Map<String, String> a;
        FaultSuite.Settings settings;
        List<FaultCase> cases;
        Duration warmup;
        try {
            a = parse(argv);
            double rate = number(a, "capacity", DEFAULT_CAPACITY) * number(a, "load", 0.5);
            settings = new FaultSuite.Settings(rate, duration(a, "min-load", "60s"), duration(a, "around", "35s"), duration(a, "after", "75s"),
                    Duration.ofMillis((long) number(a, "client-timeout-ms", 3000)), (int) number(a, "resends", 1),
                    (long) number(a, "seed", 42), duration(a, "drain-min", "5s"), Duration.ofSeconds(180), FaultSuite.PROBE);
            warmup = duration(a, "warmup", "15s");
            cases = select(FaultCase.suite(duration(a, "outage", "10s"), duration(a, "notifications-outage", "30s")), a.get("cases"));
        } catch (IllegalArgumentException e) {
            err.println("fault-suite: " + e.getMessage() + "\n\n" + USAGE);
            return 2;
        }
        Report r = suite(Path.of(a.getOrDefault("stack", ".run/stack.json")), Path.of(a.getOrDefault("results", "results")),
                settings, cases, warmup, out);
        return r.allPassed() ? 0 : 1;
    }

    /** Runs {@code cases} in order against the stack, printing progress, and writes the results folder. */
    static Report suite(Path stackFile, Path results, FaultSuite.Settings settings, List<FaultCase> cases, Duration warmup,
                        PrintStream out) throws IOException, InterruptedException, SQLException {
        NanoClock clock = NanoClock.system();
        HttpClient http = HttpTransport.newClient(settings.clientTimeout());
        StackFaults faults = new StackFaults(http, stackFile);
        List<String> skipped = new ArrayList<>();
        List<FaultCase> runnable = new ArrayList<>();
        for (FaultCase c : cases) {
            if (c.needsProxy() && !faults.hasProxy()) {
                skipped.add(c.name() + " (the stack runs without the payments proxy: start it with LAB_PAYMENTS_PROXY=1)");
            } else {
                runnable.add(c);
            }
        }
        FaultSuite suite = new FaultSuite(faults, http, settings, clock, Sleeper.system(), out);
        String started = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
        out.printf(Locale.ROOT, "fault suite: %d cases, config F at %.1f orders/s, client timeout %d ms, %d re-send(s)%n",
                runnable.size(), settings.rate(), settings.clientTimeout().toMillis(), settings.resends());
        skipped.forEach(s -> out.println("  left out: " + s));
        if (!warmup.isZero()) {
            suite.warm(warmup);
        }
        List<CaseResult> rows = new ArrayList<>();
        long t0 = clock.nanoTime();
        double overhead = 30; // seconds per case beyond its load (settle, drain, audit); replaced by the measured mean
        for (int i = 0; i < runnable.size(); i++) {
            FaultCase c = runnable.get(i);
            double left = 0;
            for (FaultCase rest : runnable.subList(i, runnable.size())) {
                left += rest.loadSeconds(settings.minLoad(), settings.around(), settings.after()) + overhead;
            }
            out.printf(Locale.ROOT, "[%d/%d] %s: %d s of load, fault at %d s; suite ETA %s (%.0f min left)%n", i + 1, runnable.size(),
                    c.name(), c.loadSeconds(settings.minLoad(), settings.around(), settings.after()),
                    c.faultStartSecond(settings.minLoad(), settings.around(), settings.after()),
                    DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC).format(Instant.now().plusSeconds((long) left)) + " UTC",
                    left / 60);
            long caseStart = clock.nanoTime();
            CaseResult r = suite.run(c, i);
            rows.add(r);
            out.println("      " + String.join(" | ", r.row()));
            double took = (clock.nanoTime() - caseStart) / 1e9 - c.loadSeconds(settings.minLoad(), settings.around(), settings.after());
            overhead = (overhead * i + took) / (i + 1);
        }
        Path folder = results.resolve(started + "-fault-suite");
        write(folder, settings, rows, skipped, (clock.nanoTime() - t0) / 1e9);
        out.println();
        out.print(FaultSuiteReport.text(rows));
        out.println("wrote " + folder.resolve("summary.md") + " and " + folder.resolve("fault-suite.csv"));
        return new Report(rows, folder, skipped);
    }

    private static void write(Path folder, FaultSuite.Settings s, List<CaseResult> rows, List<String> skipped, double seconds)
            throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("summary.md"), FaultSuiteReport.markdown(s, rows, skipped, seconds));
        Files.writeString(folder.resolve("fault-suite.csv"), FaultSuiteReport.csv(rows));
    }

    static List<FaultCase> select(List<FaultCase> all, String words) {
        if (words == null || words.isBlank()) {
            return all;
        }
        List<FaultCase> chosen = new ArrayList<>();
        for (FaultCase c : all) {
            for (String w : words.split(",")) {
                if (!w.isBlank() && c.name().toLowerCase(Locale.ROOT).contains(w.trim().toLowerCase(Locale.ROOT))) {
                    chosen.add(c);
                    break;
                }
            }
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("--cases \"" + words + "\" matches none of: "
                    + String.join(", ", all.stream().map(FaultCase::name).toList()));
        }
        return chosen;
    }

    static Map<String, String> parse(String[] argv) {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String k = argv[i];
            if (!k.startsWith("--") || !KNOWN.contains(k.substring(2))) {
                throw new IllegalArgumentException("unknown option \"" + k + "\"");
            }
            if (i + 1 >= argv.length) {
                throw new IllegalArgumentException(k + " needs a value");
            }
            a.put(k.substring(2), argv[++i]);
        }
        return a;
    }

    private static double number(Map<String, String> a, String key, double dflt) {
        String v = a.get(key);
        try {
            return v == null ? dflt : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " takes a number, was \"" + v + "\"");
        }
    }

    static Duration duration(Map<String, String> a, String key, String dflt) {
        String v = a.getOrDefault(key, dflt);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m)").matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException("--" + key + " takes a duration like 500ms, 10s or 2m, was \"" + v + "\"");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }
}
