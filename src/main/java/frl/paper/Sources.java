package frl.paper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The manifest, {@code paper/sources.md}: a hand-edited Markdown table saying which committed
 * results folder backs which figure or table. The first table in the file whose header starts
 * {@code | name | kind | folder |} is read; prose around it is for people.
 *
 * <pre>
 * | name | kind | folder |
 * |---|---|---|
 * | retry-storm-timeline | timeline | results/20261201T014306Z-retry_storm |
 * </pre>
 *
 * A {@code name} becomes {@code figures/<name>.svg} or {@code tables/<name>.md}; names are unique.
 *
 * <p>Immutable.
 */
record Sources(List<Source> entries) {

    /** What an entry makes, and from which file of its folder. */
    enum Kind {
        /** Success and goodput per second per configuration, the fault shaded: timeline.csv. */
        TIMELINE("timeline.csv"),
        /** Fraction not recovered per load and trigger length, one panel per configuration: map.csv. */
        MAP("map.csv"),
        /** Calls per client order at each hop during the fault: summary.csv. */
        AMPLIFICATION("summary.csv"),
        /** Duplicate charges (per key, per order), orphan charges, PENDING after drain: summary.csv. */
        AUDIT("summary.csv"),
        /** Means with 95% intervals and paired differences against A: summary.csv. */
        TABLE("summary.csv");

        final String file;

        Kind(String file) {
            this.file = file;
        }

        static Kind of(String word) {
            try {
                return valueOf(word.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown kind '" + word + "'; one of " + Arrays.toString(values()).toLowerCase(Locale.ROOT));
            }
        }

        boolean isFigure() {
            return this != TABLE;
        }
    }

    record Source(String name, Kind kind, Path folder) {
        Source {
            if (!name.matches("[a-z0-9][a-z0-9-]*")) {
                throw new IllegalArgumentException("name '" + name + "': use lower-case letters, digits and '-'");
            }
        }

        /** Where the output goes, under the paper directory. */
        Path output(Path paperDir) {
            return kind.isFigure() ? paperDir.resolve("figures").resolve(name + ".svg") : paperDir.resolve("tables").resolve(name + ".md");
        }
    }

    /** Reads the manifest; folders are resolved against {@code root} (the repository). */
    static Sources read(Path manifest, Path root) {
        try {
            return parse(Files.readString(manifest), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the manifest " + manifest, e);
        }
    }

    static Sources parse(String markdown, Path root) {
        List<Source> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        boolean inTable = false;
        for (String line : markdown.split("\n")) {
            String t = line.trim();
            if (!t.startsWith("|")) {
                if (inTable) {
                    break;
                }
                continue;
            }
            List<String> cells = cells(t);
            if (!inTable) {
                inTable = cells.size() >= 3 && cells.get(0).equals("name") && cells.get(1).equals("kind") && cells.get(2).equals("folder");
                continue;
            }
            if (cells.get(0).matches(":?-+:?")) {
                continue;
            }
            if (cells.size() < 3 || cells.get(0).isEmpty() || cells.get(2).isEmpty()) {
                throw new IllegalArgumentException("a manifest row needs a name, a kind and a folder: " + t);
            }
            String name = cells.get(0), folder = cells.get(2).replace("`", "");
            if (!names.add(name)) {
                throw new IllegalArgumentException("name '" + name + "' appears twice in the manifest");
            }
            out.add(new Source(name, Kind.of(cells.get(1)), root.resolve(folder).normalize()));
        }
        if (!inTable) {
            throw new IllegalArgumentException("the manifest has no table whose header is | name | kind | folder |");
        }
        return new Sources(List.copyOf(out));
    }

    private static List<String> cells(String row) {
        String inner = row.substring(1, row.endsWith("|") ? row.length() - 1 : row.length());
        return Arrays.stream(inner.split("\\|", -1)).map(String::trim).toList();
    }
}
