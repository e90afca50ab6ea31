package frl.config;

import frl.resilience.AdaptiveLimit;
import frl.resilience.Backoff;
import frl.resilience.Bulkhead;
import frl.resilience.Deadline;
import frl.resilience.LoadShedder;
import frl.resilience.RetryBudget;
import frl.resilience.breaker.CircuitBreakerConfig;
import frl.resilience.retry.Retry;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One experiment configuration (A to G): which resilience patterns are on, each with its own
 * configuration record. A pattern's record holds its knobs and their defaults; this record only
 * says which of them a configuration uses, so no knob is written twice.
 *
 * <p>A request picks its configuration with the {@code X-Client-Config} header, so one running stack
 * serves all seven and an experiment can interleave them. The table itself is {@link ConfigTable}.
 * Immutable, so thread-safe.
 *
 * @param name         the letter, A..G
 * @param description  what this configuration adds, in one line (printed in results and README)
 * @param retry        retries at every hop; {@code maxAttempts} 1 is none (A)
 * @param retryBudget  a retry budget per downstream on top of the attempt limit (G)
 * @param timeouts     per-hop timeout and the deadline the gateway starts. Off (A, B): no call has a
 *                     timeout and the deadline is only propagated, to count wasted work, never enforced
 * @param breaker      one breaker per downstream (D..G)
 * @param bulkheads    a fixed bulkhead in front of payments and of inventory (E, F)
 * @param shedding     the gateway's fixed in-flight limit (E, F)
 * @param adaptive     adaptive concurrency limits where E and F have fixed ones: the gateway's front
 *                     door and the bulkheads in front of payments and inventory (G). Needs timeouts:
 *                     a call's timeout is the yardstick its latency is measured against
 * @param compensation a compensating call (releasing a reservation) goes through its own policy
 *                     instead of the forward path's patterns (G)
 * @param idempotency  Idempotency-Key on POST /orders, idempotent charges and notifications (F, G)
 * @param outbox       the notification as an outbox row in the order's transaction (F, G)
 */
public record LabConfig(
        char name,
        String description,
        Retry.Policy retry,
        Layer<RetryBudget.Config> retryBudget,
        Layer<Deadline.Config> timeouts,
        Layer<CircuitBreakerConfig> breaker,
        Layer<Bulkheads> bulkheads,
        Layer<LoadShedder.Config> shedding,
        Layer<AdaptiveLimit.Config> adaptive,
        Layer<Compensation> compensation,
        boolean idempotency,
        boolean outbox) {

    public LabConfig {
        if (name < 'A' || name > 'G') {
            throw new IllegalArgumentException("config name must be A..G, got '" + name + "'");
        }
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(retryBudget, "retryBudget");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(breaker, "breaker");
        Objects.requireNonNull(bulkheads, "bulkheads");
        Objects.requireNonNull(shedding, "shedding");
        Objects.requireNonNull(adaptive, "adaptive");
        Objects.requireNonNull(compensation, "compensation");
        if (adaptive.enabled() && !timeouts.enabled()) {
            throw new IllegalArgumentException("config " + name + ": adaptive limits need timeouts, the yardstick of their latency");
        }
        if (adaptive.enabled() && (bulkheads.enabled() || shedding.enabled())) {
            throw new IllegalArgumentException("config " + name + ": adaptive limits take the place of fixed bulkheads and shedding, not both");
        }
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
     * The policy of a compensating call (orders releasing a reservation after a failed step): more
     * patient than the forward path, because giving up leaves stock held until the recovery sweep.
     * Its own retries and timeouts, and no breaker or bulkhead: the forward path's refuse exactly
     * when compensations are needed (the dependency just failed), and refusing the release is what
     * left F's orders PENDING. It has no deadline of the request's either: the order usually failed
     * because that one ran out. Its own {@code timeouts.budget()} bounds it instead, kept below the
     * idempotency lock's 30 s, so a replay of the key finds the order decided.
     *
     * <p>Knobs: {@link #DEFAULT_MAX_ATTEMPTS} 6 (counting the first), backoff from
     * {@link #DEFAULT_BACKOFF_BASE} 200 ms doubling to {@link #DEFAULT_BACKOFF_CAP} 3 s with full
     * jitter (at most about 6 s of waiting in all), {@link #DEFAULT_HOP_TIMEOUT} 10 s per attempt and
     * {@link #DEFAULT_BUDGET} 20 s for the whole compensation. More attempts or a longer budget hold
     * the failed request's thread longer (its client is usually gone); fewer leave more to the sweep.
     */
    public record Compensation(Retry.Policy retry, Deadline.Config timeouts) {
        public static final int DEFAULT_MAX_ATTEMPTS = 6;
        public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofMillis(200);
        public static final Duration DEFAULT_BACKOFF_CAP = Duration.ofSeconds(3);
        public static final Duration DEFAULT_HOP_TIMEOUT = Duration.ofSeconds(10);
        public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(20);

        public Compensation {
            Objects.requireNonNull(retry, "retry");
            Objects.requireNonNull(timeouts, "timeouts");
        }

        public static Compensation defaults() {
            return new Compensation(
                    Retry.Policy.of(DEFAULT_MAX_ATTEMPTS, Backoff.exponential(DEFAULT_BACKOFF_BASE, DEFAULT_BACKOFF_CAP, Backoff.Jitter.FULL)),
                    new Deadline.Config(DEFAULT_HOP_TIMEOUT, DEFAULT_BUDGET));
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
        RetryBudget.Config rb = retryBudget.config();
        m.put("retryBudget", ordered("enabled", retryBudget.enabled(), "ratio", rb.ratio(),
                "minRetriesPerSecond", rb.minRetriesPerSecond(), "window_ms", rb.window().toMillis()));
        AdaptiveLimit.Config a = adaptive.config();
        m.put("adaptive", ordered("enabled", adaptive.enabled(), "minLimit", a.minLimit(), "initialLimit", a.initialLimit(),
                "maxLimit", a.maxLimit(), "target", a.target(), "smoothing", a.smoothing()));
        Compensation c = compensation.config();
        m.put("compensation", ordered("enabled", compensation.enabled(), "maxAttempts", c.retry().maxAttempts(),
                "base_ms", c.retry().backoff().base().toMillis(), "cap_ms", c.retry().backoff().cap().toMillis(),
                "hop_ms", c.timeouts().hopTimeout().toMillis(), "deadline_ms", c.timeouts().budget().toMillis()));
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
