package frl.experiment;

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
import frl.experiment.stack.HttpTransport;
import frl.resilience.NanoClock;
import frl.resilience.Sleeper;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * Exit status 0 when the run completed (whatever its success rate), 2 for a bad command line.
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
            """;
    private static final List<String> KNOWN = List.of("url", "rate", "duration", "config", "timeout-ms", "resends",
            "send-slack-ms", "seed", "body", "no-deadline-header!", "json", "help!");

    private LoadMain() {
    }

    public static void main(String[] argv) throws Exception {
        if (List.of(argv).contains("--help") || argv.length == 0) {
            System.out.print(USAGE);
            return;
        }
        Args a;
        Schedule schedule;
        ClientPolicy policy;
        URI url;
        try {
            a = new Args(argv, KNOWN);
            url = URI.create(a.required("url"));
            a.required("rate");
            a.required("duration");
            schedule = Schedule.poisson(a.number("rate", 0), a.duration("duration", null), a.integer("seed", 42));
            policy = new ClientPolicy(Duration.ofMillis(a.integer("timeout-ms", ClientPolicy.DEFAULT_TIMEOUT.toMillis())),
                    (int) a.integer("resends", 0), Duration.ofMillis(a.integer("send-slack-ms", ClientPolicy.DEFAULT_SEND_SLACK.toMillis())),
                    !a.has("no-deadline-header"));
        } catch (IllegalArgumentException e) {
            System.err.println("load: " + e.getMessage() + "\n\n" + USAGE);
            System.exit(2);
            return;
        }
        String config = a.string("config", "F");
        HttpClient http = HttpTransport.newClient(policy.timeout());
        Transport transport = new HttpTransport(http, url, config, a.string("body", RunExecutor.DEFAULT_BODY), policy.deadlineHeader());
        String keyPrefix = "load-" + Long.toString(System.currentTimeMillis(), 36);
        System.out.println("     preflight (not counted): " + Preflight.run(transport, Preflight.DEFAULT_REQUESTS, policy.timeout(), keyPrefix));
        Timeline timeline = new Timeline(schedule);
        NanoClock clock = NanoClock.system();
        LoadDriver driver = new LoadDriver(schedule, transport, policy, clock, Sleeper.system(), LoadDriver.VIRTUAL_THREADS, keyPrefix);
        long t0 = clock.nanoTime();
        Thread ticker = Thread.ofVirtual().start(() -> tick(timeline, clock, t0, schedule));
        driver.run(timeline);
        ticker.interrupt();
        double wall = (clock.nanoTime() - t0) / 1e9;
        WindowStats w = WindowStats.of(timeline.snapshot(), 0, schedule.seconds());
        System.out.print(summary(url, config, schedule, policy, w, wall));
        if (a.has("json")) {
            Files.writeString(Path.of(a.string("json", "")), ResultsJson.MAPPER.writeValueAsString(json(url, config, schedule, policy, w, wall)));
        }
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

    static String summary(URI url, String config, Schedule s, ClientPolicy p, WindowStats w, double wall) {
        StringBuilder b = new StringBuilder();
        line(b, "target", "POST " + url + "  X-Client-Config: " + config);
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
        line(b, "latency (all)", String.format(Locale.ROOT, "p(50)=%sms  p(95)=%sms  p(99)=%sms", ms(w.p50Ms()), ms(w.p95Ms()), ms(w.p99Ms())));
        line(b, "latency (successes)", String.format(Locale.ROOT, "p(50)=%sms  p(95)=%sms  p(99)=%sms", ms(w.p50OkMs()), ms(w.p95OkMs()), ms(w.p99OkMs())));
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
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f", v);
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
