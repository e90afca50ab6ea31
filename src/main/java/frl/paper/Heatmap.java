package frl.paper;

import frl.experiment.report.Svg;

import java.util.List;
import java.util.Locale;

/**
 * One panel of the metastability map: a grid of cells, x a trigger length, y a load, each cell
 * shaded from white (every run recovered) to dark red (none did) and labelled with its percentage;
 * a cell with no judged runs is grey and says so. A five-step key explains the shades. No
 * gradients or ids, so several maps can be inlined in one HTML page without clashing.
 *
 * <p>Stateless.
 */
final class Heatmap {
    private static final int LEFT = 58, TOP = 26, CELL_W = 44, CELL_H = 22, BOTTOM = 62, RIGHT = 10;

    private Heatmap() {
    }

    /** {@code values[y][x]} in [0, 1], NaN where nothing was judged. */
    static String panel(String title, String xLabel, String yLabel, List<Double> xs, List<Double> ys, double[][] values) {
        int w = Math.max(LEFT + xs.size() * CELL_W + RIGHT, LEFT + 270), h = TOP + ys.size() * CELL_H + BOTTOM;
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">%n"
                        + "<text x=\"4\" y=\"14\" font-size=\"11\" font-weight=\"bold\">%s</text>%n", w, h, w, h, Svg.esc(title)));
        for (int r = 0; r < ys.size(); r++) {
            int y = TOP + r * CELL_H;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"10\">%s</text>%n",
                    LEFT - 4, y + CELL_H / 2 + 4, String.format(Locale.ROOT, "%.2f", ys.get(r))));
            for (int c = 0; c < xs.size(); c++) {
                double v = values[r][c];
                int x = LEFT + c * CELL_W;
                boolean none = Double.isNaN(v);
                s.append(String.format(Locale.ROOT, "<rect class=\"cell\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"#fff\"><title>load %s, trigger %s s: %s</title></rect>%n",
                        x, y, CELL_W, CELL_H, none ? "#ccc" : shade(v), num(ys.get(r)), num(xs.get(c)), none ? "no judged runs" : percent(v) + " not recovered"));
                s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"9\" fill=\"%s\">%s</text>%n",
                        x + CELL_W / 2, y + CELL_H / 2 + 3, !none && v > 0.55 ? "#fff" : "#000", none ? "n/a" : percent(v)));
            }
        }
        int axisY = TOP + ys.size() * CELL_H;
        for (int c = 0; c < xs.size(); c++) {
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\">%s</text>%n",
                    LEFT + c * CELL_W + CELL_W / 2, axisY + 13, num(xs.get(c))));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\">%s</text>%n",
                LEFT + xs.size() * CELL_W / 2, axisY + 26, Svg.esc(xLabel)));
        int mid = TOP + ys.size() * CELL_H / 2;
        s.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%d\" font-size=\"10\" transform=\"rotate(-90 12 %d)\" text-anchor=\"middle\">%s</text>%n",
                mid, mid, Svg.esc(yLabel)));
        int keyY = axisY + 36;
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"9\">not recovered:</text>%n", LEFT, keyY + 9));
        for (int i = 0; i <= 4; i++) {
            int x = LEFT + 70 + i * 40;
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"10\" fill=\"%s\" stroke=\"#999\"/><text x=\"%d\" y=\"%d\" font-size=\"9\">%s</text>%n",
                    x, keyY, shade(i / 4.0), x + 15, keyY + 9, percent(i / 4.0)));
        }
        return s.append("</svg>\n").toString();
    }

    /** White at 0, #b2182b at 1, linear in between. */
    static String shade(double f) {
        double t = Math.max(0, Math.min(1, f));
        int r = (int) Math.round(255 + t * (0xb2 - 255)), g = (int) Math.round(255 + t * (0x18 - 255)), b = (int) Math.round(255 + t * (0x2b - 255));
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
    }

    private static String percent(double f) {
        return Math.round(f * 100) + "%";
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
