package frl.chaos;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proxy on real loopback sockets, against an echo server. Latency is checked through the
 * injected {@link TcpProxy.Pause} (what it was asked to wait), never by timing; a reset is checked
 * by the exception the kernel's RST produces on the caller's side.
 */
class TcpProxyTest {
    private ServerSocket echo;
    private TcpProxy proxy;
    private final List<Duration> pauses = new CopyOnWriteArrayList<>();

    @BeforeEach
    void echoServerBehindAProxy() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread.ofVirtual().start(() -> echoAll(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
        proxy = new TcpProxy(0, new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort()), pauses::add);
    }

    private static void echoAll(Socket s) {
        try (s) {
            s.getInputStream().transferTo(s.getOutputStream());
        } catch (IOException ignored) {
            // the test reset it
        }
    }

    @AfterEach
    void close() throws IOException {
        proxy.close();
        echo.close();
    }

    private Socket client() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        s.setSoTimeout(10_000); // a bound on a broken test, not a timing assumption
        return s;
    }

    private static byte[] roundTrip(Socket s, byte[] payload) throws IOException {
        OutputStream out = s.getOutputStream();
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                out.write(payload);
                s.shutdownOutput();
            } catch (IOException ignored) {
                // the reader reports what went wrong
            }
        });
        byte[] back = s.getInputStream().readAllBytes();
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return back;
    }

    @Test
    void bytesPassThroughUnchangedInBothDirections() throws IOException {
        // Given 1 MB of seeded random bytes, more than many chunks
        byte[] payload = new byte[1 << 20];
        new Random(7).nextBytes(payload);

        // When they go through the proxy to the echo server and back
        try (Socket s = client()) {
            byte[] back = roundTrip(s, payload);

            // Then exactly the same bytes come back, and no latency was applied
            assertArrayEquals(payload, back);
        }
        assertTrue(pauses.isEmpty(), pauses.toString());
    }

    @Test
    void latencyIsAppliedToEveryChunkInBothDirections() throws IOException {
        // Given 250 ms of latency per chunk
        proxy.set(new TcpProxy.Toxics(Duration.ofMillis(250), false));

        // When a small message goes there and back
        try (Socket s = client()) {
            assertArrayEquals("ping".getBytes(), roundTrip(s, "ping".getBytes()));
        }

        // Then the proxy waited 250 ms for the request's chunk and again for the answer's
        assertTrue(pauses.size() >= 2, pauses.toString());
        assertTrue(pauses.stream().allMatch(d -> d.equals(Duration.ofMillis(250))), pauses.toString());
    }

    @Test
    void resetClosesANewConnectionWithRst() throws IOException {
        // Given resets on
        proxy.set(new TcpProxy.Toxics(Duration.ZERO, true));

        // When a caller connects and waits for an answer
        try (Socket s = client()) {
            InputStream in = s.getInputStream();

            // Then it reads a reset (RST), not a clean end of stream (-1)
            SocketException e = assertThrows(SocketException.class, () -> in.read());
            assertTrue(e.getMessage().toLowerCase().contains("reset"), e.getMessage());
        }
    }

    @Test
    void resetCutsAnOpenConnectionAndOffLetsNewOnesThrough() throws IOException {
        // Given an open connection that works
        try (Socket s = client()) {
            s.getOutputStream().write("a".getBytes());
            assertEquals('a', s.getInputStream().read());

            // When resets are switched on
            proxy.set(new TcpProxy.Toxics(Duration.ZERO, true));

            // Then that connection is reset
            SocketException e = assertThrows(SocketException.class, () -> s.getInputStream().read());
            assertTrue(e.getMessage().toLowerCase().contains("reset"), e.getMessage());
        }

        // And once they are off again, a new connection works
        proxy.set(TcpProxy.Toxics.NONE);
        try (Socket s = client()) {
            assertArrayEquals("again".getBytes(), roundTrip(s, "again".getBytes()));
        }
        assertFalse(proxy.toxics().reset());
    }

    @Test
    void aLatencyOutOfRangeIsRefusedNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TcpProxy.Toxics(Duration.ofMillis(-1), false));
        assertTrue(e.getMessage().contains("PT-0.001S"), e.getMessage());
    }
}
