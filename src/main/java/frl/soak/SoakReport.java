package frl.soak;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The soak's files: {@code soak.csv} (every reading, long format), {@code summary.md} (a table per
 * metric: first, last, slope with its interval, verdict) and one SVG per metric with a line per
 * series and the minutes the fault was on shaded. The SVG is written by hand (no library, no
 * script) so it opens anywhere, offline.
 *
 * <p>Stateless: static functions returning text.
 */
public final class SoakReport {
    private static final String[] PALETTE = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};
    private static final int W = 640, H = 300, LEFT = 64, RIGHT = 16, TOP = 28, BOTTOM = 58;

    private SoakReport() {
    }

    /** {@code t_s,fault_on,metric,series,value}: one row per reading; a missing reading is empty. */
    public static String csv(List<Sampler.Sample> samples) {
        StringBuilder b = new StringBuilder("t_s,fault_on,metric,series,value\n");
        for (Sampler.Sample s : samples) {
            for (Sampler.Reading r : s.readings()) {
                b.append(String.format(Locale.ROOT, "%.1f,%d,%s,%s,%s%n", s.t(), s.faultOn() ? 1 : 0, r.metric().id, r.series(),
                        Double.isNaN(r.value()) ? "" : number(r.value())));
            }
        }
        return b.toString();
    }

    /** A table per metric, then which series grow. */
    public static String trendTables(List<Trend> trends, double fitFrom) {
        StringBuilder b = new StringBuilder();
        Map<SoakMetric, List<Trend>> byMetric = new LinkedHashMap<>();
        trends.forEach(t -> byMetric.computeIfAbsent(t.metric(), k -> new ArrayList<>()).add(t));
        for (var e : byMetric.entrySet()) {
            SoakMetric m = e.getKey();
            b.append("### ").append(m.id).append(" (").append(m.unit).append(")\n\n").append(m.meaning).append(". ")
                    .append(m.judged() ? String.format(Locale.ROOT, "Bound: %s %s per 24 h.", number(m.boundPerDay), m.unit)
                            : "Recorded, not judged.")
                    .append(" Plot: [").append(m.id).append(".svg](").append(m.id).append(".svg)\n\n");
            b.append("| series | first | last | slope over t >= ").append(number(fitFrom))
                    .append(" s, per hour [95% interval] | projected 24 h | verdict |\n|---|---:|---:|---:|---:|---|\n");
            for (Trend t : e.getValue()) {
                b.append("| ").append(t.series()).append(" | ").append(number(t.first())).append(" | ").append(number(t.last()))
                        .append(" | ").append(t.slope().describePerHour(1)).append(" | ")
                        .append(Double.isNaN(t.slope().slope()) ? "n/a" : String.format(Locale.ROOT, "%+.3g", t.slope().perDay()))
                        .append(" | ").append(m.judged() ? t.verdict().name().toLowerCase(Locale.ROOT) : "not judged")
                        .append(" |\n");
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** One line per series of {@code metric}, fault minutes shaded, the fitted half marked. */
    public static String svg(SoakMetric metric, List<Sampler.Sample> samples, double duration, double fitFrom) {
        Map<String, List<double[]>> lines = new LinkedHashMap<>();
        double yMax = 0;
        for (Sampler.Sample s : samples) {
            for (Sampler.Reading r : s.readings()) {
                if (r.metric() == metric) {
                    lines.computeIfAbsent(r.series(), k -> new ArrayList<>()).add(new double[]{s.t(), r.value()});
                    if (!Double.isNaN(r.value())) {
                        yMax = Math.max(yMax, r.value());
                    }
                }
            }
        }
        yMax = niceCeiling(yMax);
        double xMax = Math.max(duration, samples.isEmpty() ? 1 : samples.get(samples.size() - 1).t());
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n",
                W, H, W, H, W, H));
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\" font-size=\"13\">%s (%s) per 10 s sample; shaded: payment_errors on</text>%n",
                LEFT, metric.id, metric.unit));
        for (int i = 0; i + 1 < samples.size(); i++) { // fault spans, from the samples' own fault flags
            if (samples.get(i).faultOn()) {
                b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#f2c6c6\" opacity=\"0.6\"/>%n",
                        x(samples.get(i).t(), xMax), TOP, x(samples.get(i + 1).t(), xMax) - x(samples.get(i).t(), xMax), H - TOP - BOTTOM));
            }
        }
        b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>"
                        + "<text x=\"%.1f\" y=\"%d\" fill=\"#555\">fit from here</text>%n",
                x(fitFrom, xMax), TOP, x(fitFrom, xMax), H - BOTTOM, x(fitFrom, xMax) + 3, TOP + 12));
        for (int k = 0; k <= 4; k++) { // axes and ticks
            double v = yMax * k / 4, y = y(v, yMax);
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT, y, W - RIGHT, y, LEFT - 4, y + 4, number(v)));
            double t = xMax * k / 4;
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s s</text>%n", x(t, xMax), H - BOTTOM + 14, number(Math.round(t))));
        }
        int c = 0;
        for (var e : lines.entrySet()) {
            String color = PALETTE[c % PALETTE.length];
            StringBuilder d = new StringBuilder();
            boolean pen = false;
            for (double[] p : e.getValue()) {
                if (Double.isNaN(p[1])) {
                    pen = false; // a missing sample breaks the line rather than drawing a zero
                    continue;
                }
                d.append(pen ? " L" : " M").append(String.format(Locale.ROOT, "%.1f %.1f", x(p[0], xMax), y(p[1], yMax)));
                pen = true;
            }
            b.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"/>%n", d.toString().trim(), color));
            int lx = LEFT + 110 * c;
            b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>%n",
                    lx, H - 22, color, lx + 14, H - 13, e.getKey()));
            c++;
        }
        return b.append("</svg>\n").toString();
    }

    private static double x(double t, double xMax) {
        return LEFT + (W - LEFT - RIGHT) * t / xMax;
    }

    private static double y(double v, double yMax) {
        return H - BOTTOM - (H - TOP - BOTTOM) * v / yMax;
    }

    /** 1, 2 or 5 times a power of ten, at least {@code v} (and at least 1). */
    static double niceCeiling(double v) {
        if (!(v > 1)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[]{1, 2, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e12) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
