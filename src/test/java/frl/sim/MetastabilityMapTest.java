package frl.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A small map: the metastable corner shows, the safe corner does not, and every file is written. */
class MetastabilityMapTest {
    @TempDir
    Path dir;

    @Test
    void aLongTriggerAtHighLoadLeavesNaiveRetriesDownWhileTheFullStackRecovers() throws Exception {
        MetastabilityMap.Grid grid = new MetastabilityMap.Grid(List.of("A", "F"), List.of(0.3, 0.9), List.of(0, 20), 3, 42, 90);

        List<MetastabilityMap.Cell> cells = MetastabilityMap.run(grid, Knobs.defaults(), 2, dir);

        assertEquals(8, cells.size());
        for (MetastabilityMap.Cell c : cells) {
            boolean corner = c.config().equals("A") && c.load() == 0.9 && c.trigger() == 20;
            assertTrue(c.judged(), "every cell here has valid baselines: " + c);
            assertEquals(corner ? 1.0 : 0.0, c.notRecovered().estimate(), c.toString());
        }
        Path out;
        try (var folders = Files.list(dir)) {
            out = folders.filter(p -> p.getFileName().toString().endsWith("-metastability-map")).findFirst().orElseThrow();
        }
        String html = Files.readString(out.resolve("report.html"));
        assertEquals(2, html.split("<svg ", -1).length - 1, "one heatmap per configuration");
        assertEquals(1 + 8, Files.readAllLines(out.resolve("map.csv")).size());
        assertTrue(Files.readString(out.resolve("run.json")).contains("\"engine\" : \"simulation\""));
        assertTrue(Files.readString(out.resolve("summary.md")).contains("| 0.90 | 0.00 (3) | 1.00 (3) |"));
    }
}
