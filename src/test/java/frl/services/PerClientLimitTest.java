package frl.services;

import frl.config.ConfigTable;
import frl.config.Env;
import frl.http.ClientLimit;
import frl.http.Json;
import frl.http.Response;
import frl.http.ServiceServer;
import frl.resilience.NanoClock;
import frl.resilience.Sleeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One client over its cap of requests in flight is refused with 429; another client is served meanwhile. */
class PerClientLimitTest {
    private static final InetAddress GREEDY = address(127, 0, 0, 2);
    private static final InetAddress OTHER = address(127, 0, 0, 3);

    private final Semaphore entered = new Semaphore(0);
    private final CountDownLatch release = new CountDownLatch(1);
    private ServiceServer server;

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(Duration.ZERO);
        }
    }

    @Test
    void aClientOverItsCapIsRefusedWith429WhileAnotherIsServed() throws Exception {
        ConfigTable table = ConfigTable.fromEnv(new Env(Map.of()));
        server = new ServiceContext(table, table.get('F'), NanoClock.system(), Sleeper.system(), LabStack.TOKEN, 7, null)
                .server("per-client-test").limitInFlightPerClient(3);
        server.route("GET", "/hold", r -> {
            entered.release();
            assertTrue(release.await(30, TimeUnit.SECONDS));
            return Response.ok(Json.object().put("held", true));
        });
        server.route("GET", "/quick", r -> Response.ok(Json.object().put("quick", true)));
        int port = server.start("127.0.0.1", 0);

        // Given one client with three requests held in the server (its cap)
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(send(GREEDY, port, "/hold"));
        }
        assertTrue(entered.tryAcquire(3, 30, TimeUnit.SECONDS), "three requests inside");
        // When it sends a fourth, and another client sends one
        String refused = answer(send(GREEDY, port, "/quick"));
        String served = answer(send(OTHER, port, "/quick"));
        // Then the fourth is refused at once with 429 and Retry-After; the other client is served
        assertTrue(refused.startsWith("HTTP/1.1 429"), refused);
        assertTrue(refused.contains("too_many_in_flight") && refused.toLowerCase().contains("retry-after: 1"), refused);
        assertTrue(served.startsWith("HTTP/1.1 200"), served);
        // And once its requests finish, the greedy client is served again
        release.countDown();
        for (Socket s : held) {
            assertTrue(answer(s).startsWith("HTTP/1.1 200"));
        }
        assertTrue(answer(send(GREEDY, port, "/quick")).startsWith("HTTP/1.1 200"));
    }

    @Test
    void theCountIsPerAddressAndEmptiesWhenRequestsFinish() {
        ClientLimit limit = new ClientLimit(2);
        assertTrue(limit.tryEnter(GREEDY));
        assertTrue(limit.tryEnter(GREEDY));
        assertFalse(limit.tryEnter(GREEDY), "third from the same address");
        assertTrue(limit.tryEnter(OTHER), "another address has its own count");
        limit.exit(GREEDY);
        assertTrue(limit.tryEnter(GREEDY), "a finished request frees a place");
        limit.exit(GREEDY);
        limit.exit(GREEDY);
        assertEquals(0, limit.inFlight(GREEDY));
        assertTrue(ClientLimit.OFF.tryEnter(GREEDY), "0 is no limit");
        assertThrows(IllegalArgumentException.class, () -> new ClientLimit(-1));
    }

    /** A request from {@code from} (any 127/8 address is this host's loopback), its answer not yet read. */
    private static Socket send(InetAddress from, int port, String path) throws Exception {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        s.setSoTimeout(30_000);
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    private static String answer(Socket s) throws Exception {
        try (s; InputStream in = s.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[]{(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
