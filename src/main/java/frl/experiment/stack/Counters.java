package frl.experiment.stack;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One service's {@code GET /admin/counters} (docs/architecture.md): the services' own count of
 * what reached them, which amplification divides by client requests. Trusting the services'
 * counters, not the client's guess, is what makes amplification honest: a client cannot see the
 * retries behind the gateway.
 *
 * <p>Counters only grow between resets, so a window's value is the difference of two snapshots
 * ({@link #minus}). Missing fields read as 0 (a service with no outgoing calls has no
 * {@code outgoing}).
 *
 * @param received               attempts received on the business route
 * @param completedAfterDeadline attempts finished after the caller's deadline had passed (wasted work)
 * @param outgoing               per downstream: attempts sent and how many of them were retries
 * @param retryBudgetRefusals    retries a retry budget refused (G): the budget's work made visible
 */
public record Counters(String service, long received, long completedAfterDeadline, Map<String, Hop> outgoing,
                       long breakerTransitions, long bulkheadRejections, long shed,
                       long retryBudgetRefusals) {

    public record Hop(long attempts, long retries) {
    }

    public static Counters parse(String service, JsonNode json) {
        Map<String, Hop> out = new LinkedHashMap<>();
        JsonNode outgoing = json.path("outgoing");
        outgoing.properties().forEach(e -> out.put(e.getKey(),
                new Hop(e.getValue().path("attempts").asLong(0), e.getValue().path("retries").asLong(0))));
        return new Counters(service, json.path("received").asLong(0), json.path("completed_after_deadline").asLong(0),
                Map.copyOf(out), json.path("breaker_transitions").asLong(0), json.path("bulkhead_rejections").asLong(0),
                json.path("shed").asLong(0), json.path("retry_budget_refusals").asLong(0));
    }

    public static Counters zero(String service) {
        return new Counters(service, 0, 0, Map.of(), 0, 0, 0, 0);
    }

    /** What happened between {@code earlier} and this snapshot. */
    public Counters minus(Counters earlier) {
        Map<String, Hop> out = new HashMap<>();
        outgoing.forEach((k, v) -> {
            Hop e = earlier.outgoing.getOrDefault(k, new Hop(0, 0));
            out.put(k, new Hop(v.attempts - e.attempts, v.retries - e.retries));
        });
        return new Counters(service, received - earlier.received, completedAfterDeadline - earlier.completedAfterDeadline,
                Map.copyOf(out), breakerTransitions - earlier.breakerTransitions,
                bulkheadRejections - earlier.bulkheadRejections, shed - earlier.shed,
                retryBudgetRefusals - earlier.retryBudgetRefusals);
    }

    public long retries() {
        return outgoing.values().stream().mapToLong(Hop::retries).sum();
    }
}
