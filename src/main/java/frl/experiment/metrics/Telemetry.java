package frl.experiment.metrics;

import frl.experiment.stack.Counters;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pattern telemetry over a window, summed over the five services from their counter deltas:
 * wasted work (attempts completed after the caller's deadline had passed), breaker transitions,
 * shed requests, bulkhead rejections and retries sent. All NaN when counters were unavailable.
 *
 * @param wastedByService wasted work per service, to see where the waste happens
 */
public record Telemetry(double wastedWork, double breakerTransitions, double shed, double bulkheadRejections,
                        double retries, Map<String, Long> wastedByService) {

    public static final Telemetry UNKNOWN = new Telemetry(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Map.of());

    public static Telemetry of(Map<String, Counters> deltas) {
        if (deltas == null) {
            return UNKNOWN;
        }
        long wasted = 0, transitions = 0, shed = 0, bulkhead = 0, retries = 0;
        Map<String, Long> byService = new LinkedHashMap<>();
        for (Counters c : deltas.values()) {
            wasted += c.completedAfterDeadline();
            transitions += c.breakerTransitions();
            shed += c.shed();
            bulkhead += c.bulkheadRejections();
            retries += c.retries();
            byService.put(c.service(), c.completedAfterDeadline());
        }
        return new Telemetry(wasted, transitions, shed, bulkhead, retries, byService);
    }
}
