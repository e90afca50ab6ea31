package frl.services;

import frl.config.ConfigTable;
import frl.config.Env;
import frl.http.Json;
import frl.http.Response;
import frl.http.ServiceServer;
import frl.resilience.NanoClock;
import frl.resilience.Sleeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Slowloris: a client that trickles its headers or its body byte by byte is cut off by the JDK
 * server's {@code sun.net.httpserver.maxReqTime}, and meanwhile a normal request is served. The body
 * is read before a handler takes its slot, so a trickled body holds none.
 *
 * <p>The JDK reads its limits once per JVM, so the server runs in a child JVM with a 1 s request
 * time and a 100 ms check ({@code timerMillis}, {@code clockTick}); this JVM's other servers keep the defaults. Each
 * test waits for the close event itself (a read that returns -1 or a reset), bounded by a socket
 * timeout far above the limit: no sleep decides the outcome.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowClientTest {
    /** How long the test waits for the close: far above the child's 1 s limit plus its 100 ms check. */
    private static final int CLOSE_BOUND_MS = 15_000;

    private Process child;
    private URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The child: one service with a one-slot route, as a bulkhead of one would be. */
    public static void main(String[] args) throws Exception {
        ConfigTable table = ConfigTable.fromEnv(new Env(Map.of()));
        var ctx = new ServiceContext(table, table.get('F'), NanoClock.system(), Sleeper.system(), LabStack.TOKEN, 7, null);
        ServiceServer server = ctx.server("slow-client-test");
        Semaphore slot = new Semaphore(1);
        server.route("GET", "/health", r -> Response.ok(server.envelope().put("status", "up")));
        server.route("POST", "/work", r -> {
            if (!slot.tryAcquire()) {
                return Response.of(503, Json.object().put("error", "no_slot").put("detail", "the one slot is taken"));
            }
            try {
                return Response.ok(Json.object().put("bytes", r.body().length));
            } finally {
                slot.release();
            }
        });
        System.out.println("port " + server.start("127.0.0.1", 0));
        System.out.flush();
        System.in.read(); // until the parent closes our stdin
        System.exit(0);
    }

    @BeforeAll
    void startChild() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        child = new ProcessBuilder(java, "-Dsun.net.httpserver.maxReqTime=1", "-Dsun.net.httpserver.timerMillis=100",
                "-Dsun.net.httpserver.clockTick=100",
                "-cp", System.getProperty("java.class.path"), SlowClientTest.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        var out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine(); // blocks until the child has bound its port (or died: null)
        assertTrue(line != null && line.startsWith("port "), "child did not start: " + line);
        base = URI.create("http://127.0.0.1:" + line.substring(5).trim());
    }

    @AfterAll
    void stopChild() throws Exception {
        if (child != null) {
            child.getOutputStream().close();
            if (!child.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }

    @Test
    void headersTrickledByteByByteAreCutOffWhileANormalRequestIsServed() throws Exception {
        try (Socket slow = new Socket(base.getHost(), base.getPort())) {
            // Given a client that has sent part of its headers and trickles the rest, a byte at a time
            OutputStream out = slow.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            Thread trickler = Thread.ofVirtual().start(() -> trickle(out, "X-Slow: " + "a".repeat(1_000)));
            // When another client asks meanwhile, it is served
            assertEquals(200, get("/health").statusCode());
            // Then the slow one is closed by the server, before the bound
            awaitClose(slow);
            trickler.interrupt();
        }
    }

    @Test
    void aBodyTrickledByteByByteIsCutOffWithoutHoldingTheSlot() throws Exception {
        try (Socket slow = new Socket(base.getHost(), base.getPort())) {
            // Given a POST whose 1,000-byte body comes a byte at a time
            OutputStream out = slow.getOutputStream();
            out.write("POST /work HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            Thread trickler = Thread.ofVirtual().start(() -> trickle(out, "{" + " ".repeat(998) + "}"));
            // When another POST comes meanwhile, the one slot is free for it: the slow body holds none
            HttpResponse<String> served = http.send(HttpRequest.newBuilder(base.resolve("/work"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, served.statusCode(), served.body());
            // Then the slow one is closed by the server
            awaitClose(slow);
            trickler.interrupt();
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosed() throws Exception {
        try (Socket silent = new Socket(base.getHost(), base.getPort())) {
            assertEquals(200, get("/health").statusCode());
            awaitClose(silent);
        }
    }

    /** Blocks until the server closes the connection (EOF or reset); fails if it is still open after the bound. */
    private static void awaitClose(Socket socket) throws IOException {
        socket.setSoTimeout(CLOSE_BOUND_MS);
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // an answer (the JDK may say 408 or nothing): keep reading to the close
            }
        } catch (SocketTimeoutException e) {
            fail("the server kept the slow connection open for " + CLOSE_BOUND_MS + " ms");
        } catch (SocketException reset) {
            // closed under a pending write: a reset is a close too
        }
    }

    /** The client's side of slowloris: one byte every 50 ms until done, closed or interrupted. */
    private static void trickle(OutputStream out, String text) {
        try {
            for (byte b : text.getBytes(StandardCharsets.US_ASCII)) {
                out.write(b);
                out.flush();
                Thread.sleep(50);
            }
        } catch (IOException | InterruptedException e) {
            // the server closed the connection (the point), or the test is over
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
