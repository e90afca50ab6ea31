package frl.experiment.report;

import frl.experiment.metrics.CellSummary;
import frl.experiment.metrics.Ci;
import frl.experiment.metrics.Metric;
import frl.experiment.metrics.RunResult;
import frl.experiment.metrics.TimelineRow;
import frl.experiment.run.Calibrator;
import frl.experiment.run.Experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * report.html: one self-contained page (inline CSS, inline SVG, no script, no external file) that
 * opens offline. Per load (and fault length, when the trigger is swept): success rate and goodput
 * over time for each config with the fault window shaded, CPU-bound seconds marked, and every
 * repetition drawn (so the spread between runs, the knife edge of metastability, is visible, not
 * averaged away); latency percentiles and CPU over time; amplification per hop; audit counts.
 * Then the tables of summary.md and the calibration. A config whose cell is invalid keeps its
 * plots (they show why) under a title that says so, and prints no numbers.
 *
 * <p>Stateless.
 */
final class HtmlReport {
    private static final String[] PERCENTILE_COLORS = {"#2ca02c", "#ff7f0e", "#d62728"};

    private HtmlReport() {
    }

    static String render(Experiment exp, List<RunResult> results, List<CellSummary> cells, boolean complete) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
                .append(Svg.esc(exp.id())).append("</title>\n<style>")
                .append("body{font-family:sans-serif;max-width:1300px;margin:1em auto;padding:0 1em;color:#222}")
                .append("table{border-collapse:collapse;font-size:12px;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}")
                .append(".grid{display:flex;flex-wrap:wrap;gap:6px}.banner{background:#fee;border:1px solid #c00;padding:.5em}")
                .append("pre{background:#f6f6f6;padding:.5em;white-space:pre-wrap}</style></head><body>\n");
        h.append("<h1>").append(Svg.esc(exp.scenario().id)).append(": configs ").append(Svg.esc(String.join(", ", exp.configs())))
                .append("</h1>\n");
        if (!complete) {
            h.append("<p class=\"banner\">Partial results: ").append(results.size()).append(" of ").append(exp.plan().size())
                    .append(" runs finished.</p>\n");
        }
        h.append("<p><b>").append(Svg.esc(Metric.SUCCESS_DEFINITION)).append("</b> (client timeout ")
                .append(exp.policy().timeout().toMillis()).append(" ms). Latency is measured from the intended send time of an open-model Poisson schedule.")
                .append(" Red: the fault window. Amber band at the top of a plot: a CPU-bound second (the machine's CPUs more than ")
                .append(Math.round(100 * TimelineRow.CPU_BOUND)).append("% busy), in which the CPUs, not the patterns, may have shaped the result.</p>\n");
        h.append("<pre>").append(Svg.esc(SummaryMarkdown.settings(exp))).append("</pre>\n");
        h.append("<h2>Summary (fault window unless stated)</h2>\n").append(SummaryMarkdown.mainTable(exp, cells).html());
        Table versus = SummaryMarkdown.versusTable(cells);
        if (!versus.rows().isEmpty()) {
            h.append("<h2>Differences against ").append(Svg.esc(cells.get(0).baselineConfig()))
                    .append(" (paired by repetition, bootstrap 95% interval)</h2>\n").append(versus.html());
        }
        Map<String, List<RunResult>> groups = new LinkedHashMap<>();
        for (String key : new TreeSet<>(results.stream().map(r -> r.spec().cellOfLoad()).toList())) {
            groups.put(key, results.stream().filter(r -> r.spec().cellOfLoad().equals(key)).toList());
        }
        groups.forEach((key, atLoad) -> {
            List<CellSummary> cellsAtLoad = cells.stream().filter(c -> c.loadFraction() == atLoad.get(0).spec().loadFraction()
                    && c.faultSeconds() == atLoad.get(0).spec().faultSeconds()).toList();
            h.append(String.format(Locale.ROOT, "<h2>Load %.2f of capacity (%.1f req/s)%s</h2>%n", atLoad.get(0).spec().loadFraction(),
                    atLoad.get(0).spec().rate(), exp.sweepsTrigger() ? ", fault " + atLoad.get(0).spec().faultSeconds() + " s" : ""));
            h.append("<h3>Success rate per second (by intended send time)</h3>\n<div class=\"grid\">")
                    .append(perConfig(exp, atLoad, cellsAtLoad, Chart.SUCCESS)).append("</div>\n");
            h.append("<h3>Goodput per second (grey: scheduled arrivals)</h3>\n<div class=\"grid\">")
                    .append(perConfig(exp, atLoad, cellsAtLoad, Chart.GOODPUT)).append("</div>\n");
            h.append("<h3>Latency percentiles per second (ms from intended send time, log scale)</h3>\n<div class=\"grid\">")
                    .append(perConfig(exp, atLoad, cellsAtLoad, Chart.LATENCY)).append("</div>\n");
            h.append("<h3>CPU per second (share of all CPUs: the machine, the five services, PostgreSQL, the load driver)</h3>\n<div class=\"grid\">")
                    .append(perConfig(exp, atLoad, cellsAtLoad, Chart.CPU)).append("</div>\n");
            h.append("<h3>Amplification per hop and audit</h3>\n<div class=\"grid\">")
                    .append(amplificationChart(cellsAtLoad)).append(auditChart(cellsAtLoad)).append("</div>\n");
        });
        h.append("<h2>Correctness audit</h2>\n").append(SummaryMarkdown.auditTable(cells).html());
        h.append("<h2>Refusals by hop</h2>\n").append(SummaryMarkdown.rejectionTable(cells).html());
        h.append("<h2>Pattern telemetry and the machine</h2>\n").append(SummaryMarkdown.telemetryTable(cells).html());
        String validity = SummaryMarkdown.validityLines(results);
        if (!validity.isEmpty()) {
            h.append("<h2>Validity</h2>\n<pre>").append(Svg.esc(validity)).append("</pre>\n");
        }
        h.append(calibration(exp));
        List<String> warnings = SummaryMarkdown.warnings(exp, results);
        if (!warnings.isEmpty()) {
            h.append("<h2>Warnings</h2>\n<ul>");
            warnings.forEach(w -> h.append("<li>").append(Svg.esc(w)).append("</li>"));
            h.append("</ul>\n");
        }
        return h.append("<p>Generated from run.json, timeline.csv and summary.csv in this folder.</p>\n</body></html>\n").toString();
    }

    private enum Chart { SUCCESS, GOODPUT, LATENCY, CPU }

    private static String perConfig(Experiment exp, List<RunResult> runs, List<CellSummary> cells, Chart chart) {
        double maxGoodput = 1, maxLatency = 10;
        for (RunResult r : runs) {
            for (TimelineRow t : r.timeline()) {
                maxGoodput = Math.max(maxGoodput, t.scheduled());
                maxLatency = Math.max(maxLatency, Double.isNaN(t.p99Ms()) ? 0 : t.p99Ms());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String config : exp.configs()) {
            List<RunResult> mine = runs.stream().filter(r -> r.spec().config().equals(config)).toList();
            if (mine.isEmpty()) {
                continue;
            }
            double opacity = mine.size() == 1 ? 1.0 : 0.55;
            List<Svg.Line> lines = new ArrayList<>();
            for (RunResult r : mine) {
                double[] xs = r.timeline().stream().mapToDouble(t -> t.second() + 0.5).toArray();
                switch (chart) {
                    case SUCCESS -> lines.add(new Svg.Line("success rate", Svg.PALETTE[0], opacity, xs,
                            r.timeline().stream().mapToDouble(TimelineRow::successRate).toArray()));
                    case GOODPUT -> {
                        lines.add(new Svg.Line("scheduled/s", "#999", opacity, xs,
                                r.timeline().stream().mapToDouble(TimelineRow::scheduled).toArray()));
                        lines.add(new Svg.Line("goodput/s", Svg.PALETTE[2], opacity, xs,
                                r.timeline().stream().mapToDouble(TimelineRow::succeeded).toArray()));
                    }
                    case LATENCY -> {
                        lines.add(new Svg.Line("p50", PERCENTILE_COLORS[0], opacity, xs, r.timeline().stream().mapToDouble(TimelineRow::p50Ms).toArray()));
                        lines.add(new Svg.Line("p95", PERCENTILE_COLORS[1], opacity, xs, r.timeline().stream().mapToDouble(TimelineRow::p95Ms).toArray()));
                        lines.add(new Svg.Line("p99", PERCENTILE_COLORS[2], opacity, xs, r.timeline().stream().mapToDouble(TimelineRow::p99Ms).toArray()));
                    }
                    case CPU -> {
                        lines.add(new Svg.Line("machine", "#333", opacity, xs, r.timeline().stream().mapToDouble(t -> t.cpu().machineBusy()).toArray()));
                        lines.add(new Svg.Line("services", Svg.PALETTE[0], opacity, xs, r.timeline().stream().mapToDouble(t -> share(t,
                                List.of("gateway", "orders", "payments", "inventory", "notifications"))).toArray()));
                        lines.add(new Svg.Line("postgres", Svg.PALETTE[4], opacity, xs, r.timeline().stream().mapToDouble(t -> share(t, List.of("postgres"))).toArray()));
                        lines.add(new Svg.Line("driver", Svg.PALETTE[3], opacity, xs, r.timeline().stream()
                                .mapToDouble(t -> t.cpu().cpuCount() == 0 ? Double.NaN : t.cpu().driverCores() / t.cpu().cpuCount()).toArray()));
                    }
                }
            }
            RunResult first = mine.get(0);
            List<Svg.Span> spans = new ArrayList<>();
            spans.add(new Svg.Span(0, first.phases().warmup(), "settle (discarded)", Svg.Span.WARMUP));
            if (exp.scenario().injectsFault()) {
                spans.add(new Svg.Span(first.phases().faultStart(), first.phases().faultEnd(), "fault: " + exp.chaosJson(), Svg.Span.FAULT));
            }
            for (RunResult r : mine) {
                for (TimelineRow t : r.timeline()) {
                    if (t.cpuBound()) {
                        spans.add(new Svg.Span(t.second(), t.second() + 1, String.format(Locale.ROOT, "CPU-bound second %d (machine %.0f%%)",
                                t.second(), 100 * t.cpu().machineBusy()), Svg.Span.CPU));
                    }
                }
            }
            CellSummary cell = cells.stream().filter(c -> c.config().equals(config)).findFirst().orElse(null);
            String verdict = cell == null ? "" : cell.invalid() ? ": " + cell.status() : ", MTTR " + cell.mttrText();
            String title = "Config " + config + (mine.size() > 1 ? " (" + mine.size() + " runs)" : "") + verdict;
            double xMax = first.phases().end();
            out.append(switch (chart) {
                case SUCCESS -> Svg.lineChart(title, "seconds", "success rate", xMax, 0, 1, false, lines, spans);
                case GOODPUT -> Svg.lineChart(title, "seconds", "requests/s", xMax, 0, maxGoodput * 1.05, false, lines, spans);
                case LATENCY -> Svg.lineChart(title, "seconds", "ms", xMax, 1, Math.pow(10, Math.ceil(Math.log10(maxLatency))), true, lines, spans);
                case CPU -> Svg.lineChart(title, "seconds", "share of all CPUs", xMax, 0, 1, false, lines, spans);
            });
        }
        return out.toString();
    }

    /** The named groups' CPU as a share of all CPUs (NaN when none was recorded). */
    private static double share(TimelineRow t, List<String> groups) {
        double sum = 0;
        boolean any = false;
        for (String g : groups) {
            double v = t.cpu().cores(g);
            if (!Double.isNaN(v)) {
                sum += v;
                any = true;
            }
        }
        return any && t.cpu().cpuCount() > 0 ? sum / t.cpu().cpuCount() : Double.NaN;
    }

    private static String amplificationChart(List<CellSummary> cells) {
        List<String> hops = List.of("client->gateway", "gateway->orders", "orders->payments", "orders->inventory");
        List<String> ids = List.of("amp_client_gateway_fault", "amp_gateway_orders_fault", "amp_orders_payments_fault", "amp_orders_inventory_fault");
        return bars("Amplification per hop (fault window, x)", "attempts / client request", cells, hops, ids);
    }

    private static String auditChart(List<CellSummary> cells) {
        List<String> kinds = List.of("dup. per order", "dup. per key", "no charge", "orphans", "stock drift", "notif. missing",
                "notif. dup.", "201 not confirmed");
        List<String> ids = List.of("duplicate_charges_per_order", "duplicate_charges_per_key", "confirmed_without_charge",
                "orphan_charges", "stock_drift_units", "notifications_missing", "notifications_duplicated", "acked_not_confirmed");
        return bars("Audit anomalies per run", "count", cells, kinds, ids);
    }

    private static String bars(String title, String yLabel, List<CellSummary> cells, List<String> series, List<String> ids) {
        int g = cells.size(), k = ids.size();
        double[][] v = new double[g][k], lo = new double[g][k], hi = new double[g][k];
        for (int i = 0; i < g; i++) {
            for (int j = 0; j < k; j++) {
                Ci ci = cells.get(i).metric(ids.get(j));
                v[i][j] = ci.estimate();
                lo[i][j] = ci.low();
                hi[i][j] = ci.high();
            }
        }
        return Svg.barChart(title, yLabel, cells.stream().map(CellSummary::config).toList(), series, v, lo, hi);
    }

    private static String calibration(Experiment exp) {
        StringBuilder h = new StringBuilder("<h2>Capacity</h2>\n<p>");
        h.append(String.format(Locale.ROOT, "%.1f requests/s (%s).", exp.capacity(), Svg.esc(exp.capacitySource())));
        if (exp.capacityCheck() != null) {
            h.append(" ").append(Svg.esc(exp.capacityCheck().message())).append('.');
        }
        Calibrator.Calibration c = exp.calibration();
        if (c == null) {
            return h.append("</p>\n").toString();
        }
        h.append(String.format(Locale.ROOT, " %d passes of an open-loop step test with config %s, %d s steps from %.0f/s, x%.2f per step;"
                        + " a step follows when goodput >= %.0f%% of offered. Capacity %s.",
                c.passes().size(), Svg.esc(c.config()), c.stepSeconds(), c.startRate(), c.factor(), 100 * (1 - c.tolerance()),
                Svg.esc(c.describe())));
        if (c.machineBound()) {
            h.append(" <b>").append(Svg.esc(SummaryMarkdown.machineBoundText(c))).append(".</b>");
        }
        h.append("</p>\n");
        List<List<String>> rows = new ArrayList<>();
        for (int p = 0; p < c.passes().size(); p++) {
            Calibrator.Pass pass = c.passes().get(p);
            for (int i = 0; i < pass.steps().size(); i++) {
                Calibrator.StepResult s = pass.steps().get(i);
                rows.add(List.of(Integer.toString(p + 1), Integer.toString(i + 1), SummaryMarkdown.fmt(s.offeredPerSecond(), "%.1f"),
                        SummaryMarkdown.fmt(s.goodputPerSecond(), "%.1f"), SummaryMarkdown.fmt(s.p99Ms(), "%.0f"),
                        SummaryMarkdown.fmt(100 * s.cpu().machineBusy(), "%.0f%%"), SummaryMarkdown.fmt(s.cpu().driverCores(), "%.2f"),
                        SummaryMarkdown.fmt(servicesCores(s.cpu()), "%.2f"), SummaryMarkdown.fmt(s.cpu().cores("postgres"), "%.2f"),
                        i == pass.kneeIndex() ? "knee: " + SummaryMarkdown.fmt(pass.capacity(), "%.1f") + "/s" : ""));
            }
        }
        return h.append(new Table(List.of("pass", "step", "offered/s", "goodput/s", "p99 ms", "machine CPU busy",
                "driver CPU (cores)", "services CPU (cores)", "postgres CPU (cores)", ""), rows).html()).toString();
    }

    private static double servicesCores(frl.experiment.stack.CpuSampler.Usage u) {
        double sum = 0;
        boolean any = false;
        for (String s : List.of("gateway", "orders", "payments", "inventory", "notifications")) {
            double v = u.cores(s);
            if (!Double.isNaN(v)) {
                sum += v;
                any = true;
            }
        }
        return any ? sum : Double.NaN;
    }
}
