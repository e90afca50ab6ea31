package frl.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import frl.experiment.load.ClientPolicy;
import frl.experiment.load.LoadDriver;
import frl.experiment.load.Outcome;
import frl.experiment.load.Schedule;
import frl.experiment.load.Timeline;
import frl.experiment.load.Transport;
import frl.experiment.metrics.WindowStats;
import frl.experiment.report.ResultsJson;
import frl.experiment.run.Preflight;
import frl.experiment.run.Progress;
import frl.experiment.run.RunExecutor;
import frl.experiment.stack.AdminClient;
import frl.experiment.stack.HttpTransport;
import frl.experiment.stack.StackInfo;
import frl.experiment.stack.StackJson;
import frl.resilience.NanoClock;
import frl.resilience.Sleeper;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The load driver on its own, against any URL: an open-model Poisson schedule at a fixed rate,
 * latency from the intended send time, a k6-like summary at the end. For people who want to point
 * the lab's driver at their own service.
 *
 * <pre>
 * java frl.experiment.LoadMain --url http://127.0.0.1:8000/orders --rate 100 --duration 30s --config D
 * </pre>
 *
 * <p>Against the lab's own stack ({@code --stack .run/stack.json}, as {@code make load} passes), a
 * load starts from the same state every time: it waits for work left by an earlier load to drain
 * (payments' queue), then resets every service (breakers, bulkheads, shedders, counters, stock),
 * keeping the chaos switches that were on, so "enable a fault, then load" still works. Without
 * this, a load after an overload measured the previous run's open breakers. {@code --no-reset}
 * measures the stack as found. Either way the summary says what state the stack was in.
 *
 * <p>Exit status 0 when the run completed (whatever its success rate); 1 when the stack could not
 * be prepared or the preflight saw not one order confirmed (nothing worth measuring: the message
 * says what the stack looked like); 2 for a bad command line.
 */
public final class LoadMain {
    static final String USAGE = """
            usage: java frl.experiment.LoadMain --url URL --rate R --duration D [options]
              --url URL               where to POST (e.g. http://127.0.0.1:8000/orders)
              --rate R                Poisson arrivals per second (open model: never waits for answers)
              --duration D            e.g. 30s, 2m
              --config X              X-Client-Config header (default F)
              --timeout-ms 3000       client timeout per attempt
              --resends N             re-sends on timeout with the same Idempotency-Key (default 0)
              --send-slack-ms 100     later than this an arrival is NOT_SENT_ON_TIME
              --seed N                schedule seed (default 42)
              --body JSON             request body (default: the contract's example order)
              --no-deadline-header    do not send X-Deadline-Remaining-Ms
              --json PATH             also write the summary as JSON
              --stack PATH            the lab's .run/stack.json: its gateway is the default --url, and the
                                      stack is drained and reset before the load (chaos switches kept)
              --no-reset              with --stack: measure the stack as it is (its state is still reported)
            """;
    private static final List<String> KNOWN = List.of("url", "rate", "duration", "config", "timeout-ms", "resends",
            "send-slack-ms", "seed", "body", "no-deadline-header!", "json", "stack", "no-reset!", "help!");

    private LoadMain() {
    }

    public static void main(String[] argv) throws Exception {
        System.exit(run(argv, System.out, System.err));
    }

    /** The whole command; returns the exit status (see the class comment). */
    public static int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        if (List.of(argv).contains("--help") || argv.length == 0) {
            out.print(USAGE);
            return 0;
        }
        Args a;
        Schedule schedule;
        ClientPolicy policy;
        StackInfo stack;
        URI url;
        try {
            a = new Args(argv, KNOWN);
            stack = a.has("stack") && (!a.has("no-reset") || Files.exists(Path.of(a.string("stack", ""))))
                    ? StackInfo.read(Path.of(a.string("stack", ""))) : null;
            if (a.has("url")) {
                url = URI.create(a.required("url"));
            } else if (stack != null) {
                url = URI.create(stack.url("gateway") + "/orders");
            } else {
                throw new IllegalArgumentException("--url is required (or --stack, whose gateway is the default)");
            }
            if (stack != null && !a.has("no-reset") && !sameServer(url, URI.create(stack.url("gateway")))) {
                throw new IllegalArgumentException(url + " is not this stack's gateway (" + stack.url("gateway")
                        + "): resetting the lab would not reset what you load; add --no-reset (make load RESET=0)");
            }
            a.required("rate");
            a.required("duration");
            schedule = Schedule.poisson(a.number("rate", 0), a.duration("duration", null), a.integer("seed", 42));
            policy = new ClientPolicy(Duration.ofMillis(a.integer("timeout-ms", ClientPolicy.DEFAULT_TIMEOUT.toMillis())),
                    (int) a.integer("resends", 0), Duration.ofMillis(a.integer("send-slack-ms", ClientPolicy.DEFAULT_SEND_SLACK.toMillis())),
                    !a.has("no-deadline-header"));
        } catch (IllegalArgumentException e) {
            err.println("load: " + e.getMessage() + "\n\n" + USAGE);
            return 2;
        } catch (IOException e) {
            err.println("load: " + e.getMessage() + " (for a service that is not this lab's stack: --url URL --no-reset,"
                    + " i.e. make load URL=... RESET=0)");
            return 1;
        }
        String config = a.string("config", "F");
        HttpClient http = HttpTransport.newClient(policy.timeout());
        StackState before;
        try {
            before = stack == null ? StackState.unknown() : StackState.prepare(stack, http, !a.has("no-reset"), out);
        } catch (IOException e) {
            err.println("load: could not prepare the stack: " + e.getMessage());
            return 1;
        }
        Transport transport = new HttpTransport(http, url, config, a.string("body", RunExecutor.DEFAULT_BODY), policy.deadlineHeader());
        String keyPrefix = "load-" + Long.toString(System.currentTimeMillis(), 36);
        Map<Outcome, Integer> preflight = Preflight.run(transport, Preflight.DEFAULT_REQUESTS, policy.timeout(), keyPrefix);
        out.println("     preflight (not counted): " + preflight);
        if (preflight.getOrDefault(Outcome.SUCCESS, 0) == 0) {
            err.println("load: preflight failed: " + url + " confirmed none of " + Preflight.DEFAULT_REQUESTS + " orders "
                    + preflight + " under config " + config + "; not measuring a stack that refuses everything.\n"
                    + "     stack state: " + before.describe() + "\n     " + before.advice());
            return 1;
        }
        Timeline timeline = new Timeline(schedule);
        NanoClock clock = NanoClock.system();
        LoadDriver driver = new LoadDriver(schedule, transport, policy, clock, Sleeper.system(), LoadDriver.VIRTUAL_THREADS, keyPrefix);
        long t0 = clock.nanoTime();
        Thread ticker = Thread.ofVirtual().start(() -> tick(timeline, clock, t0, schedule));
        driver.run(timeline);
        ticker.interrupt();
        double wall = (clock.nanoTime() - t0) / 1e9;
        WindowStats w = WindowStats.of(timeline.snapshot(), 0, schedule.seconds());
        out.print(summary(url, config, schedule, policy, w, wall, before));
        if (a.has("json")) {
            Map<String, Object> json = json(url, config, schedule, policy, w, wall);
            json.put("stack_state", before.describe());
            json.put("preflight", preflight.toString());
            Files.writeString(Path.of(a.string("json", "")), ResultsJson.MAPPER.writeValueAsString(json));
        }
        return 0;
    }

    private static boolean sameServer(URI a, URI b) {
        return a.getPort() == b.getPort() && String.valueOf(a.getHost()).equals(String.valueOf(b.getHost()));
    }

    /**
     * What the stack looked like before the load, and what was done to it: the breakers that were
     * not CLOSED and the chaos switches that were on (both read before any reset), whether it was
     * reset, and how long earlier work took to drain. Immutable.
     */
    record StackState(boolean known, boolean reset, Duration drained, List<String> breakers, Map<String, String> chaos) {
        static StackState unknown() {
            return new StackState(false, false, Duration.ZERO, List.of(), Map.of());
        }

        /** Reads the state; with {@code reset}, drains and resets every service and puts the chaos switches back. */
        static StackState prepare(StackInfo stack, HttpClient http, boolean reset, PrintStream out)
                throws IOException, InterruptedException {
            String token = stack.adminToken();
            List<String> breakers = new ArrayList<>();
            JsonNode all = StackJson.MAPPER.readTree(get(http, stack.url("gateway") + "/status/breakers", null));
            all.properties().forEach(service -> {
                if (service.getValue().has("error")) { // e.g. orders unreachable: say so rather than "all closed"
                    breakers.add(service.getKey() + " unknown (" + service.getValue().path("error").asText() + ")");
                    return;
                }
                service.getValue().properties().forEach(b -> {
                    if (!b.getValue().path("state").asText().equals("CLOSED")) {
                        breakers.add(b.getValue().path("config").asText() + " " + b.getValue().path("name").asText()
                                + " " + b.getValue().path("state").asText());
                    }
                });
            });
            Map<String, String> chaos = new LinkedHashMap<>();
            for (String s : StackInfo.SERVICES) {
                JsonNode active = StackJson.MAPPER.readTree(get(http, stack.adminUrl(s) + "/admin/chaos", token)).path("active");
                if (!active.isEmpty()) {
                    chaos.put(s, active.toString());
                }
            }
            Duration drained = Duration.ZERO;
            if (reset) {
                AdminClient admin = new AdminClient(http, stack, token);
                long queued = StackJson.MAPPER.readTree(get(http, stack.adminUrl("payments") + "/admin/counters", token))
                        .path("queue_length").asLong(0);
                if (queued > 0) {
                    out.println("     waiting for " + queued + " payments queued by an earlier load to finish (at most "
                            + AdminClient.QUIET_WAIT.toSeconds() + " s)");
                }
                drained = admin.awaitQuiet(NanoClock.system(), Sleeper.system());
                admin.resetAll();
                for (var e : chaos.entrySet()) {
                    admin.chaos(e.getKey(), e.getValue());
                }
            }
            return new StackState(true, reset, drained, List.copyOf(breakers), Map.copyOf(chaos));
        }

        String describe() {
            if (!known) {
                return "unknown (not the lab's stack: not reset, not inspected)";
            }
            String found = "breakers " + (breakers.isEmpty() ? "all closed" : String.join(", ", breakers))
                    + "; chaos " + (chaos.isEmpty() ? "off" : chaos.toString());
            return reset ? "reset before the load (breakers, bulkheads, shedders, counters, stock"
                    + (drained.toSeconds() > 0 ? "; waited " + drained.toSeconds() + " s for earlier work to drain" : "")
                    + (chaos.isEmpty() ? "" : "; chaos switches kept") + "); found: " + found
                    : "as found, not reset (--no-reset): " + found;
        }

        String advice() {
            if (!chaos.isEmpty()) {
                return "Chaos switches are on (" + chaos + "): `bash chaos/scripts/reset_all.sh` turns them off.";
            }
            if (known && !reset && !breakers.isEmpty()) {
                return "Breakers were not closed and the stack was not reset (RESET=0, --no-reset): without it, make load resets them first.";
            }
            return "Check every service's health (curl http://127.0.0.1:8000/health ... :8004/health) and the logs in .run/logs/.";
        }
    }

    private static String get(HttpClient http, String url, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(AdminClient.DEFAULT_TIMEOUT).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static void tick(Timeline timeline, NanoClock clock, long t0, Schedule schedule) {
        if (!Progress.stdoutIsTerminal()) {
            return;
        }
        try {
            while (true) {
                Sleeper.system().sleep(java.time.Duration.ofSeconds(1));
                System.out.printf(Locale.ROOT, "\rrunning %3.0f/%d s  live success %s   ", (clock.nanoTime() - t0) / 1e9,
                        schedule.seconds(), Progress.percent(timeline.liveSuccessRate()));
            }
        } catch (InterruptedException e) {
            System.out.print("\r");
        }
    }

    static String summary(URI url, String config, Schedule s, ClientPolicy p, WindowStats w, double wall, StackState before) {
        StringBuilder b = new StringBuilder();
        line(b, "target", "POST " + url + "  X-Client-Config: " + config);
        line(b, "stack before the load", before.describe());
        line(b, "model", String.format(Locale.ROOT, "open, Poisson %.1f/s for %d s, seed %d (intended send times precomputed)",
                s.ratePerSecond(), s.seconds(), s.seed()));
        line(b, "success definition", "HTTP 201 within the " + p.timeout().toMillis() + " ms client timeout, over scheduled arrivals");
        line(b, "scheduled", Long.toString(w.scheduled()));
        line(b, "sent", w.sent() + "  (client attempts " + w.attempts() + ", re-sends on timeout allowed: " + p.resends() + ")");
        line(b, "succeeded", String.format(Locale.ROOT, "%s  ok=%d  failed=%d", Progress.percent(w.successRate()), w.succeeded(),
                w.scheduled() - w.succeeded()));
        StringBuilder kinds = new StringBuilder();
        for (Outcome o : Outcome.values()) {
            if (o.isFailure()) {
                kinds.append(o.label).append('=').append(w.count(o)).append("  ");
            }
        }
        line(b, "failed by kind", kinds.toString().trim());
        line(b, "goodput", String.format(Locale.ROOT, "%.1f/s", w.goodputPerSecond()));
        line(b, "latency (all)", String.format(Locale.ROOT, "p(50)=%s  p(95)=%s  p(99)=%s", ms(w.p50Ms()), ms(w.p95Ms()), ms(w.p99Ms())));
        line(b, "latency (successes)", String.format(Locale.ROOT, "p(50)=%s  p(95)=%s  p(99)=%s", ms(w.p50OkMs()), ms(w.p95OkMs()), ms(w.p99OkMs())));
        line(b, "wall time", String.format(Locale.ROOT, "%.1f s", wall));
        return b.toString();
    }

    private static void line(StringBuilder b, String name, String value) {
        StringBuilder dots = new StringBuilder(name);
        while (dots.length() < 24) {
            dots.append('.');
        }
        b.append("     ").append(dots).append(": ").append(value).append('\n');
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1fms", v);
    }

    private static Map<String, Object> json(URI url, String config, Schedule s, ClientPolicy p, WindowStats w, double wall) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", url.toString());
        m.put("config", config);
        m.put("rate", s.ratePerSecond());
        m.put("duration_s", s.seconds());
        m.put("seed", s.seed());
        m.put("timeout_ms", p.timeout().toMillis());
        m.put("resends", p.resends());
        m.put("success_definition", "HTTP 201 within the client timeout, over scheduled arrivals");
        m.put("scheduled", w.scheduled());
        m.put("sent", w.sent());
        m.put("succeeded", w.succeeded());
        m.put("success_rate", w.successRate());
        m.put("goodput_per_s", w.goodputPerSecond());
        Map<String, Long> failed = new LinkedHashMap<>();
        for (Outcome o : Outcome.values()) {
            if (o.isFailure()) {
                failed.put(o.label, w.count(o));
            }
        }
        m.put("failed", failed);
        m.put("p50_ms", w.p50Ms());
        m.put("p95_ms", w.p95Ms());
        m.put("p99_ms", w.p99Ms());
        m.put("p99_ok_ms", w.p99OkMs());
        m.put("wall_s", wall);
        return m;
    }
}
