package frl.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import frl.stack.ClasspathJar;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What an AOT cache (JEP 483, 514, 515: JDK 25's {@code -XX:AOTCacheOutput} and {@code -XX:AOTCache})
 * gives a service JVM: the gateway's time from launch to its first healthy answer, and the CPU it
 * spends to start and serve its first {@value #REQUESTS} requests (a proxy for warm-up: classes
 * linked and methods profiled ahead of time).
 *
 * <p>How: our classes are packed into a jar first ({@link ClasspathJar}: an AOT cache accepts only
 * jars on the classpath, never a directory such as {@code target/classes}). One
 * training run writes the cache; then the gateway starts {@value #ROUNDS} times without and with
 * it, alternating. The gateway's orders URL points at a closed port, so each POST /orders is
 * answered 502 at once: the requests exercise the HTTP server, router, patterns and client without
 * a stack behind them. On a JDK older than 25 the measurement is skipped and says so.
 */
final class AotStartup {
    static final int REQUESTS = 1000;
    static final int ROUNDS = 3;
    static final String PORT = "9105";

    private AotStartup() {
    }

    static void measure(Path dir, ObjectNode json, StringBuilder md) throws Exception {
        md.append("### JVM start with an AOT cache (JEP 483/514/515)\n\n");
        int feature = Runtime.version().feature();
        if (feature < 25) {
            json.put("skipped", "JDK " + feature);
            md.append("Skipped: this JDK is ").append(feature).append("; `-XX:AOTCacheOutput` needs JDK 25.\n\n");
            return;
        }
        Files.createDirectories(dir);
        String classpath = ClasspathJar.pack(System.getProperty("java.class.path"), dir.resolve("frl.jar"));
        Path cache = dir.resolve("gateway.aot");
        Run training = run(dir, classpath, List.of("-XX:AOTCacheOutput=" + cache));
        json.put("cache_bytes", Files.size(cache)).put("training_health_ms", training.healthMs);
        List<Run> without = new ArrayList<>();
        List<Run> with = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            without.add(run(dir, classpath, List.of()));
            with.add(run(dir, classpath, List.of("-XX:AOTCache=" + cache)));
        }
        md.append(String.format(Locale.ROOT, "The gateway JVM alone (%s), %d alternating starts each; cache %.0f MB, trained on one "
                + "start plus %d requests. CPU is the whole process: start, then %d POST /orders (each answered 502: no orders behind it).%n%n",
                System.getProperty("java.runtime.version"), ROUNDS, Files.size(cache) / 1e6, REQUESTS, REQUESTS));
        md.append("| run | launch to first healthy answer, ms | CPU to start and serve the requests, ms |\n|---|---|---|\n");
        for (int i = 0; i < ROUNDS; i++) {
            md.append(String.format(Locale.ROOT, "| without cache, %d | %d | %d |%n", i + 1, without.get(i).healthMs, without.get(i).cpuMs));
            md.append(String.format(Locale.ROOT, "| with cache, %d | %d | %d |%n", i + 1, with.get(i).healthMs, with.get(i).cpuMs));
        }
        json.putPOJO("without", without);
        json.putPOJO("with", with);
        md.append(String.format(Locale.ROOT, "%nMedian: start %d -> %d ms, CPU %d -> %d ms with the cache.%n%n",
                median(without, true), median(with, true), median(without, false), median(with, false)));
        Files.deleteIfExists(cache); // 30 MB of build output, not a result
        Files.deleteIfExists(dir.resolve("frl.jar"));
    }

    record Run(long healthMs, long cpuMs) {
    }

    private static long median(List<Run> runs, boolean health) {
        return runs.stream().mapToLong(r -> health ? r.healthMs : r.cpuMs).sorted().skip(runs.size() / 2).findFirst().orElse(0);
    }

    private static Run run(Path dir, String classpath, List<String> aotFlags) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(javaBin, "-XX:+UseSerialGC", "-Xmx512m"));
        cmd.addAll(aotFlags);
        cmd.addAll(List.of("-cp", classpath, "frl.services.gateway.GatewayMain"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("gateway.log").toFile()));
        pb.environment().put("LAB_ADMIN_TOKEN", "aot-startup-measurement");
        pb.environment().put("LAB_GATEWAY_PORT", PORT);
        pb.environment().put("LAB_ORDERS_URL", "http://127.0.0.1:9"); // nothing listens: 502 at once
        HttpClient client = HttpClient.newHttpClient();
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            long healthMs = -1;
            while (healthMs < 0) {
                if (!p.isAlive() || System.nanoTime() - t0 > Duration.ofSeconds(60).toNanos()) {
                    throw new IllegalStateException("the gateway did not start; see " + dir.resolve("gateway.log"));
                }
                try {
                    if (client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/health")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        healthMs = (System.nanoTime() - t0) / 1_000_000;
                    }
                } catch (IOException notYet) {
                    Thread.sleep(5); // polling a process we started
                }
            }
            HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/orders"))
                    .header("X-Client-Config", "A").POST(HttpRequest.BodyPublishers.ofString("{}")).build();
            for (int i = 0; i < REQUESTS; i++) {
                client.send(post, HttpResponse.BodyHandlers.discarding());
            }
            long cpuMs = ProcStat.ticks(p.pid(), false) * 1000L / ProcStat.TICKS_PER_SECOND;
            return new Run(healthMs, cpuMs);
        } finally {
            p.destroy(); // SIGTERM: a training run writes its cache on the way out
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
