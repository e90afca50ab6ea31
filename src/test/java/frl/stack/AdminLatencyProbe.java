package frl.stack;

import com.fasterxml.jackson.databind.JsonNode;
import frl.http.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long {@code GET /admin/counters} takes on every service of a running stack, while something
 * else (a storm) loads it: the measurement behind "the admin plane outlives the data plane".
 * A tool, not a test: it asserts nothing and never runs in {@code make test}.
 *
 * <pre>
 *   make admin-probe RATE=162 DURATION=70s     # a config-B storm and this probe beside it
 *   java -cp target/test-classes:target/classes:$(cat target/classpath.txt) frl.stack.AdminLatencyProbe \
 *       .run/stack.json 60 200                 # the probe alone, against whatever load is running
 * </pre>
 * Arguments: the stack.json to read (its {@code "admin"} URLs, which must be loopback), how many
 * seconds to probe (at most 600: it stops by itself), and the pause between two rounds in ms.
 * Each round asks the five services one after another, each call with a 5 s timeout, so a slow
 * answer is measured rather than cut off at the 1 s bar. Prints the latency distribution per
 * service and over all calls, and how many took longer than 1 s or failed.
 *
 * <p>Beside the round trip it prints the time inside each service, from the management listener's
 * own {@code lab_http_request_duration_seconds} histogram for {@code /admin/counters} (the
 * difference between a {@code /metrics} read before and after): what is left between the two is
 * outside the handler (the OS scheduling the listener's threads and this probe's on a busy
 * machine, the loopback network).
 *
 * <p>One round before the clock starts is not counted: the probe's own first call builds its
 * HttpClient and connections in a cold JVM and took 512 ms against an idle stack (2026-12-01),
 * a cost of the probe, not of the management listener.
 */
public final class AdminLatencyProbe {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final long BAR_NANOS = Duration.ofSeconds(1).toNanos();

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: AdminLatencyProbe STACK_JSON SECONDS PAUSE_MS");
            System.exit(2);
        }
        JsonNode stack = Json.read(Files.readString(Path.of(args[0])));
        int seconds = Math.min(600, Integer.parseInt(args[1]));
        long pauseMs = Long.parseLong(args[2]);
        String token = Files.readString(Path.of(stack.path("admin_token_file").asText())).trim();
        Map<String, URI> urls = new LinkedHashMap<>();
        stack.path("admin").fields().forEachRemaining(e -> {
            URI u = URI.create(e.getValue().asText() + "/admin/counters");
            if (!u.getHost().equals("127.0.0.1")) {
                throw new IllegalArgumentException("probes only loopback management listeners, not " + u);
            }
            urls.put(e.getKey(), u);
        });
        if (urls.isEmpty()) {
            throw new IllegalArgumentException(args[0] + " has no \"admin\" URLs");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(CALL_TIMEOUT).build();
        Map<String, List<Long>> nanos = new LinkedHashMap<>();
        Map<String, Integer> failures = new LinkedHashMap<>();
        urls.keySet().forEach(s -> {
            nanos.put(s, new ArrayList<>());
            failures.put(s, 0);
        });
        for (var e : urls.entrySet()) { // the uncounted warm-up round (see above)
            call(http, e.getValue(), token);
        }
        Map<String, Map<Double, Double>> before = new LinkedHashMap<>();
        for (var e : urls.entrySet()) {
            before.put(e.getKey(), handlerBuckets(http, e.getValue()));
        }
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (System.nanoTime() < end) {
            for (var e : urls.entrySet()) {
                long t0 = System.nanoTime();
                boolean ok = call(http, e.getValue(), token);
                long took = System.nanoTime() - t0;
                if (ok) {
                    nanos.get(e.getKey()).add(took);
                } else {
                    failures.merge(e.getKey(), 1, Integer::sum);
                }
            }
            Thread.sleep(pauseMs); // the probe's own pace; nothing here is a pattern under test
        }
        List<Long> all = new ArrayList<>();
        System.out.printf("%-14s %6s %8s %8s %8s %8s %6s %6s%n", "service", "calls", "p50 ms", "p99 ms", "max ms",
                "mean ms", ">1 s", "failed");
        for (var e : nanos.entrySet()) {
            all.addAll(e.getValue());
            print(e.getKey(), e.getValue(), failures.get(e.getKey()));
        }
        print("all", all, failures.values().stream().mapToInt(Integer::intValue).sum());
        System.out.printf("%ninside the service (its /admin/counters histogram, same calls):%n%-14s %6s %8s %8s %8s %8s%n",
                "service", "calls", "<=10 ms", "<=100 ms", "<=250 ms", "<=1 s");
        for (var e : urls.entrySet()) {
            Map<Double, Double> after = handlerBuckets(http, e.getValue());
            Map<Double, Double> was = before.get(e.getKey());
            java.util.function.DoubleUnaryOperator upTo = le -> after.getOrDefault(le, 0.0) - was.getOrDefault(le, 0.0);
            System.out.printf("%-14s %6.0f %8.0f %8.0f %8.0f %8.0f%n", e.getKey(), upTo.applyAsDouble(Double.POSITIVE_INFINITY),
                    upTo.applyAsDouble(0.01), upTo.applyAsDouble(0.1), upTo.applyAsDouble(0.25), upTo.applyAsDouble(1.0));
        }
    }

    /**
     * The cumulative buckets (upper bound in seconds -> count) of the service's
     * {@code /admin/counters} latency histogram, summed over its config labels, read from the
     * management listener's {@code /metrics}; empty if it cannot be read.
     */
    private static Map<Double, Double> handlerBuckets(HttpClient http, URI countersUrl) throws InterruptedException {
        Map<Double, Double> buckets = new java.util.TreeMap<>();
        String text;
        try {
            text = http.send(HttpRequest.newBuilder(countersUrl.resolve("/metrics")).timeout(CALL_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
            return buckets;
        }
        for (String line : text.split("\n")) {
            if (line.startsWith("lab_http_request_duration_seconds_bucket{") && line.contains("route=\"/admin/counters\"")) {
                int le = line.indexOf("le=\"") + 4;
                String bound = line.substring(le, line.indexOf('"', le));
                double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
                buckets.merge(upper, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
            }
        }
        return buckets;
    }

    /** One {@code GET /admin/counters}; true if it answered 200. */
    private static boolean call(HttpClient http, URI url, String token) throws InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(url).timeout(CALL_TIMEOUT)
                .header("Authorization", "Bearer " + token).GET().build();
        try {
            return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void print(String name, List<Long> values, int failed) {
        List<Long> v = new ArrayList<>(values);
        Collections.sort(v);
        if (v.isEmpty()) {
            System.out.printf("%-14s %6d %8s %8s %8s %8s %6s %6d%n", name, 0, "-", "-", "-", "-", "-", failed);
            return;
        }
        double mean = v.stream().mapToLong(Long::longValue).average().orElse(0);
        long over = v.stream().filter(n -> n > BAR_NANOS).count();
        System.out.printf("%-14s %6d %8.1f %8.1f %8.1f %8.1f %6d %6d%n", name, v.size(), ms(quantile(v, 0.5)),
                ms(quantile(v, 0.99)), ms(v.get(v.size() - 1)), mean / 1e6, over, failed);
    }

    /** Nearest-rank quantile of sorted values. */
    private static long quantile(List<Long> sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
