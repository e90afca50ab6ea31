package frl.http;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP/1.1 client our services call each other with: Apache HttpClient 5's classic (blocking)
 * API on the caller's virtual thread, over a pool of keep-alive connections per downstream.
 *
 * <p><b>Why this client.</b> {@code java.net.http.HttpClient} is asynchronous inside: every
 * request crosses its selector thread and executor several times, and under the lab's load that
 * machinery was 41-46% of the CPU of the gateway and of orders (results/*-bench/summary.md). A
 * blocking client on a virtual thread costs what the JDK's socket poller costs and little else.
 * Apache's classic client is such a client, and a connection pool is exactly the kind of code we do
 * not hand-write: leases, stale connections, half-read bodies and {@code Connection: close} are its
 * maintainers' daily work. Its pool locks with {@code ReentrantLock}, never around socket I/O, so
 * a virtual thread waiting for an answer does not pin its carrier (checked with JFR's
 * {@code jdk.VirtualThreadPinned}).
 *
 * <p><b>Pool settings</b> (one {@link PoolingHttpClientConnectionManager} per client):
 * <ul>
 *   <li>{@link #MAX_CONNECTIONS_PER_DOWNSTREAM} connections per downstream: the pool must not be a
 *       hidden bulkhead. Limiting concurrency is the patterns' job, and configurations A and B
 *       have none, on purpose; Apache's default (5 per route) would queue their calls here.</li>
 *   <li>LIFO reuse: the most recently returned connection goes out first, so a few hot
 *       connections carry the load and the rest age out.</li>
 *   <li>Idle connections are closed after {@link #MAX_IDLE} (a background evictor thread), and one
 *       idle for more than {@link #VALIDATE_AFTER_IDLE} is checked before reuse: the JDK server
 *       closes idle connections after 30 s ({@code sun.net.httpserver.idleInterval}), and a request
 *       written into a connection the server is closing would be lost.</li>
 *   <li>Nothing is re-sent (automatic retries off): retrying is the {@link frl.resilience.Retry}
 *       layer's decision. No redirects, cookies, compression or auth: loopback calls between our
 *       own services.</li>
 * </ul>
 *
 * <p><b>Timeouts.</b> Connecting is bounded by the constructor's connect timeout; the call's
 * {@code timeout} bounds the wait for a free pooled connection and each wait for the answer's bytes
 * (Apache's response timeout). Our answers are a few hundred bytes, written at once, so the latter
 * is the wait for the whole answer.
 *
 * <p><b>Errors</b>, as {@code java.net.http} reports them, so the patterns classify them the same
 * way: a timeout is an {@link HttpTimeoutException} ({@link HttpConnectTimeoutException} while
 * connecting), a refused connection a {@link ConnectException}, anything else an
 * {@link IOException}; an interrupt during I/O is an {@link InterruptedException}.
 *
 * <p>Thread-safe: Apache's client and pool are; a leased connection is used by one thread at a time.
 */
public final class ServiceClient implements AutoCloseable {
    /** Open connections allowed per downstream: high enough never to be the limit (see above). */
    public static final int MAX_CONNECTIONS_PER_DOWNSTREAM = 1024;
    /** Close a connection idle this long (the JDK server's idle limit is 30 s). */
    public static final Duration MAX_IDLE = Duration.ofSeconds(10);
    /** Check a connection idle this long is still open before reusing it (one non-blocking read). */
    public static final Duration VALIDATE_AFTER_IDLE = Duration.ofSeconds(2);

    private static final RequestConfig NO_TIMEOUT = RequestConfig.custom()
            .setResponseTimeout(Timeout.DISABLED).setConnectionRequestTimeout(Timeout.DISABLED).build();

    private final PoolingHttpClientConnectionManager pool;
    private final CloseableHttpClient http;

    public ServiceClient(Duration connectTimeout) {
        this.pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.STRICT)
                .setConnPoolPolicy(PoolReusePolicy.LIFO)
                .setMaxConnPerRoute(MAX_CONNECTIONS_PER_DOWNSTREAM)
                .setMaxConnTotal(MAX_CONNECTIONS_PER_DOWNSTREAM * 8)
                .setDefaultSocketConfig(SocketConfig.custom().setTcpNoDelay(true).build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(connectTimeout))
                        .setValidateAfterInactivity(TimeValue.of(VALIDATE_AFTER_IDLE))
                        .build())
                .build();
        this.http = HttpClients.custom()
                .setConnectionManager(pool)
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableContentCompression()
                .disableAuthCaching()
                .disableConnectionState()
                .evictIdleConnections(TimeValue.of(MAX_IDLE))
                .build();
    }

    /**
     * Sends one request and reads the whole answer.
     *
     * @param base    scheme, host and port (http only)
     * @param target  path and query, e.g. {@code /orders/42}
     * @param headers extra request headers (Host and Content-Length are added by the client)
     * @param body    request body, or null for none
     * @param timeout bound on the wait for a connection and for the answer (see the class comment);
     *                null waits forever
     */
    public HttpResult send(URI base, String method, String target, Map<String, String> headers, byte[] body,
                           Duration timeout) throws IOException, InterruptedException {
        HttpHost host = new HttpHost(base.getScheme(), base.getHost(), base.getPort());
        BasicClassicHttpRequest request = new BasicClassicHttpRequest(method, host, target);
        headers.forEach(request::addHeader);
        if (body != null || !method.equals("GET")) { // a body-less POST still says Content-Length: 0
            request.setEntity(new ByteArrayEntity(body == null ? new byte[0] : body, null));
        }
        HttpClientContext context = HttpClientContext.create();
        context.setRequestConfig(timeout == null ? NO_TIMEOUT : RequestConfig.custom()
                .setResponseTimeout(Timeout.of(timeout)).setConnectionRequestTimeout(Timeout.of(timeout)).build());
        try {
            return http.execute(host, request, context, ServiceClient::read);
        } catch (ConnectTimeoutException e) {
            throw new HttpConnectTimeoutException("connecting to " + base + " timed out");
        } catch (SocketTimeoutException e) {
            throw new HttpTimeoutException("no answer from " + base + target + " within " + timeout);
        } catch (InterruptedIOException e) { // the pool's lease, interrupted or timed out
            if (Thread.interrupted()) {
                throw new InterruptedException(method + " " + target + " interrupted");
            }
            throw new HttpTimeoutException("no free connection to " + base + " within " + timeout);
        } catch (IOException e) {
            if (Thread.interrupted()) { // a virtual thread's socket I/O ends with the socket closed
                throw new InterruptedException(method + " " + target + " interrupted");
            }
            throw e;
        }
    }

    /** The whole answer; Apache releases the connection to the pool once the body is read. */
    private static HttpResult read(ClassicHttpResponse response) throws IOException {
        Map<String, String> headers = new HashMap<>();
        for (Header h : response.getHeaders()) {
            headers.merge(h.getName().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + "," + b);
        }
        HttpEntity entity = response.getEntity();
        String body = entity == null ? "" : new String(EntityUtils.toByteArray(entity), StandardCharsets.UTF_8);
        return new HttpResult(response.getCode(), body, headers);
    }

    /** Closes every pooled connection and stops the idle evictor. */
    @Override
    public void close() throws IOException {
        http.close();
    }
}
