package frl.experiment.report;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultsCsvTest {
    private static final Path FILE = Path.of("runs.csv");

    @Test
    void readsBackWhatTheHarnessWriterWrites() {
        String written = new Csv(List.of("config", "status", "mean"))
                .row(List.of("A", "invalid: baseline 40.0%, warm-up cut", Double.NaN))
                .row(List.of("B", "said \"no\"\nthen yes", 1.5))
                .toString();

        ResultsCsv csv = ResultsCsv.parse(FILE, written);

        assertEquals(2, csv.rows().size());
        assertEquals("invalid: baseline 40.0%, warm-up cut", csv.rows().get(0).get("status"), "a comma inside quotes");
        assertTrue(Double.isNaN(ResultsCsv.num(csv.rows().get(0), "mean")), "an empty field is not measured, not zero");
        assertEquals("said \"no\"\nthen yes", csv.rows().get(1).get("status"), "doubled quotes and a line break");
        assertEquals(1.5, ResultsCsv.num(csv.rows().get(1), "mean"));
    }

    @Test
    void aRecordOfAnotherWidthIsAnErrorNamingIt() {
        var e = assertThrows(IllegalArgumentException.class, () -> ResultsCsv.parse(FILE, "a,b\n1,2\n3\n"));
        assertTrue(e.getMessage().contains("record 3 has 1 fields, the header has 2"), e.getMessage());
        var empty = assertThrows(IllegalArgumentException.class, () -> ResultsCsv.parse(FILE, ""));
        assertTrue(empty.getMessage().contains("no header"), empty.getMessage());
    }
}
