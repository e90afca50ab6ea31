package frl.soak;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One series of one metric over a soak, judged: its first and last value, the slope fitted over
 * the second half, and the verdict against the metric's daily bound ({@link Slope#verdict}).
 *
 * <p>A metric that is not judged still gets the statistical verdict (bound 0: GROWS when the
 * interval excludes 0), so the report says what it did; {@link #passes} ignores it.
 *
 * <p>Immutable; {@link #of} is a pure function of the samples.
 */
public record Trend(SoakMetric metric, String series, double first, double last, Slope slope, Slope.Verdict verdict) {

    /** True when this series does not grow without bound (or is not judged). */
    public boolean passes() {
        return !metric.judged() || verdict == Slope.Verdict.FLAT || verdict == Slope.Verdict.FALLS;
    }

    /**
     * Every (metric, series) found in {@code samples}, in the order first seen, fitted over the
     * samples at or after {@code fitFrom} seconds.
     */
    public static List<Trend> of(List<Sampler.Sample> samples, double fitFrom) {
        Map<String, List<double[]>> points = new LinkedHashMap<>();
        Map<String, Sampler.Reading> keys = new LinkedHashMap<>();
        for (Sampler.Sample s : samples) {
            for (Sampler.Reading r : s.readings()) {
                String key = r.metric().id + "/" + r.series();
                keys.putIfAbsent(key, r);
                points.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[]{s.t(), r.value()});
            }
        }
        List<Trend> out = new ArrayList<>();
        for (var e : points.entrySet()) {
            List<double[]> all = e.getValue();
            List<double[]> half = all.stream().filter(p -> p[0] >= fitFrom).toList();
            Slope slope = Slope.fit(half.stream().mapToDouble(p -> p[0]).toArray(), half.stream().mapToDouble(p -> p[1]).toArray());
            SoakMetric m = keys.get(e.getKey()).metric();
            out.add(new Trend(m, keys.get(e.getKey()).series(), firstNumber(all, false), firstNumber(all, true), slope,
                    slope.verdict(m.judged() ? m.boundPerDay : 0)));
        }
        return out;
    }

    private static double firstNumber(List<double[]> points, boolean fromEnd) {
        for (int i = 0; i < points.size(); i++) {
            double v = points.get(fromEnd ? points.size() - 1 - i : i)[1];
            if (!Double.isNaN(v)) {
                return v;
            }
        }
        return Double.NaN;
    }
}
