package frl.experiment.metrics;

import frl.experiment.plan.RunSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One cell of the matrix (config x load x fault length) summarised over its repetitions.
 *
 * <ul>
 *   <li>Only valid runs count ({@link Validity}). A cell with no valid run has no numbers: its
 *       {@link #status} is "invalid: baseline X%" and every report prints that instead.
 *   <li>For every summarised {@link Metric}: the mean of the per-run values with a 95% bootstrap
 *       interval (when there are at least 2 runs).
 *   <li>Recovery: the fraction of runs that did not recover with a Wilson interval (over runs with
 *       a verdict: "window too short" and "no fault" runs are not trials), and the Kaplan-Meier
 *       median MTTR, in which a run that did not recover is censored at the longest MTTR its
 *       window could show. Never a mean over the runs that recovered.
 *   <li>Against the baseline config (A, else the first config): for {@link Metric#PAIRED}, the mean
 *       of the per-repetition differences with a paired bootstrap interval. Repetition r of every
 *       config faced the same arrivals, so the pairs share their luck; a pair counts when both of
 *       its runs are valid.
 * </ul>
 * Bootstrap seeds are derived from the experiment's seed, the cell and the metric, so a report
 * regenerated from the same runs prints the same intervals.
 *
 * @param faultSeconds  the cell's fault length
 * @param validRuns     runs that passed the baseline gate (the numbers rest on these)
 * @param status        "valid", "k of n runs invalid, excluded", or "invalid: baseline X%"
 * @param kmMedianMttr  Kaplan-Meier median MTTR in seconds; NaN when not reached or no verdicts
 * @param censored      runs with a verdict that did not recover (censored observations)
 * @param versus        paired differences (this config minus {@code baselineConfig}); empty for the baseline itself
 */
public record CellSummary(String config, double loadFraction, int faultSeconds, double rate, int runs, int validRuns,
                          String status, Map<String, Ci> metrics, Ci notRecovered, Map<String, Integer> recoveryVerdicts,
                          double kmMedianMttr, int censored, String baselineConfig, Map<String, Ci> versus) {

    public Ci metric(String id) {
        return metrics.get(id);
    }

    /** True when no run of the cell passed the baseline gate: reports print {@link #status} instead of numbers. */
    public boolean invalid() {
        return validRuns == 0;
    }

    /** Cells in config order, then load, then fault length. */
    public static List<CellSummary> of(List<RunResult> results, long seed) {
        Map<String, List<RunResult>> cells = new TreeMap<>();
        results.forEach(r -> cells.computeIfAbsent(r.spec().cell(), k -> new ArrayList<>()).add(r));
        String baseline = results.stream().map(r -> r.spec().config()).anyMatch("A"::equals) ? "A"
                : results.stream().map(r -> r.spec().config()).sorted().findFirst().orElse("A");
        List<CellSummary> out = new ArrayList<>();
        int cellIndex = 0;
        for (List<RunResult> runs : cells.values()) {
            RunSpec first = runs.get(0).spec();
            List<RunResult> against = first.config().equals(baseline) ? List.of()
                    : results.stream().filter(r -> r.spec().config().equals(baseline)
                    && r.spec().cellOfLoad().equals(first.cellOfLoad())).toList();
            out.add(summarise(runs, against, baseline, seed + 1_000_003L * cellIndex++));
        }
        return out;
    }

    static CellSummary summarise(List<RunResult> runs, List<RunResult> baselineRuns, String baselineConfig, long seed) {
        List<RunResult> valid = runs.stream().filter(RunResult::valid).toList();
        Map<String, Ci> metrics = new LinkedHashMap<>();
        for (int i = 0; i < Metric.ALL.size(); i++) {
            Metric m = Metric.ALL.get(i);
            double[] values = valid.stream().mapToDouble(m::of).toArray();
            metrics.put(m.id(), Stats.bootstrapMean(values, Stats.DEFAULT_RESAMPLES, seed * 31 + i));
        }
        long verdicts = valid.stream().filter(r -> r.recovery().hasVerdict()).count();
        long notRecovered = valid.stream().filter(r -> r.recovery().status() == Recovery.Status.DID_NOT_RECOVER).count();
        List<KaplanMeier.Observation> observations = valid.stream().filter(r -> r.recovery().hasVerdict())
                .map(r -> r.recovery().status() == Recovery.Status.RECOVERED
                        ? new KaplanMeier.Observation(r.recovery().seconds(), true)
                        : new KaplanMeier.Observation(r.recovery().censoredAt(), false)).toList();
        Map<String, Integer> byVerdict = new TreeMap<>();
        valid.forEach(r -> byVerdict.merge(r.recovery().status() == Recovery.Status.RECOVERED
                ? "recovered" : r.recovery().toString(), 1, Integer::sum));
        RunSpec first = runs.get(0).spec();
        double meanRate = runs.stream().mapToDouble(r -> r.spec().rate()).average().orElse(Double.NaN);
        return new CellSummary(first.config(), first.loadFraction(), first.faultSeconds(), meanRate, runs.size(), valid.size(),
                status(runs, valid), metrics, Stats.wilson(notRecovered, verdicts), byVerdict,
                observations.isEmpty() ? Double.NaN : KaplanMeier.median(observations), (int) notRecovered,
                baselineConfig, paired(valid, baselineRuns, seed));
    }

    private static String status(List<RunResult> runs, List<RunResult> valid) {
        if (valid.size() == runs.size()) {
            return "valid";
        }
        if (!valid.isEmpty()) {
            return (runs.size() - valid.size()) + " of " + runs.size() + " runs invalid, excluded";
        }
        // no valid run: name the gate. Success is named whenever it failed anywhere (it says more than p99)
        boolean successFailed = runs.stream().anyMatch(r -> r.gates().validity().successFailed());
        double meanSuccess = runs.stream().mapToDouble(r -> r.gates().validity().baselineSuccess()).filter(v -> !Double.isNaN(v))
                .average().orElse(Double.NaN);
        return successFailed ? Validity.invalidText(meanSuccess) : runs.get(0).gates().validity().reason();
    }

    /** Per metric: mean of (this run - the baseline config's run) over repetitions where both are valid. */
    private static Map<String, Ci> paired(List<RunResult> valid, List<RunResult> baselineRuns, long seed) {
        Map<String, Ci> out = new LinkedHashMap<>();
        if (baselineRuns.isEmpty()) {
            return out;
        }
        Map<Integer, RunResult> mine = new TreeMap<>();
        valid.forEach(r -> mine.put(r.spec().rep(), r));
        Map<Integer, RunResult> theirs = new TreeMap<>();
        baselineRuns.stream().filter(RunResult::valid).forEach(r -> theirs.put(r.spec().rep(), r));
        List<Integer> reps = mine.keySet().stream().filter(theirs::containsKey).toList();
        for (int i = 0; i < Metric.PAIRED.size(); i++) {
            Metric m = Metric.byId(Metric.PAIRED.get(i));
            double[] a = reps.stream().mapToDouble(rep -> m.of(theirs.get(rep))).toArray();
            double[] b = reps.stream().mapToDouble(rep -> m.of(mine.get(rep))).toArray();
            out.put(m.id(), Stats.pairedBootstrap(a, b, Stats.DEFAULT_RESAMPLES, seed * 17 + i));
        }
        return out;
    }

    /**
     * MTTR as the reports print it. One run: its verdict ("14 s", "did not recover in 45 s").
     * Several: the Kaplan-Meier median with how many recovered ("KM median 14 s (4 of 5 recovered)"),
     * or "median not reached" when half or more were censored, with where they were censored.
     */
    public String mttrText() {
        if (invalid()) {
            return status;
        }
        int withVerdict = recoveryVerdicts.entrySet().stream().filter(e -> e.getKey().equals("recovered")
                || e.getKey().startsWith("did not recover")).mapToInt(Map.Entry::getValue).sum();
        if (validRuns == 1 || withVerdict == 0) {
            return recoveryVerdicts.size() == 1 && validRuns == 1 ? recoveryVerdicts.keySet().iterator().next()
                    : recoveryVerdicts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
        }
        String counts = (withVerdict - censored) + " of " + withVerdict + " recovered";
        return Double.isNaN(kmMedianMttr)
                ? "KM median not reached (" + counts + ")"
                : String.format(Locale.ROOT, "KM median %.0f s (%s)", kmMedianMttr, counts);
    }
}
