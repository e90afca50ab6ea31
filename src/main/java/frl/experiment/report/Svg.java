package frl.experiment.report;

import java.util.List;
import java.util.Locale;

/**
 * Hand-made SVG charts for report.html and the paper's figures ({@code frl.paper}): a line chart
 * with shaded spans (the fault window) and a grouped bar chart with optional CI whiskers. No
 * library and no script, so the report opens offline, anywhere, and prints.
 *
 * <p>Missing values (NaN) break a line rather than being drawn as zero. A log scale clamps values
 * below its minimum to the minimum (latency of 0 ms is not a thing; the axis says where it starts).
 *
 * <p>Stateless: static functions returning SVG text.
 */
public final class Svg {
    public static final String[] PALETTE = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22", "#393b79"};
    private static final int W = 420, LEGEND_ROW = 12, LEFT = 52, RIGHT = 12, TOP = 24, PLOT_BOTTOM = 194, BOTTOM_AXIS = 34;
    /** Plot area: y from TOP to PLOT_BOTTOM; below it the x axis labels, then legend rows. */
    private static final int H = PLOT_BOTTOM + BOTTOM_AXIS, BOTTOM = BOTTOM_AXIS;
    /** Height of the band that marks a CPU-bound second at the top of a plot. */
    private static final int CPU_BAND = 8;

    /** One line: x and y arrays of equal length. */
    public record Line(String label, String color, double opacity, double[] xs, double[] ys) {
    }

    /**
     * A shaded vertical span from x0 to x1 with a label. Kinds: {@code fault} (red), {@code cpu}
     * (a CPU-bound second: amber, drawn thin at the top so it never hides the fault), anything
     * else grey (the discarded warm-up).
     */
    public record Span(double x0, double x1, String label, String kind) {
        public static final String FAULT = "fault", CPU = "cpu", WARMUP = "warmup";
    }

    private Svg() {
    }

    public static String lineChart(String title, String xLabel, String yLabel, double xMax, double yMin, double yMax,
                            boolean logY, List<Line> lines, List<Span> spans) {
        Scale x = new Scale(0, xMax, LEFT, W - RIGHT, false);
        Scale y = new Scale(yMin, yMax, H - BOTTOM, TOP, logY);
        java.util.Map<String, String> legend = new java.util.LinkedHashMap<>();
        lines.forEach(l -> legend.putIfAbsent(l.label(), l.color()));
        StringBuilder s = open(title, legendRows(List.copyOf(legend.keySet())));
        for (Span sp : spans) {
            double a = x.at(sp.x0()), b = x.at(sp.x1());
            boolean cpu = sp.kind().equals(Span.CPU);
            s.append(String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" opacity=\"0.6\"><title>%s</title></rect>%n",
                    sp.kind().equals(Span.FAULT) ? "fault" : cpu ? "cpu" : "span", a, TOP, Math.max(0, b - a),
                    cpu ? CPU_BAND : H - TOP - BOTTOM, sp.kind().equals(Span.FAULT) ? "#f2c6c6" : cpu ? "#f0a030" : "#e4e4e4",
                    esc(sp.label())));
        }
        axes(s, x, y, xLabel, yLabel);
        for (Line l : lines) {
            StringBuilder d = new StringBuilder();
            boolean pen = false;
            for (int i = 0; i < l.xs().length; i++) {
                double v = l.ys()[i];
                if (Double.isNaN(v) || Double.isInfinite(v)) {
                    pen = false;
                    continue;
                }
                d.append(pen ? 'L' : 'M').append(String.format(Locale.ROOT, "%.1f %.1f ", x.at(l.xs()[i]), y.at(v)));
                pen = true;
            }
            s.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" stroke-opacity=\"%.2f\"><title>%s</title></path>%n",
                    d.toString().trim(), l.color(), l.opacity(), esc(l.label())));
        }
        legend(s, legend.entrySet().stream().map(e -> new String[]{e.getKey(), e.getValue()}).toList());
        return s.append("</svg>\n").toString();
    }

    /**
     * Bars: {@code values[group][series]}, whiskers from {@code low}/{@code high} (NaN: none).
     */
    public static String barChart(String title, String yLabel, List<String> groups, List<String> series,
                           double[][] values, double[][] low, double[][] high) {
        double max = 0;
        for (int g = 0; g < values.length; g++) {
            for (int k = 0; k < values[g].length; k++) {
                max = Math.max(max, finiteOr0(values[g][k]));
                max = Math.max(max, finiteOr0(high[g][k]));
            }
        }
        max = max == 0 ? 1 : max * 1.1;
        Scale y = new Scale(0, max, H - BOTTOM, TOP, false);
        StringBuilder s = open(title, legendRows(series));
        axes(s, null, y, "", yLabel);
        double groupWidth = (double) (W - LEFT - RIGHT) / Math.max(1, groups.size());
        double barWidth = groupWidth * 0.8 / Math.max(1, series.size());
        for (int g = 0; g < groups.size(); g++) {
            double gx = LEFT + g * groupWidth + groupWidth * 0.1;
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\">%s</text>%n",
                    gx + groupWidth * 0.4, H - BOTTOM + 14, esc(groups.get(g))));
            for (int k = 0; k < series.size(); k++) {
                double v = values[g][k];
                double bx = gx + k * barWidth;
                if (Double.isNaN(v)) {
                    s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"8\" fill=\"#888\">n/a</text>%n", bx, H - BOTTOM - 3));
                    continue;
                }
                s.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s %s: %s</title></rect>%n",
                        bx, y.at(v), Math.max(1, barWidth - 1), Math.max(0, y.at(0) - y.at(v)), PALETTE[k % PALETTE.length],
                        esc(groups.get(g)), esc(series.get(k)), String.format(Locale.ROOT, "%.3g", v)));
                if (!Double.isNaN(low[g][k]) && !Double.isNaN(high[g][k])) {
                    double cx = bx + barWidth / 2;
                    s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#000\"/>%n",
                            cx, cx, y.at(low[g][k]), y.at(high[g][k])));
                }
            }
        }
        legend(s, series.stream().map(n -> new String[]{n, PALETTE[series.indexOf(n) % PALETTE.length]}).toList());
        return s.append("</svg>\n").toString();
    }

    /** The opening tag leaves room below the plot for {@code legendRows} rows of legend. */
    private static StringBuilder open(String title, int legendRows) {
        int height = H + legendRows * LEGEND_ROW + 4;
        return new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">%n"
                        + "<text x=\"%d\" y=\"16\" font-size=\"12\" font-weight=\"bold\">%s</text>%n", W, height, W, height, LEFT, esc(title)));
    }

    private static void axes(StringBuilder s, Scale x, Scale y, String xLabel, String yLabel) {
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n", LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM));
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n", LEFT, TOP, LEFT, H - BOTTOM));
        for (double t : y.ticks()) {
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"10\">%s</text>"
                            + "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    LEFT - 4, y.at(t) + 3, tick(t), LEFT, W - RIGHT, y.at(t), y.at(t)));
        }
        if (x != null) {
            for (double t : x.ticks()) {
                s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\">%s</text>%n",
                        x.at(t), H - BOTTOM + 13, tick(t)));
            }
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\">%s</text>%n",
                    (LEFT + W - RIGHT) / 2, H - BOTTOM + 26, esc(xLabel)));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%d\" font-size=\"10\" transform=\"rotate(-90 12 %d)\" text-anchor=\"middle\">%s</text>%n",
                (TOP + H - BOTTOM) / 2, (TOP + H - BOTTOM) / 2, esc(yLabel)));
    }

    /** Legend entries laid out left to right below the x axis, wrapping into rows. */
    private static void legend(StringBuilder s, List<String[]> entries) {
        int x = LEFT, row = 0;
        for (String[] e : entries) {
            int width = 16 + 5 * e[0].length();
            if (x + width > W - RIGHT && x > LEFT) {
                x = LEFT;
                row++;
            }
            int y = H + row * LEGEND_ROW;
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"8\" height=\"8\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"9\">%s</text>%n",
                    x, y - 8, e[1], x + 10, y, esc(e[0])));
            x += width;
        }
    }

    /** How many legend rows {@link #legend} will need. */
    private static int legendRows(List<String> labels) {
        int x = LEFT, rows = labels.isEmpty() ? 0 : 1;
        for (String l : labels) {
            int width = 16 + 5 * l.length();
            if (x + width > W - RIGHT && x > LEFT) {
                x = LEFT;
                rows++;
            }
            x += width;
        }
        return rows;
    }

    public static String esc(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static double finiteOr0(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? 0 : v;
    }

    private static String tick(double t) {
        return t == Math.rint(t) ? Long.toString((long) t) : String.format(Locale.ROOT, "%.2g", t);
    }

    /** Maps data values to pixels, linearly or by log10. */
    private record Scale(double min, double max, double from, double to, boolean log) {
        double at(double v) {
            double a = log ? Math.log10(Math.max(v, min)) : v, lo = log ? Math.log10(min) : min, hi = log ? Math.log10(max) : max;
            double f = hi == lo ? 0 : (a - lo) / (hi - lo);
            return from + Math.max(0, Math.min(1, f)) * (to - from);
        }

        /** About five round ticks (powers of ten on a log axis). */
        double[] ticks() {
            if (log) {
                int a = (int) Math.ceil(Math.log10(min)), b = (int) Math.floor(Math.log10(max));
                double[] t = new double[Math.max(0, b - a + 1)];
                for (int i = 0; i < t.length; i++) {
                    t[i] = Math.pow(10, a + i);
                }
                return t;
            }
            double raw = (max - min) / 5, mag = Math.pow(10, Math.floor(Math.log10(raw)));
            double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
            int n = (int) Math.floor((max - min) / step + 1e-9) + 1;
            double[] t = new double[n];
            for (int i = 0; i < n; i++) {
                t[i] = min + i * step;
            }
            return t;
        }
    }
}
