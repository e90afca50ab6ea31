package frl.sim;

import frl.experiment.load.ClientPolicy;
import frl.experiment.metrics.MttrRule;

import java.util.List;
import java.util.Locale;

/**
 * The metastability map's outputs, as text: map.csv, summary.md, and report.html with one SVG
 * heatmap per configuration (load up, trigger length across; the fraction of runs that did not
 * recover in each cell, its Wilson interval and counts on hover and in a table below). One
 * self-contained page: inline CSS and SVG, no script, no external file.
 *
 * <p>Stateless.
 */
final class Heatmap {
    private static final int CELL_W = 46;
    private static final int CELL_H = 24;
    private static final int LEFT = 58;
    private static final int TOP = 28;
    private static final int BOTTOM = 40;

    private Heatmap() {
    }

    static String csv(List<MetastabilityMap.Cell> cells) {
        StringBuilder out = new StringBuilder("config,load_fraction,trigger_seconds,runs,valid_baselines,judged,not_recovered,"
                + "not_recovered_fraction,wilson_low,wilson_high,km_median_mttr_s\n");
        for (MetastabilityMap.Cell c : cells) {
            var nr = c.notRecovered();
            out.append(String.format(Locale.ROOT, "%s,%.2f,%d,%d,%d,%d,%d,%s,%s,%s,%s%n", c.config(), c.load(), c.trigger(), c.runs(),
                    c.validBaselines(), nr.n(), Math.round(nr.estimate() * nr.n()), num(nr.estimate()), num(nr.low()), num(nr.high()),
                    num(c.medianMttr())));
        }
        return out.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    /** One line per configuration: from which trigger length the stack stays down, load by load. */
    static String boundaries(MetastabilityMap.Grid grid, List<MetastabilityMap.Cell> cells) {
        StringBuilder out = new StringBuilder("Shortest trigger after which at least half the runs did not recover:\n");
        for (String config : grid.configs()) {
            out.append("  ").append(config).append(':');
            for (double load : grid.loads()) {
                out.append(String.format(Locale.ROOT, "  %.2f %s", load, boundary(config, load, grid, cells)));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** "-" (recovered from every trigger), "10 s", "0 s" (down even without a trigger) or "invalid". */
    static String boundary(String config, double load, MetastabilityMap.Grid grid, List<MetastabilityMap.Cell> cells) {
        boolean anyJudged = false;
        for (int t : grid.triggers()) {
            MetastabilityMap.Cell c = find(cells, config, load, t);
            if (c != null && c.judged()) {
                anyJudged = true;
                if (c.notRecovered().estimate() >= 0.5) {
                    return t + " s";
                }
            }
        }
        return anyJudged ? "-" : "invalid";
    }

    static MetastabilityMap.Cell find(List<MetastabilityMap.Cell> cells, String config, double load, int trigger) {
        for (MetastabilityMap.Cell c : cells) {
            if (c.config().equals(config) && c.load() == load && c.trigger() == trigger) {
                return c;
            }
        }
        return null;
    }

    static String method(MetastabilityMap.Grid grid, ClientPolicy client, MttrRule rule) {
        return String.format(Locale.ROOT, "Each cell: %d simulated runs (seed %d). Trigger: payments cut to 2 of 4 worker slots for the"
                        + " trigger length (trigger 0: nothing switched, the control). Clients: open-model Poisson arrivals at the load"
                        + " (fraction of the model's 80/s capacity), %d ms timeout, up to %d re-sends with the same key. Timeline: %d s"
                        + " warm-up, %d s baseline, the trigger, %d s recovery. Did not recover: the MTTR rule (%d s rolling window,"
                        + " >= %.2f x baseline success ratio, p99 <= %.0f ms, held %d s) was not met within the recovery window."
                        + " Runs whose baseline was invalid (success < 99%% or p99 above the SLO) are left out; a cell with none"
                        + " left is grey.",
                grid.seeds(), grid.seed(), client.timeout().toMillis(), client.resends(), MetastabilityMap.WARMUP,
                MetastabilityMap.BASELINE, grid.recovery(), rule.windowSeconds(), rule.fraction(), rule.sloP99Ms(), rule.holdSeconds());
    }

    static String markdown(MetastabilityMap.Grid grid, List<MetastabilityMap.Cell> cells, ClientPolicy client, MttrRule rule) {
        StringBuilder md = new StringBuilder("# Metastability map (simulation)\n\n");
        md.append("> **Simulation (frl.sim, virtual time, the real pattern classes): a model of the stack, not a measurement of it.**\n\n");
        md.append("Fraction of runs that **did not recover** after the trigger was removed.\n\n").append(method(grid, client, rule)).append("\n\n");
        md.append("```\n").append(boundaries(grid, cells)).append("```\n\n");
        for (String config : grid.configs()) {
            md.append("## Config ").append(config).append("\n\n| load \\ trigger |");
            grid.triggers().forEach(t -> md.append(' ').append(t).append(" s |"));
            md.append("\n|---|");
            grid.triggers().forEach(t -> md.append("---|"));
            md.append('\n');
            for (int i = grid.loads().size() - 1; i >= 0; i--) {
                double load = grid.loads().get(i);
                md.append(String.format(Locale.ROOT, "| %.2f |", load));
                for (int t : grid.triggers()) {
                    md.append(' ').append(label(find(cells, config, load, t))).append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
        }
        md.append("Cells: fraction not recovered (runs judged); \"invalid\": no run had a valid baseline. Files: map.csv, run.json, report.html.\n");
        return md.toString();
    }

    private static String label(MetastabilityMap.Cell c) {
        if (c == null || !c.judged()) {
            return "invalid";
        }
        return String.format(Locale.ROOT, "%.2f (%d)", c.notRecovered().estimate(), c.notRecovered().n());
    }

    static String html(String id, MetastabilityMap.Grid grid, List<MetastabilityMap.Cell> cells, ClientPolicy client, MttrRule rule) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
                .append(esc(id)).append("</title>\n<style>body{font-family:sans-serif;max-width:1300px;margin:1em auto;padding:0 1em;color:#222}")
                .append("table{border-collapse:collapse;font-size:12px;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}")
                .append(".grid{display:flex;flex-wrap:wrap;gap:12px}.banner{background:#fee;border:1px solid #c00;padding:.5em}")
                .append("pre{background:#f6f6f6;padding:.5em}</style></head><body>\n");
        h.append("<p class=\"banner\">Simulation (frl.sim, virtual time, the real pattern classes): a model of the stack, not a measurement of it.</p>\n");
        h.append("<h1>Metastability map</h1>\n<p>Fraction of runs that <b>did not recover</b> after the trigger was removed. ")
                .append(esc(method(grid, client, rule))).append(" Hover a cell for its counts and interval.</p>\n");
        h.append("<pre>").append(esc(boundaries(grid, cells))).append("</pre>\n<div class=\"grid\">");
        for (String config : grid.configs()) {
            h.append(svg(config, grid, cells));
        }
        h.append("</div>\n");
        for (String config : grid.configs()) {
            h.append("<h2>Config ").append(esc(config)).append("</h2>\n<table><tr><th>load \\ trigger</th>");
            grid.triggers().forEach(t -> h.append("<th>").append(t).append(" s</th>"));
            h.append("</tr>\n");
            for (int i = grid.loads().size() - 1; i >= 0; i--) {
                double load = grid.loads().get(i);
                h.append(String.format(Locale.ROOT, "<tr><th>%.2f</th>", load));
                for (int t : grid.triggers()) {
                    h.append("<td>").append(esc(detail(find(cells, config, load, t)))).append("</td>");
                }
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        }
        return h.append("<p>Generated with map.csv and run.json in this folder.</p>\n</body></html>\n").toString();
    }

    private static String detail(MetastabilityMap.Cell c) {
        if (c == null || !c.judged()) {
            return c == null ? "" : "invalid baseline in all " + c.runs() + " runs";
        }
        var nr = c.notRecovered();
        return String.format(Locale.ROOT, "%d/%d [%.2f, %.2f]%s%s", Math.round(nr.estimate() * nr.n()), nr.n(), nr.low(), nr.high(),
                c.validBaselines() < c.runs() ? ", " + (c.runs() - c.validBaselines()) + " invalid" : "",
                Double.isNaN(c.medianMttr()) ? ", median MTTR not reached" : String.format(Locale.ROOT, ", median MTTR %.0f s", c.medianMttr()));
    }

    static String svg(String config, MetastabilityMap.Grid grid, List<MetastabilityMap.Cell> cells) {
        int cols = grid.triggers().size();
        int rows = grid.loads().size();
        int w = LEFT + cols * CELL_W + 10;
        int hgt = TOP + rows * CELL_H + BOTTOM;
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-size=\"10\" font-family=\"sans-serif\">"
                        + "<text x=\"%d\" y=\"16\" font-size=\"13\" font-weight=\"bold\">Config %s: fraction not recovered</text>",
                w, hgt, LEFT, esc(config)));
        for (int r = 0; r < rows; r++) {
            double load = grid.loads().get(rows - 1 - r); // highest load on top
            int y = TOP + r * CELL_H;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.2f</text>", LEFT - 6, y + CELL_H / 2 + 4, load));
            for (int k = 0; k < cols; k++) {
                int t = grid.triggers().get(k);
                MetastabilityMap.Cell c = find(cells, config, load, t);
                int x = LEFT + k * CELL_W;
                boolean judged = c != null && c.judged();
                double f = judged ? c.notRecovered().estimate() : 0;
                s.append(String.format(Locale.ROOT, "<g><title>%s</title><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"#fff\"/>",
                        esc("config " + config + ", load " + String.format(Locale.ROOT, "%.2f", load) + ", trigger " + t + " s: "
                                + (c == null ? "no runs" : detail(c))), x, y, CELL_W, CELL_H, judged ? color(f) : "#bdbdbd"));
                s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\">%s</text></g>",
                        x + CELL_W / 2, y + CELL_H / 2 + 4, f > 0.6 ? "#fff" : "#222", judged ? String.format(Locale.ROOT, "%.2f", f) : "n/a"));
            }
        }
        int axis = TOP + rows * CELL_H;
        for (int k = 0; k < cols; k++) {
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d</text>",
                    LEFT + k * CELL_W + CELL_W / 2, axis + 13, grid.triggers().get(k)));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">trigger length (s)</text>",
                LEFT + cols * CELL_W / 2, axis + 30));
        s.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%d\" transform=\"rotate(-90 12 %d)\" text-anchor=\"middle\">load (x capacity)</text>",
                TOP + rows * CELL_H / 2, TOP + rows * CELL_H / 2));
        return s.append("</svg>").toString();
    }

    /** White at 0, deep red at 1. */
    static String color(double f) {
        double x = Math.max(0, Math.min(1, f));
        int r = (int) Math.round(255 + x * (165 - 255));
        int g = (int) Math.round(255 + x * (15 - 255));
        int b = (int) Math.round(255 + x * (21 - 255));
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
    }

    static String esc(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
