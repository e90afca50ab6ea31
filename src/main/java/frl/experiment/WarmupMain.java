package frl.experiment;

import frl.experiment.load.ClientPolicy;
import frl.experiment.load.Outcome;
import frl.experiment.load.Transport;
import frl.experiment.metrics.MttrRule;
import frl.experiment.metrics.WarmupGate;
import frl.experiment.run.Preflight;
import frl.experiment.run.RunExecutor;
import frl.experiment.run.Warmup;
import frl.experiment.stack.AdminClient;
import frl.experiment.stack.HttpTransport;
import frl.experiment.stack.StackInfo;
import frl.resilience.NanoClock;
import frl.resilience.Sleeper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Warms a freshly started stack before it is declared up, as a production rollout warms a JVM
 * before it passes readiness: an open-model load over every configuration (arrival i is sent with
 * config i mod n, so each configuration's code paths, breakers and bulkheads see traffic) until the
 * stack is warm by {@link WarmupGate} (rolling success >= 99%, p99 within the SLO and steady for
 * 10 s), bounded in time. Then every service is reset, so what the user does next starts from clean
 * counters and closed breakers, on warm code. Prints how long it took.
 *
 * <p>Why: right after start the services' code is interpreted, not compiled; at half the measured
 * capacity a cold stack served 16% of config F's orders (its bulkheads filled with slow calls and
 * the gateway's breaker opened) and a warm one 99-100%. A cold JVM is a real trigger, but it is a
 * scenario of its own, not a confound of every first run.
 *
 * <pre>
 * java frl.experiment.WarmupMain --stack .run/stack.json [--rate 30] [--bound 120s] [--configs A,B,C,D,E,F]
 * </pre>
 * Exit status 0 when the stack was warmed (or the bound was reached: it says so, and the stack is
 * still up), 2 when the stack cannot be reached or the command line is wrong.
 */
public final class WarmupMain {
    public static final double DEFAULT_RATE = 30;
    public static final Duration DEFAULT_BOUND = Duration.ofSeconds(120);

    static final String USAGE = """
            usage: java frl.experiment.WarmupMain [options]
              --stack .run/stack.json   the running stack
              --rate 30                 arrivals per second over all configurations (keep it under half the capacity)
              --bound 120s              the longest the warm-up may take
              --configs A,B,C,D,E,F     the configurations to warm, in turn
              --timeout-ms 3000         client timeout per request
            """;
    private static final List<String> KNOWN = List.of("stack", "rate", "bound", "configs", "timeout-ms", "help!");

    private WarmupMain() {
    }

    public static void main(String[] argv) throws Exception {
        if (List.of(argv).contains("--help")) {
            System.out.print(USAGE);
            return;
        }
        Args a;
        double rate;
        Duration bound;
        List<String> configs;
        ClientPolicy policy;
        try {
            a = new Args(argv, KNOWN);
            rate = a.number("rate", DEFAULT_RATE);
            bound = a.duration("bound", DEFAULT_BOUND);
            configs = List.of(a.string("configs", String.join(",", ExperimentOptions.ALL_CONFIGS)).split(","));
            for (String c : configs) {
                if (!ExperimentOptions.ALL_CONFIGS.contains(c)) {
                    throw new IllegalArgumentException("--configs takes letters A..F, was \"" + c + "\"");
                }
            }
            if (!(rate > 0) || bound.toSeconds() < WarmupGate.DEFAULT_WINDOW_SECONDS) {
                throw new IllegalArgumentException("--rate must be positive and --bound at least "
                        + WarmupGate.DEFAULT_WINDOW_SECONDS + " s, were " + rate + " and " + bound);
            }
            policy = ClientPolicy.defaults().withTimeout(Duration.ofMillis(a.integer("timeout-ms", ClientPolicy.DEFAULT_TIMEOUT.toMillis())));
        } catch (IllegalArgumentException e) {
            System.err.println("warm-up: " + e.getMessage() + "\n\n" + USAGE);
            System.exit(2);
            return;
        }
        System.exit(run(Path.of(a.string("stack", ".run/stack.json")), rate, bound, configs, policy));
    }

    static int run(Path stackJson, double rate, Duration bound, List<String> configs, ClientPolicy policy)
            throws InterruptedException {
        StackInfo stack;
        AdminClient admin;
        try {
            stack = StackInfo.read(stackJson);
            admin = new AdminClient(HttpTransport.newClient(AdminClient.DEFAULT_TIMEOUT), stack, stack.adminToken());
        } catch (IOException e) {
            System.err.println("warm-up: " + e.getMessage());
            return 2;
        }
        NanoClock clock = NanoClock.system();
        HttpClient http = HttpTransport.newClient(policy.timeout());
        URI orders = URI.create(stack.url("gateway") + "/orders");
        List<Transport> byConfig = new ArrayList<>();
        configs.forEach(c -> byConfig.add(new HttpTransport(http, orders, c, RunExecutor.DEFAULT_BODY, policy.deadlineHeader())));
        Transport rotating = attempt -> byConfig.get(Math.floorMod(attempt.arrival(), byConfig.size())).send(attempt);
        String keys = "warmup-" + Long.toString(System.currentTimeMillis(), 36);
        long t0 = clock.nanoTime();
        Map<Outcome, Integer> pre = Preflight.run(rotating, Preflight.DEFAULT_REQUESTS, policy.timeout(), keys);
        if (!pre.containsKey(Outcome.SUCCESS)) {
            System.err.println("warm-up: the gateway confirmed none of " + Preflight.DEFAULT_REQUESTS + " orders (" + pre + ")");
            return 2;
        }
        Warmup.Running warm = new Warmup(rotating, policy, clock, Sleeper.system(), WarmupGate.of(MttrRule.defaults()))
                .run(rate, (int) bound.toSeconds(), 42, keys, s -> { });
        warm.awaitInFlight();
        double took = (clock.nanoTime() - t0) / 1e9;
        try {
            admin.awaitQuiet(clock, Sleeper.system());
            admin.resetAll();
        } catch (IOException e) {
            System.err.println("warm-up: the reset after warming failed: " + e.getMessage());
            return 2;
        }
        System.out.println(warm.outcome().warm()
                ? String.format(Locale.ROOT, "stack warm after %.1f s (configs %s at %.0f/s; %s); services reset",
                took, String.join(",", configs), rate, warm.outcome().detail())
                : String.format(Locale.ROOT, "warning: stack not warm after the %d s bound (%.1f s in all; %s); services reset,"
                + " the first runs may measure a cold stack", bound.toSeconds(), took, warm.outcome().detail()));
        return 0;
    }
}
