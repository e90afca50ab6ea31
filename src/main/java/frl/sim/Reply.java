package frl.sim;

import frl.http.Rejections;

import java.time.Duration;

/**
 * An HTTP answer as the simulated services pass it around: what the callers' classifiers and the
 * audit read, and nothing else (no body, no headers but one).
 *
 * @param status     the HTTP status
 * @param retryAfter the {@code Retry-After} header as the real service sends it (delta-seconds), or null
 * @param orderId    the order a 201 from orders (or the gateway) confirms; 0 otherwise
 */
record Reply(int status, String retryAfter, long orderId) {

    static Reply of(int status) {
        return new Reply(status, null, 0);
    }

    /** A refusal that tells the caller when to come back. */
    static Reply retryAfter(int status, long seconds) {
        return new Reply(status, Long.toString(seconds), 0);
    }

    /** A refusal whose wait is a duration, rounded to the header as the real server rounds it. */
    static Reply retryAfter(int status, Duration wait) {
        return new Reply(status, Rejections.retryAfterSeconds(wait), 0);
    }

    static Reply created(long orderId) {
        return new Reply(201, null, orderId);
    }

    boolean is(int s) {
        return status == s;
    }
}
