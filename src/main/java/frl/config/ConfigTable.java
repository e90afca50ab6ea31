package frl.config;

import frl.config.LabConfig.Bulkheads;
import frl.config.LabConfig.Layer;
import frl.resilience.Backoff;
import frl.resilience.Backoff.Jitter;
import frl.resilience.Bulkhead;
import frl.resilience.Deadline;
import frl.resilience.LoadShedder;
import frl.resilience.breaker.CircuitBreakerConfig;
import frl.resilience.retry.Retry;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The six configurations of the experiment, A to F, each adding one layer to the one before:
 *
 * <pre>
 *   A  baseline: no patterns (one attempt, no timeouts)
 *   B  A + retries at every hop, exponential backoff WITHOUT jitter, still no timeouts
 *   C  B with full jitter + per-hop timeouts + deadline propagation
 *   D  C + a circuit breaker per downstream
 *   E  D + bulkheads per downstream + load shedding at the gateway
 *   F  E + idempotency keys (Redis) + transactional outbox for notifications
 * </pre>
 *
 * <p>Every knob's default is the pattern's own ({@link Retry.Policy}, {@link Backoff},
 * {@link Deadline.Config}, {@link CircuitBreakerConfig}, {@link Bulkhead.Config},
 * {@link LoadShedder.Config}); this table only picks which patterns each configuration turns on.
 * Each knob has an environment variable that overrides it for every configuration that uses the
 * pattern, so every lever of an experiment is named and recorded; a bad value stops the start with
 * one line naming it. Immutable, so thread-safe.
 *
 * <p>One deliberate reading of the spec, explained in {@link CircuitBreakerConfig}: its breaker
 * "threshold=5" is the knob {@code LAB_BREAKER_FAILURE_THRESHOLD}, off by default; the breaker trips
 * on a failure <em>rate</em> instead (50% over at least 20 calls in 10 s). docs/findings.md shows both.
 */
public final class ConfigTable {
    /** Retries beyond this many attempts per hop only measure how much damage they do: refused. */
    static final int MAX_RETRY_ATTEMPTS = 10;

    private final Map<Character, LabConfig> configs;

    private ConfigTable(Map<Character, LabConfig> configs) {
        this.configs = Map.copyOf(configs);
    }

    public static ConfigTable defaults() {
        return fromEnv(new Env(Map.of()));
    }

    /** The table with any {@code LAB_*} overrides from the environment applied. */
    public static ConfigTable fromEnv(Env env) {
        Retry.Policy jittered = retry(env);
        Retry.Policy naive = Retry.Policy.of(jittered.maxAttempts(), withJitter(jittered.backoff(), Jitter.NONE));
        Retry.Policy none = Retry.Policy.of(1, naive.backoff());
        Deadline.Config deadline = deadline(env);
        CircuitBreakerConfig breaker = breaker(env);
        Bulkheads bulkheads = bulkheads(env);
        LoadShedder.Config shedding = shedding(env);

        Map<Character, LabConfig> table = new LinkedHashMap<>();
        table.put('A', new LabConfig('A', "baseline: no resilience patterns", none, Layer.off(deadline),
                Layer.off(breaker), Layer.off(bulkheads), Layer.off(shedding), false, false));
        table.put('B', new LabConfig('B', "retries only (naive: exponential, no jitter, no timeouts)", naive,
                Layer.off(deadline), Layer.off(breaker), Layer.off(bulkheads), Layer.off(shedding), false, false));
        table.put('C', new LabConfig('C', "retries with full jitter + per-hop timeouts + deadline", jittered,
                Layer.on(deadline), Layer.off(breaker), Layer.off(bulkheads), Layer.off(shedding), false, false));
        table.put('D', new LabConfig('D', "C + circuit breaker per downstream", jittered,
                Layer.on(deadline), Layer.on(breaker), Layer.off(bulkheads), Layer.off(shedding), false, false));
        table.put('E', new LabConfig('E', "D + bulkheads + gateway load shedding", jittered,
                Layer.on(deadline), Layer.on(breaker), Layer.on(bulkheads), Layer.on(shedding), false, false));
        table.put('F', new LabConfig('F', "E + idempotency keys + outbox", jittered,
                Layer.on(deadline), Layer.on(breaker), Layer.on(bulkheads), Layer.on(shedding), true, true));
        return new ConfigTable(table);
    }

    /** LAB_RETRY_MAX_ATTEMPTS (3, counting the first), LAB_RETRY_BASE_MS (100), LAB_RETRY_CAP_MS (2000). */
    private static Retry.Policy retry(Env env) {
        int attempts = env.integer("LAB_RETRY_MAX_ATTEMPTS", Retry.Policy.DEFAULT_MAX_ATTEMPTS);
        Duration base = env.millis("LAB_RETRY_BASE_MS", Backoff.DEFAULT_BASE);
        Duration cap = env.millis("LAB_RETRY_CAP_MS", Backoff.DEFAULT_CAP);
        check(attempts >= 1 && attempts <= MAX_RETRY_ATTEMPTS,
                "retry maxAttempts must be 1.." + MAX_RETRY_ATTEMPTS + ", got " + attempts);
        check(!base.isNegative() && cap.compareTo(base) >= 0, "retry needs 0 <= base <= cap, got base=" + base + " cap=" + cap);
        return Retry.Policy.of(attempts, Backoff.exponential(base, cap, Backoff.DEFAULT_JITTER));
    }

    private static Backoff withJitter(Backoff b, Jitter jitter) {
        return Backoff.exponential(b.base(), b.cap(), jitter);
    }

    /** LAB_HOP_TIMEOUT_MS (10000), LAB_DEADLINE_MS (25000). */
    private static Deadline.Config deadline(Env env) {
        return new Deadline.Config(env.millis("LAB_HOP_TIMEOUT_MS", Deadline.DEFAULT_HOP_TIMEOUT),
                env.millis("LAB_DEADLINE_MS", Deadline.DEFAULT_BUDGET));
    }

    /**
     * LAB_BREAKER_FAILURE_THRESHOLD (0, off), LAB_BREAKER_FAILURE_RATE (a fraction: 0.5),
     * LAB_BREAKER_MINIMUM_CALLS (20), LAB_BREAKER_WINDOW_MS (10000, whole seconds count),
     * LAB_BREAKER_OPEN_MS (30000), LAB_BREAKER_HALF_OPEN_PROBES (3), LAB_BREAKER_SLOW_CALL_MS (0, off).
     * The lab's breaker window is a time window, as the default is.
     */
    private static CircuitBreakerConfig breaker(Env env) {
        CircuitBreakerConfig d = CircuitBreakerConfig.defaults();
        int threshold = env.integer("LAB_BREAKER_FAILURE_THRESHOLD", d.failureThreshold());
        double rate = env.decimal("LAB_BREAKER_FAILURE_RATE", d.failureRatePercent() / 100.0);
        int minimum = env.integer("LAB_BREAKER_MINIMUM_CALLS", d.minimumCalls());
        Duration window = env.millis("LAB_BREAKER_WINDOW_MS", Duration.ofSeconds(d.windowSize()));
        Duration open = env.millis("LAB_BREAKER_OPEN_MS", d.openDuration());
        int probes = env.integer("LAB_BREAKER_HALF_OPEN_PROBES", d.permittedHalfOpenCalls());
        Duration slow = env.millis("LAB_BREAKER_SLOW_CALL_MS", d.slowCallThreshold() == null ? Duration.ZERO : d.slowCallThreshold());
        check(threshold >= 0, "breaker failureThreshold must be >= 0 (0 = off), got " + threshold);
        check(rate > 0 && rate <= 1, "breaker failureRate must be in (0, 1], got " + rate);
        check(minimum >= 1 && probes >= 1, "breaker minimumCalls and halfOpenProbes must be >= 1, got " + minimum + " and " + probes);
        check(window.toSeconds() >= 1 && open.isPositive(), "breaker window must be >= 1 s and open > 0, got " + window + " and " + open);
        return d.withWindow(CircuitBreakerConfig.WindowType.TIME_BASED, (int) window.toSeconds())
                .withFailureThreshold(threshold)
                .withFailureRate((int) Math.round(rate * 100), minimum)
                .withOpenDuration(open)
                .withPermittedHalfOpenCalls(probes)
                .withSlowCallThreshold(slow.isZero() ? null : slow);
    }

    /** LAB_BULKHEAD_PAYMENTS (20), LAB_BULKHEAD_INVENTORY (20): concurrent calls; a full bulkhead rejects at once. */
    private static Bulkheads bulkheads(Env env) {
        int payments = env.integer("LAB_BULKHEAD_PAYMENTS", Bulkhead.Config.DEFAULT_MAX_CONCURRENT);
        int inventory = env.integer("LAB_BULKHEAD_INVENTORY", Bulkhead.Config.DEFAULT_MAX_CONCURRENT);
        check(payments >= 1 && inventory >= 1, "bulkhead sizes must be >= 1, got payments=" + payments + " inventory=" + inventory);
        return new Bulkheads(Bulkhead.Config.of(payments), Bulkhead.Config.of(inventory));
    }

    /** LAB_MAX_IN_FLIGHT (200): requests inside the gateway before it sheds. */
    private static LoadShedder.Config shedding(Env env) {
        int maxInFlight = env.integer("LAB_MAX_IN_FLIGHT", LoadShedder.Config.DEFAULT_MAX_IN_FLIGHT);
        check(maxInFlight >= 1, "shedding maxInFlight must be >= 1, got " + maxInFlight);
        return LoadShedder.Config.of(maxInFlight);
    }

    /** The lab's own message for a bad override, checked before the pattern's record sees the value. */
    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public LabConfig get(char name) {
        LabConfig c = configs.get(Character.toUpperCase(name));
        if (c == null) {
            throw new IllegalArgumentException("unknown configuration '" + name + "': use one of A, B, C, D, E, F");
        }
        return c;
    }

    /** Parses a header or env value such as "D"; null or blank gives {@code fallback}. */
    public LabConfig parse(String value, LabConfig fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String v = value.trim();
        if (v.length() != 1) {
            throw new IllegalArgumentException("unknown configuration '" + v + "': use one of A, B, C, D, E, F");
        }
        return get(v.charAt(0));
    }

    public List<LabConfig> all() {
        return List.of(get('A'), get('B'), get('C'), get('D'), get('E'), get('F'));
    }
}
