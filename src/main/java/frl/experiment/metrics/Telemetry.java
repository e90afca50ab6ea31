package frl.experiment.metrics;

import frl.experiment.stack.Counters;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pattern telemetry over a window, summed over the five services from their counter deltas:
 * wasted work (attempts completed after the caller's deadline had passed), breaker transitions,
 * shed requests, bulkhead rejections, retries sent and retries a budget refused; refusals split per hop ({@link Rejections});
 * and how the admin plane itself fared. Counts are NaN when counters were unavailable.
 *
 * @param wastedByService wasted work per service, to see where the waste happens
 * @param rejections      refusals per kind and hop
 * @param adminSlowestMs  the slowest answer to any counters call of the run (the admin plane must
 *                        answer within a second even while the data plane is flooded)
 * @param complete        every counters snapshot of the run was read; false makes the run's
 *                        telemetry incomplete ("unknown"), which the reports say
 */
public record Telemetry(double wastedWork, double breakerTransitions, double shed, double bulkheadRejections,
                        double retries, double retryBudgetRefusals, Map<String, Long> wastedByService, Rejections rejections,
                        double adminSlowestMs, boolean complete) {

    public static final Telemetry UNKNOWN = new Telemetry(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Map.of(), Rejections.UNKNOWN, Double.NaN, false);

    /** From counter deltas alone (no split, no latency): for tests and fixtures. */
    public static Telemetry of(Map<String, Counters> deltas) {
        return of(deltas, Rejections.UNKNOWN, Double.NaN, deltas != null);
    }

    public static Telemetry of(Map<String, Counters> deltas, Rejections rejections, double adminSlowestMs, boolean complete) {
        if (deltas == null) {
            return new Telemetry(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Map.of(), rejections,
                    adminSlowestMs, false);
        }
        long wasted = 0, transitions = 0, shed = 0, bulkhead = 0, retries = 0, refused = 0;
        Map<String, Long> byService = new LinkedHashMap<>();
        for (Counters c : deltas.values()) {
            wasted += c.completedAfterDeadline();
            transitions += c.breakerTransitions();
            shed += c.shed();
            bulkhead += c.bulkheadRejections();
            retries += c.retries();
            refused += c.retryBudgetRefusals();
            byService.put(c.service(), c.completedAfterDeadline());
        }
        return new Telemetry(wasted, transitions, shed, bulkhead, retries, refused, byService, rejections, adminSlowestMs, complete);
    }
}
