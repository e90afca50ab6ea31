package frl.experiment.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The little CSV the results need (RFC 4180): a field is quoted when it holds a comma, a quote or
 * a line break; numbers are written with a dot whatever the locale; NaN ("not measured") is an
 * empty field, so spreadsheet tools read it as missing, not as zero.
 *
 * <p>Not thread-safe: build one file per instance.
 */
final class Csv {
    private final StringBuilder out = new StringBuilder();
    private final int columns;

    Csv(List<String> header) {
        columns = header.size();
        line(new ArrayList<>(header));
    }

    Csv row(List<?> fields) {
        if (fields.size() != columns) {
            throw new IllegalArgumentException("CSV row has " + fields.size() + " fields, header has " + columns + ": " + fields);
        }
        line(fields);
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void line(List<?> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(field(fields.get(i)));
        }
        out.append('\n');
    }

    static String field(Object o) {
        if (o == null) {
            return "";
        }
        if (o instanceof Double d) {
            return num(d);
        }
        String s = o.toString();
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }

    /** Integral values without a decimal point, others with up to 6 decimals; NaN as empty. */
    static String num(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return String.format(Locale.ROOT, "%.6f", d).replaceAll("0+$", "");
    }
}
