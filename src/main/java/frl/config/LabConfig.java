package frl.config;

import frl.resilience.Backoff;

import java.time.Duration;

/**
 * One experiment configuration (A to F): which resilience patterns are on, and every knob they use.
 *
 * <p>A request picks its configuration with the {@code X-Client-Config} header, so one running stack
 * serves all six and an experiment can interleave them. The table itself is {@link ConfigTable};
 * this record only holds and validates values. Immutable, so thread-safe.
 *
 * @param name        the letter, A..F
 * @param description what this configuration adds, in one line (printed in results and README)
 */
public record LabConfig(
        char name,
        String description,
        RetryKnobs retry,
        TimeoutKnobs timeouts,
        BreakerKnobs breaker,
        BulkheadKnobs bulkheads,
        SheddingKnobs shedding,
        boolean idempotency,
        boolean outbox) {

    public LabConfig {
        if (name < 'A' || name > 'F') {
            throw new IllegalArgumentException("config name must be A..F, got '" + name + "'");
        }
    }

    /**
     * Retries at every hop. {@code maxAttempts} counts the first attempt, so 1 means "no retries".
     * Spec: 3 attempts, 100 ms base.
     */
    public record RetryKnobs(int maxAttempts, Duration base, Duration cap, Backoff.Jitter jitter) {
        public RetryKnobs {
            if (maxAttempts < 1 || maxAttempts > 10) {
                throw new IllegalArgumentException("retry maxAttempts must be 1..10, got " + maxAttempts);
            }
            if (base.isNegative() || cap.compareTo(base) < 0) {
                throw new IllegalArgumentException("retry needs 0 <= base <= cap, got base=" + base + " cap=" + cap);
            }
        }

        public boolean enabled() {
            return maxAttempts > 1;
        }
    }

    /**
     * Per-hop read timeout and the end-to-end deadline the gateway starts. When {@code enabled} is
     * false no call has a timeout and the deadline is only recorded (to count wasted work), never
     * enforced. Spec: read 10 s, deadline 25 s.
     */
    public record TimeoutKnobs(boolean enabled, Duration hop, Duration deadline) {
        public TimeoutKnobs {
            if (!hop.isPositive() || !deadline.isPositive()) {
                throw new IllegalArgumentException("timeouts must be positive, got hop=" + hop + " deadline=" + deadline);
            }
        }
    }

    /**
     * One breaker per downstream. It trips when, within a {@code window} of time, at least
     * {@code minimumCalls} calls were made and the failure rate reached {@code failureRate}, or when
     * the failures reached {@code failureThreshold} (0 = that rule off). Spec: threshold 5, open 30 s.
     */
    public record BreakerKnobs(boolean enabled, int failureThreshold, double failureRate, int minimumCalls,
                               Duration window, Duration open, int halfOpenProbes, Duration slowCall) {
        public BreakerKnobs {
            if (failureThreshold < 0) {
                throw new IllegalArgumentException("breaker failureThreshold must be >= 0 (0 = off), got " + failureThreshold);
            }
            if (!(failureRate > 0 && failureRate <= 1)) {
                throw new IllegalArgumentException("breaker failureRate must be in (0, 1], got " + failureRate);
            }
            if (minimumCalls < 1 || halfOpenProbes < 1) {
                throw new IllegalArgumentException("breaker minimumCalls and halfOpenProbes must be >= 1, got "
                        + minimumCalls + " and " + halfOpenProbes);
            }
            if (window.toSeconds() < 1 || !open.isPositive()) {
                throw new IllegalArgumentException("breaker window must be >= 1 s and open > 0, got " + window + " and " + open);
            }
        }
    }

    /**
     * Concurrent calls allowed to payments and to inventory; a full bulkhead rejects at once.
     * Spec: 20 and 20. Other calls (gateway to orders, orders to notifications) have none: the
     * spec names these two, and a bulkhead in front of orders would cap the whole stack at the
     * gateway instead of isolating one dependency.
     */
    public record BulkheadKnobs(boolean enabled, int payments, int inventory) {
        public BulkheadKnobs {
            if (payments < 1 || inventory < 1) {
                throw new IllegalArgumentException("bulkhead sizes must be >= 1, got payments=" + payments + " inventory=" + inventory);
            }
        }

        /** The bulkhead size for a downstream, or 0 when it has none. */
        public int sizeFor(String downstream) {
            return switch (downstream) {
                case "payments" -> payments;
                case "inventory" -> inventory;
                default -> 0;
            };
        }
    }

    /** Gateway load shedding: at most {@code maxInFlight} requests inside the gateway. Spec: 200. */
    public record SheddingKnobs(boolean enabled, int maxInFlight) {
        public SheddingKnobs {
            if (maxInFlight < 1) {
                throw new IllegalArgumentException("shedding maxInFlight must be >= 1, got " + maxInFlight);
            }
        }
    }
}
