package frl.resilience.breaker;

import java.time.Duration;

/**
 * A circuit breaker refused the call without making it: maps to HTTP 503 with {@code Retry-After}.
 * Names the breaker and says when it expects to let calls through again.
 *
 * <p>No stack trace: while a breaker is open this is thrown for every call, and a stack per
 * rejection would cost CPU exactly when failing fast is the point. The name says where.
 */
public class CircuitOpenException extends RuntimeException {
    private final String breakerName;
    private final Duration retryAfter;

    public CircuitOpenException(String breakerName, Duration retryAfter) {
        super("circuit breaker '" + breakerName + "' is open; retry after " + retryAfter.toMillis() + " ms",
                null, false, false);
        this.breakerName = breakerName;
        this.retryAfter = retryAfter;
    }

    public String breakerName() {
        return breakerName;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** {@link #retryAfter()} as the {@code Retry-After} header wants it: whole seconds, rounded up, at least 1. */
    public long retryAfterSeconds() {
        return Math.max(1, retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0));
    }
}
