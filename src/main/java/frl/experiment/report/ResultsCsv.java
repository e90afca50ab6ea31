package frl.experiment.report;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CSV file as the harness writes it ({@link Csv}, RFC 4180): a header line, then rows; a quoted
 * field may hold commas, doubled quotes and line breaks; an empty field is a number that was not
 * measured, read back as NaN by {@link #num}. Parsed by Jackson's CSV module; a row whose field
 * count differs from the header's is an error naming the line, never a row silently skipped.
 * The one reader of results CSV files: the paper, the cross-validation and the tests use it.
 *
 * <p>Immutable once read.
 */
public record ResultsCsv(Path file, List<Map<String, String>> rows) {

    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();

    public static ResultsCsv read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such results file: " + file);
        }
        try {
            return parse(file, Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public static ResultsCsv parse(Path file, String text) {
        List<String[]> records;
        try (MappingIterator<String[]> it = CSV.readerFor(String[].class).readValues(text)) {
            records = it.readAll();
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not well-formed CSV: " + e.getMessage(), e);
        }
        if (records.isEmpty()) {
            throw new IllegalArgumentException(file + " is empty: no header line");
        }
        String[] header = records.getFirst();
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 1; i < records.size(); i++) {
            String[] r = records.get(i);
            if (r.length != header.length) {
                throw new IllegalArgumentException(file + " record " + (i + 1) + " has " + r.length
                        + " fields, the header has " + header.length);
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < header.length; c++) {
                row.put(header[c], r[c]);
            }
            rows.add(row);
        }
        return new ResultsCsv(file, List.copyOf(rows));
    }

    /** A numeric field; empty (not measured) is NaN, a missing column is an error naming it. */
    public static double num(Map<String, String> row, String column) {
        String v = row.get(column);
        if (v == null) {
            throw new IllegalArgumentException("no column '" + column + "' in " + row.keySet());
        }
        return v.isEmpty() ? Double.NaN : Double.parseDouble(v);
    }
}
