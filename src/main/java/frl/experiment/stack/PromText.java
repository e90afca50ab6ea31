package frl.experiment.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads the samples the harness needs out of a {@code GET /metrics} answer (the Prometheus text
 * exposition format, version 0.0.4): {@code name{label="value",...} number [timestamp]}, one per
 * line; {@code #} lines and blank lines are skipped. Label values may hold {@code \\}, {@code \"}
 * and {@code \n} escapes.
 *
 * <p>Why read /metrics at all when {@code /admin/counters} exists: some splits live only in the
 * metrics' labels (bulkhead rejections by downstream and configuration; breaker transitions by
 * breaker). Prometheus counters are cumulative since the process started, so a window's value is
 * the difference of two scrapes, filtered to the run's configuration.
 *
 * <p>A malformed line is skipped, not fatal: a scrape answers what it can.
 *
 * <p>Stateless.
 */
public final class PromText {
    /** One sample: metric name, labels in order, value. */
    public record Sample(String name, Map<String, String> labels, double value) {
        public String label(String key) {
            return labels.getOrDefault(key, "");
        }
    }

    private PromText() {
    }

    /** Family names declared by {@code # TYPE} lines (a counter family "x" has samples "x_total"). */
    public static java.util.Set<String> families(String text) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (String line : text.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 3 && f[0].equals("#") && f[1].equals("TYPE")) {
                out.add(f[2]);
            }
        }
        return out;
    }

    /** Samples whose metric name {@code wanted} accepts, in the order they appear. */
    public static List<Sample> parse(String text, Predicate<String> wanted) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int brace = l.indexOf('{');
            int space = l.indexOf(' ');
            int nameEnd = brace >= 0 && (space < 0 || brace < space) ? brace : space;
            if (nameEnd <= 0 || !wanted.test(l.substring(0, nameEnd))) {
                continue;
            }
            try {
                out.add(sample(l, nameEnd, brace == nameEnd));
            } catch (RuntimeException e) {
                // malformed: skipped
            }
        }
        return List.copyOf(out);
    }

    private static Sample sample(String l, int nameEnd, boolean hasLabels) {
        Map<String, String> labels = new LinkedHashMap<>();
        int i = nameEnd;
        if (hasLabels) {
            i++;
            while (l.charAt(i) != '}') {
                int eq = l.indexOf('=', i);
                String key = l.substring(i, eq).strip();
                i = eq + 1;
                if (l.charAt(i) != '"') {
                    throw new IllegalArgumentException("label value not quoted");
                }
                StringBuilder v = new StringBuilder();
                for (i++; l.charAt(i) != '"'; i++) {
                    char c = l.charAt(i);
                    if (c == '\\') {
                        char e = l.charAt(++i);
                        v.append(e == 'n' ? '\n' : e);
                    } else {
                        v.append(c);
                    }
                }
                labels.put(key, v.toString());
                i++;
                if (l.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        String[] rest = l.substring(i).strip().split("\\s+");
        return new Sample(l.substring(0, nameEnd), labels, Double.parseDouble(rest[0]));
    }
}
