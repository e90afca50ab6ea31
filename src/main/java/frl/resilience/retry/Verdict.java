package frl.resilience.retry;

import frl.resilience.BulkheadFullException;
import frl.resilience.Deadline;
import frl.resilience.DeadlineExceededException;
import frl.resilience.breaker.CircuitOpenException;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * What one attempt's outcome means: the only thing {@link Retry} and
 * {@link frl.resilience.compose.Resilience} ask about a result or an exception.
 *
 * <p>Two questions hide in every outcome, and they have different answers:
 * <ul>
 * <li><b>May we try again?</b> Only if the same request could succeed a moment later: the
 *     connection failed, the call timed out, the server said 502/503/504, or 429 (too many
 *     requests, honouring its {@code Retry-After}). Never another 4xx: the request itself is wrong
 *     and will be wrong again. Not 500 either: it usually means a bug that a retry just repeats.
 * <li><b>Is the downstream unhealthy?</b> ({@link #isDownstreamFailure()}, what the circuit
 *     breaker records.) Every retryable outcome, and a 500, say yes. A 4xx says no: the server
 *     answered correctly that our request was bad (a declined payment must not open a breaker).
 *     A rejection by our own breaker, bulkhead or deadline says nothing about the downstream.
 * </ul>
 *
 * <p>{@code Retry-After} is read only as delta-seconds. Its other form, an HTTP date, is an
 * absolute time on the server's wall clock, and two hosts' clocks never agree (the reason
 * {@link Deadline} travels as a remaining budget): an HTTP date is treated as absent.
 *
 * <p>Immutable values; thread-safe.
 */
public sealed interface Verdict {

    /** The call did what was asked. */
    record Success() implements Verdict {}

    /** Worth another attempt; {@code retryAfter} (nullable) is the server's lower bound on the wait. */
    record Retryable(String reason, Duration retryAfter) implements Verdict {
        public Retryable {
            Objects.requireNonNull(reason, "reason");
            if (retryAfter != null && retryAfter.isNegative()) {
                throw new IllegalArgumentException("retryAfter must not be negative, was " + retryAfter);
            }
        }
    }

    /** Final; {@code downstreamFault} says whether the breaker should count it against the downstream. */
    record NonRetryable(String reason, boolean downstreamFault) implements Verdict {
        public NonRetryable {
            Objects.requireNonNull(reason, "reason");
        }
    }

    Verdict SUCCESS = new Success();

    /** Whether the circuit breaker records this outcome as a failure of the downstream. */
    default boolean isDownstreamFailure() {
        return switch (this) {
            case Success s -> false;
            case Retryable r -> true;
            case NonRetryable n -> n.downstreamFault();
        };
    }

    /** Classifies an HTTP status; {@code retryAfterHeader} is the raw header value or null. */
    static Verdict ofHttp(int status, String retryAfterHeader) {
        if (status < 400) {
            return SUCCESS;
        }
        return switch (status) {
            case 429, 503 -> new Retryable("HTTP " + status, parseRetryAfter(retryAfterHeader));
            case 502, 504 -> new Retryable("HTTP " + status, null);
            default -> new NonRetryable("HTTP " + status, status >= 500);
        };
    }

    /** The classifier for {@code java.net.http} responses: {@code Verdict.http()} fits {@link Retry#call}. */
    static <B> Function<HttpResponse<B>, Verdict> http() {
        return response -> ofHttp(response.statusCode(), response.headers().firstValue("Retry-After").orElse(null));
    }

    /**
     * Classifies an exception thrown by an attempt. Connection failures
     * ({@code java.net.ConnectException}), HTTP timeouts ({@code java.net.http.HttpTimeoutException})
     * and every other {@link IOException} are transient; so is a {@link TimeoutException}.
     * Rejections by our own layers, a spent deadline and an interrupt are final and are not the
     * downstream's fault. Anything else (a bug, a bad argument) is final and counts against it.
     */
    static Verdict of(Throwable error) {
        String reason = error.getClass().getSimpleName() + ": " + error.getMessage();
        return switch (error) {
            case CircuitOpenException e -> new NonRetryable(reason, false);
            case BulkheadFullException e -> new NonRetryable(reason, false);
            case DeadlineExceededException e -> new NonRetryable(reason, false);
            case InterruptedException e -> new NonRetryable(reason, false);
            case IOException e -> new Retryable(reason, null);
            case TimeoutException e -> new Retryable(reason, null);
            default -> new NonRetryable(reason, true);
        };
    }

    /** Delta-seconds ("120") or null; anything else (an HTTP date, garbage, a negative) is null. */
    static Duration parseRetryAfter(String header) {
        if (header == null || !header.trim().matches("[0-9]{1,9}")) {
            return null;
        }
        return Duration.ofSeconds(Long.parseLong(header.trim()));
    }
}
