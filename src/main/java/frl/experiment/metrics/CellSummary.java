package frl.experiment.metrics;

import frl.experiment.plan.RunSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One cell of the matrix (config x load) summarised over its repetitions: for every
 * {@link Metric}, the mean of the per-run values with a 95% bootstrap interval (when there are at
 * least 2 runs), and the fraction of runs that did not recover with a Wilson interval (over runs
 * that got a verdict: "window too short" and "no fault" runs are not trials).
 *
 * <p>Bootstrap seeds are derived from the experiment's seed, the cell and the metric, so a report
 * regenerated from the same runs prints the same intervals.
 */
public record CellSummary(String config, double loadFraction, double rate, int runs, Map<String, Ci> metrics,
                          Ci notRecovered, Map<String, Integer> recoveryVerdicts) {

    public Ci metric(String id) {
        return metrics.get(id);
    }

    /** Cells in config order, then load order. */
    public static List<CellSummary> of(List<RunResult> results, long seed) {
        Map<String, List<RunResult>> cells = new TreeMap<>();
        for (RunResult r : results) {
            cells.computeIfAbsent(r.spec().config() + "|" + String.format(java.util.Locale.ROOT, "%08.4f", r.spec().loadFraction()),
                    k -> new ArrayList<>()).add(r);
        }
        List<CellSummary> out = new ArrayList<>();
        int cellIndex = 0;
        for (List<RunResult> runs : cells.values()) {
            out.add(summarise(runs, seed + 1_000_003L * cellIndex++));
        }
        return out;
    }

    static CellSummary summarise(List<RunResult> runs, long seed) {
        Map<String, Ci> metrics = new LinkedHashMap<>();
        for (int i = 0; i < Metric.ALL.size(); i++) {
            Metric m = Metric.ALL.get(i);
            double[] values = runs.stream().mapToDouble(m::of).toArray();
            metrics.put(m.id(), Stats.bootstrapMean(values, Stats.DEFAULT_RESAMPLES, seed * 31 + i));
        }
        long verdicts = runs.stream().filter(r -> r.recovery().hasVerdict()).count();
        long notRecovered = runs.stream().filter(r -> r.recovery().status() == Recovery.Status.DID_NOT_RECOVER).count();
        Map<String, Integer> byVerdict = new TreeMap<>();
        runs.forEach(r -> byVerdict.merge(r.recovery().status() == Recovery.Status.RECOVERED
                ? "recovered" : r.recovery().toString(), 1, Integer::sum));
        RunSpec first = runs.get(0).spec();
        double meanRate = runs.stream().mapToDouble(r -> r.spec().rate()).average().orElse(Double.NaN);
        return new CellSummary(first.config(), first.loadFraction(), meanRate, runs.size(), metrics,
                Stats.wilson(notRecovered, verdicts), byVerdict);
    }

    /**
     * MTTR as the reports print it: the mean over recovered runs, with how many runs gave which
     * verdict when they were not all "recovered" (e.g. "14 s (3 recovered, 2 did not recover in 55 s)"),
     * or only the verdicts when none recovered.
     */
    public String mttrText() {
        Ci mttr = metric("mttr_s");
        String verdicts = recoveryVerdicts.size() == 1 && runs == 1 ? recoveryVerdicts.keySet().iterator().next()
                : recoveryVerdicts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                .collect(java.util.stream.Collectors.joining(", "));
        if (Double.isNaN(mttr.estimate())) {
            return verdicts;
        }
        String s = mttr.format("%.0f") + " s";
        return recoveryVerdicts.size() == 1 ? s : s + " (" + verdicts + ")";
    }
}
