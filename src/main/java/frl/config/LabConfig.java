package frl.config;

import frl.resilience.Bulkhead;
import frl.resilience.Deadline;
import frl.resilience.LoadShedder;
import frl.resilience.breaker.CircuitBreakerConfig;
import frl.resilience.retry.Retry;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One experiment configuration (A to F): which resilience patterns are on, each with its own
 * configuration record. A pattern's record holds its knobs and their defaults; this record only
 * says which of them a configuration uses, so no knob is written twice.
 *
 * <p>A request picks its configuration with the {@code X-Client-Config} header, so one running stack
 * serves all six and an experiment can interleave them. The table itself is {@link ConfigTable}.
 * Immutable, so thread-safe.
 *
 * @param name        the letter, A..F
 * @param description what this configuration adds, in one line (printed in results and README)
 * @param retry       retries at every hop; {@code maxAttempts} 1 is none (A)
 * @param timeouts    per-hop timeout and the deadline the gateway starts. Off (A, B): no call has a
 *                    timeout and the deadline is only propagated, to count wasted work, never enforced
 * @param breaker     one breaker per downstream (D, E, F)
 * @param bulkheads   a bulkhead in front of payments and of inventory (E, F)
 * @param shedding    the gateway's in-flight limit (E, F)
 * @param idempotency Idempotency-Key on POST /orders, idempotent charges and notifications (F)
 * @param outbox      the notification as an outbox row in the order's transaction (F)
 */
public record LabConfig(
        char name,
        String description,
        Retry.Policy retry,
        Layer<Deadline.Config> timeouts,
        Layer<CircuitBreakerConfig> breaker,
        Layer<Bulkheads> bulkheads,
        Layer<LoadShedder.Config> shedding,
        boolean idempotency,
        boolean outbox) {

    public LabConfig {
        if (name < 'A' || name > 'F') {
            throw new IllegalArgumentException("config name must be A..F, got '" + name + "'");
        }
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(breaker, "breaker");
        Objects.requireNonNull(bulkheads, "bulkheads");
        Objects.requireNonNull(shedding, "shedding");
    }

    /**
     * A pattern's configuration and whether this configuration turns the pattern on. A pattern that
     * is off still has its knobs, so every result records what the levers were set to.
     */
    public record Layer<C>(boolean enabled, C config) {
        public Layer {
            Objects.requireNonNull(config, "config");
        }

        public static <C> Layer<C> on(C config) {
            return new Layer<>(true, config);
        }

        public static <C> Layer<C> off(C config) {
            return new Layer<>(false, config);
        }
    }

    /**
     * The two bulkheads the spec names: payments and inventory. Other calls (gateway to orders,
     * orders to notifications) have none: a bulkhead in front of orders would cap the whole stack at
     * the gateway instead of isolating one dependency.
     */
    public record Bulkheads(Bulkhead.Config payments, Bulkhead.Config inventory) {
        public Bulkheads {
            Objects.requireNonNull(payments, "payments");
            Objects.requireNonNull(inventory, "inventory");
        }

        /** The bulkhead for a downstream, or null when it has none. */
        public Bulkhead.Config forDownstream(String downstream) {
            return switch (downstream) {
                case "payments" -> payments;
                case "inventory" -> inventory;
                default -> null;
            };
        }
    }

    /**
     * Every knob as plain values (durations in milliseconds, keys suffixed {@code _ms}), as
     * {@code GET /admin/config} shows it; the experiment copies that into results/run.json, so a
     * result names every lever. The key names are part of that record and do not change.
     */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("description", description);
        m.put("retry", ordered("maxAttempts", retry.maxAttempts(), "base_ms", retry.backoff().base().toMillis(),
                "cap_ms", retry.backoff().cap().toMillis(), "jitter", retry.backoff().jitter().name()));
        Deadline.Config t = timeouts.config();
        m.put("timeouts", ordered("enabled", timeouts.enabled(), "hop_ms", t.hopTimeout().toMillis(),
                "deadline_ms", t.budget().toMillis()));
        CircuitBreakerConfig b = breaker.config();
        m.put("breaker", ordered("enabled", breaker.enabled(), "failureThreshold", b.failureThreshold(),
                "failureRate", b.failureRatePercent() / 100.0, "minimumCalls", b.minimumCalls(),
                "window_ms", Duration.ofSeconds(b.windowSize()).toMillis(), "open_ms", b.openDuration().toMillis(),
                "halfOpenProbes", b.permittedHalfOpenCalls(),
                "slowCall_ms", b.slowCallThreshold() == null ? 0L : b.slowCallThreshold().toMillis()));
        m.put("bulkheads", ordered("enabled", bulkheads.enabled(),
                "payments", bulkheads.config().payments().maxConcurrent(),
                "inventory", bulkheads.config().inventory().maxConcurrent()));
        m.put("shedding", ordered("enabled", shedding.enabled(), "maxInFlight", shedding.config().maxInFlight()));
        m.put("idempotency", idempotency);
        m.put("outbox", outbox);
        return m;
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
