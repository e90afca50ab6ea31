package frl.experiment.stack;

import com.fasterxml.jackson.databind.JsonNode;
import frl.experiment.load.Outcome;
import frl.experiment.load.Transport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The real {@link Transport}: one HTTP POST per attempt with the wire contract's headers
 * (docs/architecture.md): {@code Idempotency-Key} (the arrival's, the same on re-sends),
 * {@code X-Request-Id} (key + "/" + attempt), {@code X-Client-Config} (A..F) and, if the policy
 * says so, {@code X-Deadline-Remaining-Ms} (the attempt's timeout: a budget, never a clock time).
 *
 * <p>Classification: HttpTimeoutException (including a connect timeout: the caller waited and gave
 * up) is TIMEOUT; any other IOException is CONNECTION; a response is classified by status
 * ({@link Outcome#ofStatus}). The body of a 201 is read for {@code order_id}, which the audit
 * matches against the orders table.
 *
 * <p>HTTP/1.1 on purpose: the JDK client would otherwise try an h2c upgrade on every connection,
 * and the lab's servers speak HTTP/1.1. The JDK client opens as many connections as there are
 * requests in flight, so a slow server never makes the driver queue (no hidden closed loop).
 *
 * <p>Thread-safe: immutable; {@link HttpClient} is thread-safe.
 */
public final class HttpTransport implements Transport {
    /**
     * In a body, replaced by one of the catalogue's first {@link #PRODUCTS} products, chosen by the
     * arrival's index: requests spread over the catalogue, and every re-send of an arrival sends the
     * same body (as an idempotent retry must).
     */
    public static final String PRODUCT = "{product}";
    public static final int PRODUCTS = 20;

    private final HttpClient client;
    private final URI target;
    private final String clientConfig;
    private final String body;
    private final boolean deadlineHeader;

    public HttpTransport(HttpClient client, URI target, String clientConfig, String body, boolean deadlineHeader) {
        this.client = client;
        this.target = target;
        this.clientConfig = clientConfig;
        this.body = body;
        this.deadlineHeader = deadlineHeader;
    }

    /** A client for load: HTTP/1.1, connect bounded by the client timeout, no redirects. */
    public static HttpClient newClient(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Reply send(Attempt attempt) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(attempt.timeout())
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", attempt.idempotencyKey())
                .header("X-Request-Id", attempt.idempotencyKey() + "/" + attempt.attempt())
                .header("X-Client-Config", clientConfig)
                .POST(HttpRequest.BodyPublishers.ofString(bodyFor(attempt.arrival())));
        if (deadlineHeader) {
            request.header("X-Deadline-Remaining-Ms", Long.toString(attempt.timeout().toMillis()));
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Outcome outcome = Outcome.ofStatus(response.statusCode());
            String orderId = outcome == Outcome.SUCCESS ? orderIdOf(response.body()) : null;
            return new Reply(outcome, response.statusCode(), orderId);
        } catch (HttpTimeoutException e) {
            return Reply.of(Outcome.TIMEOUT);
        } catch (IOException e) {
            return Reply.of(Outcome.CONNECTION);
        }
    }

    String bodyFor(int arrival) {
        return body.replace(PRODUCT, "prod-%03d".formatted(Math.floorMod(arrival, PRODUCTS) + 1));
    }

    /** The {@code order_id} of a 201 body, or null if the body is not the contract's JSON. */
    static String orderIdOf(String body) {
        try {
            JsonNode id = StackJson.MAPPER.readTree(body).get("order_id");
            return id == null || id.isNull() ? null : id.asText();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
