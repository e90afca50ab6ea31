package frl.http;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client services call each other with (Apache HttpClient 5 behind {@link ServiceClient}): what
 * it sends, what it reads, when its pool reuses a connection, and that Apache's exceptions reach the
 * patterns as the types they classify (timeout, refused, interrupted).
 * Servers bind 127.0.0.1:0; the one wait on a real clock is a 200 ms timeout against a server
 * that never answers, which is the behaviour under test.
 */
class ServiceClientTest {
    private final List<AutoCloseable> closeAfter = java.util.Collections.synchronizedList(new ArrayList<>());
    private final ServiceClient client = new ServiceClient(Duration.ofSeconds(2));

    @AfterEach
    void close() throws Exception {
        client.close();
        synchronized (closeAfter) {
            for (AutoCloseable c : closeAfter) {
                c.close();
            }
        }
    }

    /** A JDK HttpServer that echoes method, path, headers and body, and records each client port. */
    private URI echoServer(Set<Integer> clientPorts) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            clientPorts.add(ex.getRemoteAddress().getPort());
            byte[] in = ex.getRequestBody().readAllBytes();
            String text = ex.getRequestMethod() + " " + ex.getRequestURI() + " " + ex.getRequestHeaders().getFirst("X-Test")
                    + " " + new String(in, StandardCharsets.UTF_8);
            byte[] out = text.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Retry-After", "3");
            if (ex.getRequestURI().getPath().equals("/chunked")) {
                ex.sendResponseHeaders(200, 0); // 0: chunked
            } else {
                ex.sendResponseHeaders(ex.getRequestURI().getPath().equals("/created") ? 201 : 200, out.length);
            }
            try (OutputStream o = ex.getResponseBody()) {
                o.write(out);
            }
        });
        server.start();
        closeAfter.add(() -> server.stop(0));
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void sendsMethodPathHeadersAndBodyAndReadsStatusHeadersAndBody() throws Exception {
        URI base = echoServer(ConcurrentHashMap.newKeySet());

        HttpResult r = client.send(base, "POST", "/created?x=1", Map.of("X-Test", "yes"), "{\"a\":1}".getBytes(), null);

        assertEquals(201, r.status());
        assertEquals("POST /created?x=1 yes {\"a\":1}", r.body());
        assertEquals("3", r.header("Retry-After")); // names are case-insensitive
        assertEquals("3", r.header("retry-after"));
    }

    @Test
    void readsAChunkedBody() throws Exception {
        URI base = echoServer(ConcurrentHashMap.newKeySet());

        HttpResult r = client.send(base, "GET", "/chunked", Map.of(), null, Duration.ofSeconds(5));

        assertEquals(200, r.status());
        assertEquals("GET /chunked null ", r.body());
    }

    @Test
    void reusesOneConnectionForSequentialCalls() throws Exception {
        Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
        URI base = echoServer(clientPorts);

        for (int i = 0; i < 5; i++) {
            assertEquals(200, client.send(base, "GET", "/n" + i, Map.of(), null, Duration.ofSeconds(5)).status());
        }

        assertEquals(1, clientPorts.size(), "every call after the first reuses the kept connection: " + clientPorts);
    }

    @Test
    void anAnswerWithConnectionCloseIsNotReused() throws Exception {
        // Given a raw server that answers each connection once, with Connection: close
        ServerSocket raw = new ServerSocket(0, 16, java.net.InetAddress.getLoopbackAddress());
        closeAfter.add(raw);
        List<Integer> ports = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread.ofVirtual().start(() -> {
            while (!raw.isClosed()) {
                try (Socket s = raw.accept()) {
                    ports.add(s.getPort());
                    readRequestHead(s.getInputStream());
                    s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
                            .getBytes(StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    return;
                }
            }
        });
        URI base = URI.create("http://127.0.0.1:" + raw.getLocalPort());

        // When two calls go out one after the other
        assertEquals("ok", client.send(base, "GET", "/", Map.of(), null, Duration.ofSeconds(5)).body());
        assertEquals("ok", client.send(base, "GET", "/", Map.of(), null, Duration.ofSeconds(5)).body());

        // Then each came on a connection of its own
        assertEquals(2, Set.copyOf(ports).size(), ports.toString());
    }

    @Test
    void aServerThatNeverAnswersIsAnHttpTimeoutAfterTheTimeout() throws Exception {
        ServerSocket silent = new ServerSocket(0, 16, java.net.InetAddress.getLoopbackAddress());
        closeAfter.add(silent);
        Thread.ofVirtual().start(() -> {
            try {
                closeAfter.add(silent.accept()); // accepts, reads nothing, answers nothing
            } catch (IOException ignored) {
                // closed at the end of the test
            }
        });
        URI base = URI.create("http://127.0.0.1:" + silent.getLocalPort());

        long t0 = System.nanoTime();
        assertThrows(HttpTimeoutException.class,
                () -> client.send(base, "POST", "/orders", Map.of(), "{}".getBytes(), Duration.ofMillis(200)));
        long tookMs = (System.nanoTime() - t0) / 1_000_000;

        assertTrue(tookMs >= 190, "gave up after " + tookMs + " ms, before the 200 ms timeout");
    }

    @Test
    void aRefusedConnectionIsAConnectException() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there now
        }
        URI base = URI.create("http://127.0.0.1:" + port);

        assertThrows(ConnectException.class, () -> client.send(base, "GET", "/", Map.of(), null, Duration.ofSeconds(2)));
    }

    @Test
    void anInterruptWhileWaitingIsAnInterruptedException() throws Exception {
        ServerSocket silent = new ServerSocket(0, 16, java.net.InetAddress.getLoopbackAddress());
        closeAfter.add(silent);
        CountDownLatch accepted = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            try {
                Socket s = silent.accept();
                closeAfter.add(s);
                accepted.countDown();
            } catch (IOException ignored) {
                // closed at the end of the test
            }
        });
        URI base = URI.create("http://127.0.0.1:" + silent.getLocalPort());
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                client.send(base, "GET", "/", Map.of(), null, null); // no timeout: only the interrupt ends it
            } catch (Throwable t) {
                thrown.set(t);
            }
        });

        accepted.await();
        caller.interrupt();
        caller.join(Duration.ofSeconds(10));

        assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
    }

    private static void readRequestHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int b; matched < 4 && (b = in.read()) >= 0; ) {
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }
}
