package frl.paper;

import frl.experiment.metrics.Metric;
import frl.experiment.report.ResultsCsv;
import frl.experiment.report.Svg;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The paper's four figures, each a self-contained SVG built from one results folder with the
 * report's own {@link Svg} charts (and {@link Heatmap} for the map), laid out as panels:
 * <ul>
 *   <li>{@link #timeline}: success rate and goodput per second, one line per configuration
 *       (averaged over its valid runs), the fault window shaded red, the discarded warm-up grey,
 *       a CPU-bound second (in any run) as an amber band at the top; one pair of panels per
 *       setting (load, fault length);</li>
 *   <li>{@link #map}: the fraction of runs that did not recover, per load and trigger length, one
 *       panel per configuration;</li>
 *   <li>{@link #amplification}: calls per client order at each hop during the fault, per
 *       configuration, with the harness's 95% interval as whiskers;</li>
 *   <li>{@link #audit}: the audit's anomalies per run, per configuration.</li>
 * </ul>
 * Every figure names the file it was drawn from at its foot.
 *
 * <p>Stateless: static functions returning SVG text.
 */
final class Figures {
    /** Hops in the order a request travels: summary.csv's ids, labelled by {@link Metric}. */
    static final List<String> HOPS = List.of("amp_client_gateway_fault", "amp_gateway_orders_fault",
            "amp_orders_payments_fault", "amp_orders_inventory_fault");
    /** The audit's anomalies, each a per-run count in summary.csv. */
    static final List<String> ANOMALIES = List.of("duplicate_charges_per_key", "duplicate_charges_per_order",
            "orphan_charges", "pending_orders");

    private static final Pattern SIZE = Pattern.compile("<svg [^>]*width=\"(\\d+)\" height=\"(\\d+)\"");
    private static final int GAP = 8, FOOT = 28;

    private Figures() {
    }

    static String timeline(Path folder) {
        ResultsCsv csv = ResultsCsv.read(folder.resolve("timeline.csv"));
        Map<Summary.Setting, TreeMap<String, TreeMap<Integer, Second>>> sums = new LinkedHashMap<>();
        Map<Summary.Setting, TreeSet<Integer>> fault = new LinkedHashMap<>(), warmup = new LinkedHashMap<>(), cpuBound = new LinkedHashMap<>();
        Map<Summary.Setting, Map<String, TreeSet<String>>> runs = new LinkedHashMap<>();
        String scenario = "";
        for (Map<String, String> r : csv.rows()) {
            if (!r.get("valid").equals("1")) {
                continue;
            }
            scenario = r.get("scenario");
            Summary.Setting s = new Summary.Setting(r.get("load_fraction"), r.get("fault_seconds"));
            int second = Integer.parseInt(r.get("second"));
            sums.computeIfAbsent(s, k -> new TreeMap<>()).computeIfAbsent(r.get("config"), k -> new TreeMap<>())
                    .computeIfAbsent(second, k -> new Second()).add(ResultsCsv.num(r, "success_rate"), ResultsCsv.num(r, "succeeded"));
            runs.computeIfAbsent(s, k -> new LinkedHashMap<>()).computeIfAbsent(r.get("config"), k -> new TreeSet<>()).add(r.get("run"));
            if (r.get("cpu_bound").equals("1")) {
                cpuBound.computeIfAbsent(s, k -> new TreeSet<>()).add(second);
            }
            if (r.get("phase").equals("fault")) {
                fault.computeIfAbsent(s, k -> new TreeSet<>()).add(second);
            } else if (r.get("phase").equals("warmup")) {
                warmup.computeIfAbsent(s, k -> new TreeSet<>()).add(second);
            }
        }
        if (sums.isEmpty()) {
            throw new IllegalArgumentException(csv.file() + " has no valid run to draw");
        }
        List<String> panels = new ArrayList<>();
        for (var setting : sums.entrySet()) {
            Summary.Setting s = setting.getKey();
            List<Svg.Span> spans = new ArrayList<>();
            span(warmup.get(s), "warm-up (discarded)", Svg.Span.WARMUP).ifPresent(spans::add);
            span(fault.get(s), "fault active", Svg.Span.FAULT).ifPresent(spans::add);
            cpuBound.getOrDefault(s, new TreeSet<>()).forEach(second -> spans.add(
                    new Svg.Span(second, second + 1, "CPU-bound second (machine > 90% busy) in at least one run", Svg.Span.CPU)));
            List<Svg.Line> success = new ArrayList<>(), goodput = new ArrayList<>();
            double xMax = 0, yMax = 0;
            for (var config : setting.getValue().entrySet()) {
                TreeMap<Integer, Second> perSecond = config.getValue();
                double[] xs = new double[perSecond.size()], rate = new double[xs.length], good = new double[xs.length];
                int i = 0;
                for (var e : perSecond.entrySet()) {
                    xs[i] = e.getKey() + 0.5; // the middle of its one-second bin
                    rate[i] = e.getValue().meanSuccessRate();
                    good[i] = e.getValue().meanGoodput();
                    yMax = Math.max(yMax, good[i]);
                    i++;
                }
                xMax = Math.max(xMax, perSecond.lastKey() + 1);
                String label = config.getKey() + " (n=" + runs.get(s).get(config.getKey()).size() + ")";
                String color = color(config.getKey());
                success.add(new Svg.Line(label, color, 1, xs, rate));
                goodput.add(new Svg.Line(label, color, 1, xs, good));
            }
            String where = scenario + ", " + s.label();
            panels.add(Svg.lineChart("Success: " + where, "time since the run started (s)", "success (fraction of orders)",
                    xMax, 0, 1, false, success, spans));
            panels.add(Svg.lineChart("Goodput: " + where, "time since the run started (s)", "goodput (successful orders/s)",
                    xMax, 0, Math.max(1, yMax * 1.1), false, goodput, spans));
        }
        return grid(panels, 2, csv.file(), Metric.SUCCESS_DEFINITION + "; goodput = successes per second; lines are means over valid runs");
    }

    /** One second of one configuration, summed over its valid runs. */
    private static final class Second {
        private double rateSum, goodputSum;
        private int rates, runs;

        void add(double successRate, double succeeded) {
            if (!Double.isNaN(successRate)) { // no arrival scheduled that second: no rate
                rateSum += successRate;
                rates++;
            }
            goodputSum += succeeded;
            runs++;
        }

        double meanSuccessRate() {
            return rates == 0 ? Double.NaN : rateSum / rates;
        }

        double meanGoodput() {
            return goodputSum / runs;
        }
    }

    static String map(Path folder) {
        ResultsCsv csv = ResultsCsv.read(folder.resolve("map.csv"));
        Map<String, List<Map<String, String>>> byConfig = new TreeMap<>();
        csv.rows().forEach(r -> byConfig.computeIfAbsent(r.get("config"), k -> new ArrayList<>()).add(r));
        if (byConfig.isEmpty()) {
            throw new IllegalArgumentException(csv.file() + " has no rows");
        }
        List<String> panels = new ArrayList<>();
        for (var e : byConfig.entrySet()) {
            TreeSet<Double> loads = new TreeSet<>(), triggers = new TreeSet<>();
            e.getValue().forEach(r -> {
                loads.add(ResultsCsv.num(r, "load_fraction"));
                triggers.add(ResultsCsv.num(r, "trigger_seconds"));
            });
            List<Double> ys = List.copyOf(loads.descendingSet()), xs = List.copyOf(triggers);
            double[][] cells = new double[ys.size()][xs.size()];
            for (double[] row : cells) {
                java.util.Arrays.fill(row, Double.NaN);
            }
            int judged = 0;
            for (Map<String, String> r : e.getValue()) {
                cells[ys.indexOf(ResultsCsv.num(r, "load_fraction"))][xs.indexOf(ResultsCsv.num(r, "trigger_seconds"))] =
                        ResultsCsv.num(r, "not_recovered_fraction");
                judged = Math.max(judged, (int) ResultsCsv.num(r, "judged"));
            }
            panels.add(Heatmap.panel("Config " + e.getKey() + ", simulated: runs not recovered (of up to " + judged + ")",
                    "trigger length (s)", "load (fraction of capacity)", xs, ys, cells));
        }
        return grid(panels, 2, csv.file(), "simulation (frl.sim, virtual time, the real pattern classes): a model of the stack, not a measurement of it");
    }

    static String amplification(Path folder) {
        return bars(folder, HOPS, "Amplification per hop",
                "calls per client order (mean, 95% CI)");
    }

    static String audit(Path folder) {
        return bars(folder, ANOMALIES, "Audit anomalies after drain", "count per run (mean, 95% CI)");
    }

    /** One bar chart per setting: groups are configurations, series the given metrics. */
    private static String bars(Path folder, List<String> metrics, String title, String yLabel) {
        Summary summary = Summary.read(folder);
        List<String> panels = new ArrayList<>();
        for (Summary.Setting s : summary.settings()) {
            List<String> configs = summary.configs(s);
            List<String> keys = metrics;
            double[][] v = new double[configs.size()][keys.size()], lo = new double[configs.size()][keys.size()], hi = new double[configs.size()][keys.size()];
            for (int g = 0; g < configs.size(); g++) {
                for (int k = 0; k < keys.size(); k++) {
                    var cell = summary.cell(configs.get(g), s, keys.get(k));
                    v[g][k] = cell.map(Summary.Cell::mean).orElse(Double.NaN);
                    lo[g][k] = cell.map(Summary.Cell::low).orElse(Double.NaN);
                    hi[g][k] = cell.map(Summary.Cell::high).orElse(Double.NaN);
                }
            }
            panels.add(Svg.barChart(title + ": " + s.label(), yLabel, configs, metrics.stream().map(id -> Metric.byId(id).label()).toList(), v, lo, hi));
        }
        return grid(panels, 2, summary.file(), "whiskers: the harness's 95% bootstrap interval over runs (none with one run)");
    }

    /**
     * One colour per configuration letter (A the first of the palette), so a configuration looks
     * the same in every line figure whichever configurations a folder holds.
     */
    static String color(String config) {
        int i = config.length() == 1 && config.charAt(0) >= 'A' && config.charAt(0) <= 'Z' ? config.charAt(0) - 'A' : Math.floorMod(config.hashCode(), Svg.PALETTE.length);
        return Svg.PALETTE[i % Svg.PALETTE.length];
    }

    private static java.util.Optional<Svg.Span> span(TreeSet<Integer> seconds, String label, String kind) {
        return seconds == null || seconds.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(new Svg.Span(seconds.first(), seconds.last() + 1, label, kind));
    }

    /**
     * Panels side by side, {@code columns} to a row, in one outer SVG; each panel keeps its own
     * coordinates inside a translated group. The source file and a note are written at the foot.
     */
    static String grid(List<String> panels, int columns, Path source, String note) {
        int x = 0, y = 0, rowHeight = 0, width = 0;
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < panels.size(); i++) {
            Matcher m = SIZE.matcher(panels.get(i));
            if (!m.find()) {
                throw new IllegalStateException("a panel without width and height: " + panels.get(i).lines().findFirst().orElse(""));
            }
            int w = Integer.parseInt(m.group(1)), h = Integer.parseInt(m.group(2));
            if (i > 0 && i % columns == 0) {
                x = 0;
                y += rowHeight + GAP;
                rowHeight = 0;
            }
            body.append(String.format(Locale.ROOT, "<g transform=\"translate(%d,%d)\">%n", x, y)).append(panels.get(i)).append("</g>\n");
            x += w + GAP;
            width = Math.max(width, x - GAP);
            rowHeight = Math.max(rowHeight, h);
        }
        int height = y + rowHeight + FOOT;
        // The foot must fit too: about 5 px per character at font size 9.
        width = Math.max(width, 8 + 5 * Math.max(note.length(), shown(source).length() + 8));
        return String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">%n"
                        + "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>%n", width, height, width, height)
                + body
                + String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\" font-size=\"9\" fill=\"#666\">source: %s</text>%n"
                        + "<text x=\"4\" y=\"%d\" font-size=\"9\" fill=\"#666\">%s</text>%n</svg>%n",
                height - 16, Svg.esc(shown(source)), height - 4, Svg.esc(note));
    }

    /** A results file named from its {@code results/} folder on, wherever the checkout lives. */
    static String shown(Path file) {
        String s = file.toString().replace('\\', '/');
        int i = s.lastIndexOf("results/");
        return i >= 0 ? s.substring(i) : s;
    }
}
