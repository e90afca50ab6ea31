package frl.http;

import frl.resilience.NanoClock;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP/1.1 client our services call each other with: blocking sockets on the caller's virtual
 * thread, and keep-alive connections kept per downstream.
 *
 * <p><b>Why not {@code java.net.http.HttpClient}.</b> It is asynchronous inside: one selector
 * thread per client, and every request crosses it and the client's executor several times (write,
 * read, body subscriber, completion), each crossing a park/unpark of a thread. Profiled under the
 * lab's load (JFR CPU-time samples, results/*-bench/summary.md), that machinery was 41-46% of the
 * CPU of the gateway and of orders. A virtual thread blocking in a socket read costs what the
 * JDK's poller costs, and nothing else: so this client writes the request in one system call and
 * reads the answer on the calling thread.
 *
 * <p>What it speaks: requests with a {@code Content-Length} body; answers with
 * {@code Content-Length}, {@code Transfer-Encoding: chunked}, or neither (read to the end of the
 * connection). No TLS, redirects, proxies, 100-continue or HTTP/2: it talks to our own services on
 * loopback, nothing else.
 *
 * <p>Connections: after an answer that leaves the connection usable (the whole body read, no
 * {@code Connection: close}) it goes back to its downstream's idle deque, most recent first, so a
 * few hot connections carry the load. A connection idle for longer than {@link #MAX_IDLE} is closed
 * instead of reused: the JDK server closes idle connections after 30 s
 * ({@code sun.net.httpserver.idleInterval}), and a request written into a connection the server is
 * closing would be lost. A failed or timed-out exchange closes its connection (its state is unknown).
 * Nothing is ever re-sent here: retrying is the {@link frl.resilience.Retry} layer's decision.
 *
 * <p>Errors, as {@code java.net.http} reports them, so the patterns classify them the same way: a
 * timeout is an {@link HttpTimeoutException} ({@link HttpConnectTimeoutException} while
 * connecting), a refused connection a {@link ConnectException}, anything else an {@link IOException};
 * an interrupt during I/O is an {@link InterruptedException}.
 *
 * <p>Thread-safe: a connection is used by one thread at a time (taken from the deque, given back
 * after the exchange); the deques are concurrent.
 */
public final class Http1Client {
    /** Close rather than reuse a connection idle this long (the JDK server's idle limit is 30 s). */
    public static final Duration MAX_IDLE = Duration.ofSeconds(10);
    /** Idle connections kept per downstream; more are closed when they come back. */
    public static final int MAX_IDLE_CONNECTIONS = 64;
    private static final int MAX_HEADER_LINE = 8 * 1024;

    private final Duration connectTimeout;
    private final NanoClock clock;
    private final Map<String, Pool> idle = new ConcurrentHashMap<>();

    /** Idle connections to one downstream, most recently used first, and how many there are. */
    private record Pool(ConcurrentLinkedDeque<Connection> deque, AtomicInteger size) {
        Pool() {
            this(new ConcurrentLinkedDeque<>(), new AtomicInteger()); // size(): the deque's own is O(n)
        }

        Connection poll() {
            Connection c = deque.pollFirst();
            if (c != null) {
                size.decrementAndGet();
            }
            return c;
        }

        boolean offer(Connection c) {
            if (size.incrementAndGet() > MAX_IDLE_CONNECTIONS) {
                size.decrementAndGet();
                return false;
            }
            deque.offerFirst(c);
            return true;
        }
    }

    public Http1Client(Duration connectTimeout, NanoClock clock) {
        this.connectTimeout = connectTimeout;
        this.clock = clock;
    }

    /**
     * Sends one request and reads the whole answer.
     *
     * @param base    scheme, host and port (http only)
     * @param target  path and query, e.g. {@code /orders/42}
     * @param headers extra request headers (Host and Content-Length are added here)
     * @param body    request body, or null for none
     * @param timeout bound on the whole exchange, connecting included; null waits forever
     */
    public HttpResult send(URI base, String method, String target, Map<String, String> headers, byte[] body,
                           Duration timeout) throws IOException, InterruptedException {
        long deadline = timeout == null ? Long.MAX_VALUE : clock.nanoTime() + timeout.toNanos();
        String authority = base.getHost() + ":" + (base.getPort() < 0 ? 80 : base.getPort());
        Pool pool = idle.computeIfAbsent(authority, k -> new Pool());
        Connection c = takeIdle(pool);
        boolean keep = false;
        try {
            if (c == null) {
                c = connect(base, deadline);
            }
            c.write(request(method, target, authority, headers, body));
            HttpResult result = c.read(method, deadline);
            if (c.reusable) {
                c.idleSince = clock.nanoTime();
                keep = pool.offer(c);
            }
            return result;
        } catch (SocketTimeoutException e) {
            throw new HttpTimeoutException("no answer from " + authority + target + " within " + timeout);
        } catch (IOException e) {
            if (Thread.interrupted()) { // a virtual thread's socket I/O ends with the socket closed
                throw new InterruptedException(method + " " + target + " interrupted");
            }
            throw e;
        } finally {
            if (!keep && c != null) {
                c.close(); // failed, timed out, or told to close: its state is unknown or spent
            }
        }
    }

    private Connection takeIdle(Pool pool) {
        long now = clock.nanoTime();
        for (Connection c; (c = pool.poll()) != null; ) {
            if (now - c.idleSince < MAX_IDLE.toNanos()) {
                return c;
            }
            c.close();
        }
        return null;
    }

    private Connection connect(URI base, long deadline) throws IOException {
        long remaining = Math.min(connectTimeout.toNanos(), deadline - clock.nanoTime());
        if (remaining <= 0) {
            throw new HttpConnectTimeoutException("no time left to connect to " + base);
        }
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true); // a request is one write; do not let Nagle hold it back
            s.connect(new InetSocketAddress(base.getHost(), base.getPort() < 0 ? 80 : base.getPort()),
                    (int) Math.max(1, remaining / 1_000_000));
        } catch (SocketTimeoutException e) {
            s.close();
            throw new HttpConnectTimeoutException("connecting to " + base + " timed out");
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return new Connection(s, clock);
    }

    private static byte[] request(String method, String target, String authority, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: ")
                .append(authority).append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (body != null || !method.equals("GET")) {
            head.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n");
        }
        byte[] h = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        if (body == null || body.length == 0) {
            return h;
        }
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /** One socket with its read buffer. Confined to one thread at a time (see the class comment). */
    private static final class Connection {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final NanoClock clock;
        final byte[] buf = new byte[8192];
        int pos;
        int lim;
        long deadline;
        long idleSince;
        boolean reusable;

        Connection(Socket socket, NanoClock clock) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            this.clock = clock;
        }

        void write(byte[] request) throws IOException {
            out.write(request);
            out.flush();
        }

        HttpResult read(String method, long deadline) throws IOException {
            this.deadline = deadline;
            String statusLine = line();
            if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.x status line: '" + Json.abbreviate(statusLine) + "'");
            }
            int status;
            try {
                status = Integer.parseInt(statusLine, 9, 12, 10);
            } catch (NumberFormatException e) {
                throw new IOException("bad status in '" + Json.abbreviate(statusLine) + "'");
            }
            Map<String, String> headers = new HashMap<>();
            for (String h; !(h = line()).isEmpty(); ) {
                int colon = h.indexOf(':');
                if (colon > 0) {
                    headers.merge(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim(),
                            (a, b) -> a + "," + b);
                }
            }
            String length = headers.get("content-length");
            byte[] body;
            boolean toEof = false;
            if (method.equals("HEAD") || status == 204 || status == 304 || status / 100 == 1) {
                body = new byte[0];
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = chunked();
            } else if (length != null) {
                body = exactly(Integer.parseInt(length.trim()));
            } else {
                body = toEnd();
                toEof = true;
            }
            reusable = !toEof && !"close".equalsIgnoreCase(headers.get("connection")) && statusLine.startsWith("HTTP/1.1");
            return new HttpResult(status, new String(body, StandardCharsets.UTF_8), headers);
        }

        private boolean fill() throws IOException {
            long left = deadline == Long.MAX_VALUE ? 0 : (deadline - clock.nanoTime()) / 1_000_000;
            if (deadline != Long.MAX_VALUE && left < 1) {
                throw new SocketTimeoutException("deadline passed");
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left)); // 0: no timeout
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                return false;
            }
            pos = 0;
            lim = n;
            return true;
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder(64);
            while (true) {
                if (pos == lim && !fill()) {
                    throw new EOFException("connection closed by the server before the answer was complete");
                }
                byte c = buf[pos++];
                if (c == '\n') {
                    int n = b.length();
                    return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
                }
                if (b.length() >= MAX_HEADER_LINE) {
                    throw new IOException("header line longer than " + MAX_HEADER_LINE + " bytes");
                }
                b.append((char) (c & 0xff));
            }
        }

        private byte[] exactly(int n) throws IOException {
            byte[] out = new byte[n];
            int got = 0;
            while (got < n) {
                if (pos == lim && !fill()) {
                    throw new EOFException("connection closed after " + got + " of " + n + " body bytes");
                }
                int k = Math.min(n - got, lim - pos);
                System.arraycopy(buf, pos, out, got, k);
                pos += k;
                got += k;
            }
            return out;
        }

        private byte[] chunked() throws IOException {
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            while (true) {
                String size = line();
                int semi = size.indexOf(';');
                int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (n == 0) {
                    while (!line().isEmpty()) { // trailers
                    }
                    return body.toByteArray();
                }
                body.writeBytes(exactly(n));
                line(); // the CRLF after each chunk
            }
        }

        private byte[] toEnd() throws IOException {
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            body.write(buf, pos, lim - pos);
            pos = lim;
            while (fill()) {
                body.write(buf, 0, lim);
                pos = lim;
            }
            return body.toByteArray();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a socket we are done with: nothing to recover
            }
        }
    }
}
