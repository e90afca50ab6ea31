package frl.experiment.plan;

import com.fasterxml.jackson.databind.JsonNode;
import frl.experiment.stack.StackJson;

import java.io.IOException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The faults the lab injects: the spec's four chaos scenarios plus a clean baseline. Each is one
 * {@code POST /admin/chaos} to one service at the start of the fault window and
 * {@code {"reset": true}} to the same service at its end (docs/architecture.md, "Chaos").
 *
 * <ul>
 *   <li>{@code none}: nothing is injected; the "fault window" is an ordinary window.
 *   <li>{@code payment_errors}: payments fails 20% of attempts with a 503; a failed attempt still holds a
 *       worker slot for its service time (EXPERIMENTS.md), so retrying errors costs capacity.
 *   <li>{@code payment_slow}: +3000 ms per payment.
 *   <li>{@code inventory_lock}: a background transaction holds the hot products' row locks for
 *       2000 ms, again and again.
 *   <li>{@code retry_storm}: the metastability test (Bronson et al.; Huang et al.): a capacity
 *       drop (payments' worker slots cut to 2) for a fixed 10 s at the high load, then removed,
 *       with clients that re-send up to 4 times on a 3 s timeout as in Huang's reproduction. The
 *       question is whether goodput comes back after the trigger is gone. A capacity drop, not a
 *       fail-fast outage, because a storm needs timeouts: requests must queue past the client's
 *       patience for re-sends to pile up. An outage trigger is one {@code --chaos '{"outage": true}'} away.
 * </ul>
 *
 * @param fixedFaultSeconds  fault length regardless of profile (0 = the profile's)
 * @param highLoadOnly       run only at the highest requested load
 * @param defaultResends     client re-sends on timeout unless overridden
 */
public enum Scenario {
    NONE("none", null, null, 0, false, 0),
    PAYMENT_ERRORS("payment_errors", "payments", "{\"error_rate\": 0.2}", 0, false, 0),
    PAYMENT_SLOW("payment_slow", "payments", "{\"latency_ms\": 3000}", 0, false, 0),
    INVENTORY_LOCK("inventory_lock", "inventory", "{\"lock_ms\": 2000}", 0, false, 0),
    RETRY_STORM("retry_storm", "payments", "{\"slots\": 2}", 10, true, 4);

    public static final String CHAOS_OFF = "{\"reset\": true}";

    public final String id;
    public final String target;
    public final String chaosJson;
    public final int fixedFaultSeconds;
    public final boolean highLoadOnly;
    public final int defaultResends;

    Scenario(String id, String target, String chaosJson, int fixedFaultSeconds, boolean highLoadOnly, int defaultResends) {
        this.id = id;
        this.target = target;
        this.chaosJson = chaosJson;
        this.fixedFaultSeconds = fixedFaultSeconds;
        this.highLoadOnly = highLoadOnly;
        this.defaultResends = defaultResends;
    }

    public static Scenario of(String id) {
        for (Scenario s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario \"" + id + "\"; known: "
                + Arrays.stream(values()).map(s -> s.id).collect(Collectors.joining(", ")));
    }

    public boolean injectsFault() {
        return target != null;
    }

    /**
     * The per-attempt error rate a chaos payload injects (0 if none): used to print the bound
     * success <= (1 - error rate) x payments amplification that any honest result must satisfy.
     */
    public static double errorRate(String chaosJson) {
        if (chaosJson == null) {
            return 0;
        }
        try {
            JsonNode n = StackJson.MAPPER.readTree(chaosJson);
            return n.path("error_rate").asDouble(0);
        } catch (IOException e) {
            return 0;
        }
    }
}
