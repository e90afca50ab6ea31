package frl.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A network fault between two services that neither of them can see coming: a TCP proxy of our
 * own, in the spirit of Toxiproxy, for the orders -> payments hop. The chaos switches
 * ({@link Chaos}) fake a fault inside a service, so the caller's patterns meet it only after the
 * callee's code ran; this one delays or cuts the bytes on the wire, where a real network fails.
 *
 * <pre>
 *   caller --TCP--> 127.0.0.1:listen --(this proxy: delay each chunk / reset)--> target
 * </pre>
 * Every accepted connection gets its own connection to the target and two pumps (one per
 * direction) on virtual threads. Bytes pass unchanged, in order. The two switches, read per chunk:
 * <ul>
 *   <li><b>latency</b>: each chunk read is held for this long before it is written on, in both
 *       directions (so a request and its answer each pay it at least once);</li>
 *   <li><b>reset</b>: every open connection, and every new one, is closed with an RST on both sides
 *       (SO_LINGER 0), as a crashed middlebox or a dropped NAT entry does: the caller sees
 *       "connection reset", not a clean end of stream.</li>
 * </ul>
 * Both start off, so a proxy nobody touches is a transparent forwarder.
 *
 * <p>Waiting is injected ({@link Pause}), so tests check the latency applied without timing it.
 *
 * <p>Thread-safe: the switches are one immutable {@link Toxics} in a volatile field, so a pump sees
 * a whole setting or the previous one; the set of open sockets is concurrent.
 */
public final class TcpProxy implements AutoCloseable {
    /** How a pump waits out the latency; {@code Thread::sleep}-like, interruptible. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration d) throws InterruptedException;

        static Pause system() {
            return Thread::sleep;
        }
    }

    /** The switches. {@code latency} zero means none. */
    public record Toxics(Duration latency, boolean reset) {
        public static final Duration MAX_LATENCY = Duration.ofSeconds(60); // before NONE, which its check reads
        public static final Toxics NONE = new Toxics(Duration.ZERO, false);

        public Toxics {
            if (latency == null || latency.isNegative() || latency.compareTo(MAX_LATENCY) > 0) {
                throw new IllegalArgumentException("latency must be between 0 and " + MAX_LATENCY.toMillis() + " ms, was " + latency);
            }
        }
    }

    private static final int CHUNK = 16 * 1024;

    private final InetSocketAddress target;
    private final Pause pause;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile Toxics toxics = Toxics.NONE;
    private volatile boolean closed;

    /** Listens on 127.0.0.1:{@code port} (0 = a free port) and forwards to {@code target}. */
    public TcpProxy(int port, InetSocketAddress target, Pause pause) throws IOException {
        this.target = target;
        this.pause = pause;
        this.server = new ServerSocket(port, 128, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("proxy-accept-" + server.getLocalPort()).start(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    public InetSocketAddress target() {
        return target;
    }

    public Toxics toxics() {
        return toxics;
    }

    /** Sets both switches; turning reset on cuts every open connection now. */
    public void set(Toxics next) {
        toxics = next;
        if (next.reset()) {
            open.forEach(this::reset);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Thread.ofVirtual().start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        open.add(client);
        if (toxics.reset()) {
            reset(client);
            return;
        }
        Socket upstream = new Socket();
        try {
            upstream.connect(target, 5_000);
        } catch (IOException e) {
            reset(client); // the target is down: the caller sees the refusal as a reset, as through a real proxy
            closeQuietly(upstream);
            return;
        }
        open.add(upstream);
        Thread.ofVirtual().start(() -> pump(upstream, client));
        pump(client, upstream);
    }

    /**
     * Copies {@code from} to {@code to} chunk by chunk. A clean end of stream is passed on as a
     * half-close (FIN), so a caller that closes its side still gets the answer; a reset or an error
     * on either side resets both.
     */
    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[CHUNK];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                Toxics t = toxics;
                if (!t.latency().isZero()) {
                    pause.pause(t.latency());
                    t = toxics; // the switch may have changed while this chunk waited
                }
                if (t.reset()) {
                    throw new SocketException("reset by the proxy");
                }
                out.write(buf, 0, n);
                out.flush();
            }
            to.shutdownOutput();
            if (from.isOutputShutdown()) { // both directions done: nothing more to carry
                forget(from);
                forget(to);
            }
        } catch (IOException e) {
            reset(from);
            reset(to);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reset(from);
            reset(to);
        }
    }

    /** Closes with SO_LINGER 0, which makes the kernel send RST instead of FIN. */
    private void reset(Socket s) {
        open.remove(s);
        try {
            s.setSoLinger(true, 0);
        } catch (SocketException ignored) {
            // already closed
        }
        closeQuietly(s);
    }

    private void forget(Socket s) {
        open.remove(s);
        closeQuietly(s);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
    }
}
