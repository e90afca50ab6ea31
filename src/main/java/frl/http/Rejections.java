package frl.http;

import frl.resilience.BulkheadFullException;
import frl.resilience.DeadlineExceededException;
import frl.resilience.LoadShedder;
import frl.resilience.breaker.CircuitOpenException;
import frl.resilience.idempotency.IdempotencyUnavailableException;

import java.time.Duration;
import java.util.Map;

/**
 * The one table from a pattern's refusal to its HTTP answer. Every service answers a refusal the
 * same way, and a client (or our own {@code Retry}) can tell from the status alone whether to come
 * back, and from {@code Retry-After} when:
 * <pre>
 *   refusal                                  status  error                    Retry-After
 *   open breaker (CircuitOpenException)      503     circuit_open             until it lets a probe through
 *   full bulkhead (BulkheadFullException)    503     bulkhead_full            1 s
 *   shed at the gateway (LoadShedder)        503     overloaded               the shedder's retryAfter (1 s)
 *   Redis down (IdempotencyUnavailable...)   503     idempotency_unavailable  1 s
 *   same Idempotency-Key still in flight     409     idempotency_in_flight    1 s
 *   same Idempotency-Key, another body       422     idempotency_key_reused   none: retrying cannot help
 *   deadline spent (DeadlineExceeded...)     504     deadline_exceeded        none: the caller has given up
 * </pre>
 * Shedding answers 503 rather than 429: 429 says "you, this client, send too much", and the
 * gateway sheds because everyone together does. 1 s is {@link #SHORTEST_RETRY_AFTER}: where a
 * pattern cannot know when it will have room again, it asks for the shortest pause HTTP can say.
 *
 * <p>Stateless, so thread-safe.
 */
public final class Rejections {
    /** {@code Retry-After} counts whole seconds, and 0 would invite an immediate retry. */
    public static final Duration SHORTEST_RETRY_AFTER = Duration.ofSeconds(1);

    private Rejections() {
    }

    /**
     * A refusal as HTTP.
     *
     * @param retryAfter when to come back, or null when coming back cannot help
     */
    public record Rejection(int status, String code, String detail, Duration retryAfter) {
        /** As the exception a handler throws; the server writes {@code {"error": code, "detail": detail}}. */
        public ApiException toException() {
            return new ApiException(status, code, detail, headers());
        }

        public Map<String, String> headers() {
            return retryAfter == null ? Map.of() : Map.of(Headers.RETRY_AFTER, retryAfterSeconds(retryAfter));
        }
    }

    /** The row for {@code e}, or null when {@code e} is not a refusal by one of our patterns. */
    public static Rejection of(Throwable e) {
        return switch (e) {
            case CircuitOpenException c -> new Rejection(503, "circuit_open", c.getMessage(), c.retryAfter());
            case BulkheadFullException b -> new Rejection(503, "bulkhead_full", b.getMessage(), SHORTEST_RETRY_AFTER);
            case DeadlineExceededException d -> new Rejection(504, "deadline_exceeded", d.getMessage(), null);
            case IdempotencyUnavailableException i -> new Rejection(503, "idempotency_unavailable",
                    "idempotency store (Redis) unavailable; refusing rather than risking a duplicate: " + i.getMessage(),
                    SHORTEST_RETRY_AFTER);
            default -> null;
        };
    }

    /** The gateway shed this request: {@code tryAcquire()} said no (a return value, not an exception). */
    public static Rejection shed(LoadShedder shedder) {
        return new Rejection(503, "overloaded", "gateway is shedding load: " + shedder.inFlight()
                + " requests in flight (max " + shedder.config().maxInFlight() + ")", shedder.retryAfter());
    }

    /** An earlier request with this Idempotency-Key has not finished: come back once it has. */
    public static Rejection idempotencyInFlight() {
        return new Rejection(409, "idempotency_in_flight",
                "a request with this Idempotency-Key is still being processed; retry later", SHORTEST_RETRY_AFTER);
    }

    /** The key was first used with another body: the same key cannot mean two requests. */
    public static Rejection idempotencyKeyReused() {
        return new Rejection(422, "idempotency_key_reused", "this Idempotency-Key was used with a different request body", null);
    }

    /** {@code d} as the {@code Retry-After} header wants it: whole seconds, rounded up, at least 1. */
    public static String retryAfterSeconds(Duration d) {
        long seconds = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return Long.toString(Math.max(1, seconds));
    }
}
