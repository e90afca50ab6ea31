package frl.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.Set;

/**
 * A scenario's fault, read from the same chaos payload the harness posts to the real service
 * (docs/architecture.md, "Chaos"), and switched on and off in a simulated stack as
 * {@code POST /admin/chaos} and {@code {"reset": true}} do for real.
 *
 * <ul>
 *   <li>payments: {@code error_rate} (0..1 per attempt), {@code latency_ms}, {@code outage},
 *       {@code slots} (capacity drop);
 *   <li>inventory: {@code lock_ms} (the hot rows held that long, again and again).
 * </ul>
 *
 * @param target "payments", "inventory", or null for no fault
 * @param slots  the capacity-drop slot count, or -1 for none
 */
public record Fault(String target, double errorRate, long latencyMs, boolean outage, int slots, long lockMs) {
    public static final Fault NONE = new Fault(null, 0, 0, false, -1, 0);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> PAYMENTS = Set.of("error_rate", "latency_ms", "outage", "slots");
    private static final Set<String> INVENTORY = Set.of("lock_ms");

    public Fault {
        if (errorRate < 0 || errorRate > 1 || latencyMs < 0 || slots < -1 || lockMs < 0) {
            throw new IllegalArgumentException("chaos values out of range: error_rate " + errorRate + ", latency_ms "
                    + latencyMs + ", slots " + slots + ", lock_ms " + lockMs);
        }
    }

    /** @throws IllegalArgumentException for a target or switch the simulator does not have, quoting it */
    public static Fault parse(String target, String chaosJson) {
        if (target == null || chaosJson == null) {
            return NONE;
        }
        JsonNode n;
        try {
            n = JSON.readTree(chaosJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("chaos payload is not JSON: " + chaosJson);
        }
        Set<String> known = switch (target) {
            case "payments" -> PAYMENTS;
            case "inventory" -> INVENTORY;
            default -> throw new IllegalArgumentException("the simulator has no chaos switches on '" + target + "'");
        };
        n.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                throw new IllegalArgumentException("unknown chaos switch '" + f + "' for " + target + "; known: " + known);
            }
        });
        return new Fault(target, n.path("error_rate").asDouble(0), n.path("latency_ms").asLong(0),
                n.path("outage").asBoolean(false), n.has("slots") ? n.path("slots").asInt() : -1, n.path("lock_ms").asLong(0));
    }

    public boolean injects() {
        return target != null;
    }

    void apply(Stack s) {
        if ("payments".equals(target)) {
            s.payments.errorRate = errorRate;
            s.payments.latencyMs = latencyMs;
            s.payments.outage = outage;
            if (slots >= 0) {
                s.processor.resize(slots);
            }
        } else if ("inventory".equals(target)) {
            s.hog.start(lockMs * 1_000_000);
        }
    }

    void clear(Stack s) {
        if ("payments".equals(target)) {
            s.payments.clearChaos();
        } else if ("inventory".equals(target)) {
            s.hog.stop();
        }
    }
}
