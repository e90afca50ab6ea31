package frl.paper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CSV file as the harness writes it (RFC 4180, see {@code frl.experiment.report.Csv}): a header
 * line, then rows; a quoted field may hold commas, doubled quotes and line breaks; an empty field
 * is a number that was not measured, read back as NaN by {@link #num}.
 *
 * <p>Immutable once read.
 */
record ResultsCsv(Path file, List<Map<String, String>> rows) {

    static ResultsCsv read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such results file: " + file);
        }
        try {
            return parse(file, Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static ResultsCsv parse(Path file, String text) {
        List<List<String>> records = records(text);
        if (records.isEmpty()) {
            throw new IllegalArgumentException(file + " is empty: no header line");
        }
        List<String> header = records.get(0);
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 1; i < records.size(); i++) {
            List<String> r = records.get(i);
            if (r.size() != header.size()) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + " has " + r.size() + " fields, the header has " + header.size());
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                row.put(header.get(c), r.get(c));
            }
            rows.add(row);
        }
        return new ResultsCsv(file, List.copyOf(rows));
    }

    /** A numeric field; empty (not measured) is NaN, a missing column is an error naming it. */
    static double num(Map<String, String> row, String column) {
        String v = row.get(column);
        if (v == null) {
            throw new IllegalArgumentException("no column '" + column + "' in " + row.keySet());
        }
        return v.isEmpty() ? Double.NaN : Double.parseDouble(v);
    }

    /** The fields of every record; one pass over the text, quotes toggling a state. */
    private static List<List<String>> records(String text) {
        List<List<String>> out = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false, any = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                any = true;
            } else if (c == ',') {
                fields.add(f.toString());
                f.setLength(0);
                any = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                if (any || f.length() > 0) {
                    fields.add(f.toString());
                    out.add(fields);
                }
                fields = new ArrayList<>();
                f.setLength(0);
                any = false;
            } else {
                f.append(c);
                any = true;
            }
        }
        if (any || f.length() > 0) {
            fields.add(f.toString());
            out.add(fields);
        }
        return out;
    }
}
