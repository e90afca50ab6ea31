package frl.paper;

import frl.experiment.report.ResultsCsv;

import frl.experiment.plan.Phases;
import frl.experiment.report.ResultsFolderFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The paper's machinery on a results folder written by the harness's own writer (configs A and B,
 * loads 0.5 and 0.85, two runs each; every B run at 0.5 has an invalid baseline), and on a small
 * map.csv: what each figure and table must carry, not how it looks.
 */
class PaperTest {
    @TempDir
    Path dir;

    @Test
    void timelineDrawsOneLinePerValidConfigurationWithTheFaultShaded() throws Exception {
        Path folder = ResultsFolderFixture.write(dir, "20250101T000000Z-payment_errors");

        String svg = Figures.timeline(folder);

        // Two settings (loads), each a success and a goodput panel: four panels.
        assertEquals(4, count(svg, "<text x=\"\\d+\" y=\"16\" font-size=\"12\" font-weight=\"bold\">(Success|Goodput): payment_errors"));
        // A is drawn in every panel; B only at 0.85, because its runs at 0.5 are invalid.
        assertEquals(4, count(svg, "<path [^>]*><title>A \\(n=2\\)</title>"));
        assertEquals(2, count(svg, "<path [^>]*><title>B \\(n=2\\)</title>"));
        // Each panel shades the fault, and the shading spans fault/warm-up times the warm-up's width.
        List<Double> fault = widths(svg, "fault"), warmup = widths(svg, "span");
        assertEquals(4, fault.size());
        assertEquals(4, warmup.size());
        Phases p = ResultsFolderFixture.phases();
        assertEquals((double) p.fault() / p.warmup(), fault.get(0) / warmup.get(0), 0.02);
        assertTrue(svg.contains("<title>fault active</title>"));
        // The fixture's seconds 15 and 16 are CPU-bound in every run: two amber bands per panel.
        assertEquals(2 * 4, count(svg, "<rect class=\"cpu\""));
        assertTrue(svg.contains("source: results/") || svg.contains("source: " + folder.resolve("timeline.csv")), "names its source file");
        assertTrue(svg.contains("time since the run started (s)") && svg.contains("goodput (successful orders/s)"), "axis labels with units");
    }

    @Test
    void tableRowsCarryTheHarnesssIntervalsAndPairedDifferencesAgainstA() throws Exception {
        Path folder = ResultsFolderFixture.write(dir, "20250101T000000Z-payment_errors");

        String md = Tables.markdown(folder);

        assertTrue(md.contains("#### payment_errors, load 0.85 of capacity"), md);
        String aRow = md.lines().filter(l -> l.startsWith("| A | 2/2 |")).findFirst().orElseThrow();
        assertTrue(aRow.matches("\\| A \\| 2/2 \\| \\d\\.\\d+ \\[\\d\\.\\d+, \\d\\.\\d+] \\|.*"), "success during the fault with its interval: " + aRow);
        assertTrue(md.contains("Paired differences") && md.contains(" vs A |"), md);
        assertTrue(md.lines().anyMatch(l -> l.startsWith("| B | ") && l.contains("[")), "B's paired differences carry intervals:\n" + md);
        String invalidB = md.lines().filter(l -> l.startsWith("| B | 0/2 |")).findFirst().orElseThrow();
        assertTrue(invalidB.contains("n/a"), "no number for a cell with no valid run: " + invalidB);
    }

    @Test
    void cellsSayWhenThereIsNoInterval() {
        Summary.Setting s = new Summary.Setting("0.85", "10");
        assertEquals("0.528 [0.410, 0.640]", Tables.cell(new Summary.Cell("A", s, "success_fault", 0.5276, 0.41, 0.64, 5, 5, 5, "valid")));
        assertEquals("1450", Tables.cell(new Summary.Cell("A", s, "duplicate_charges_per_key", 1450, Double.NaN, Double.NaN, 1, 1, 1, "valid")));
        assertEquals("n/a", Tables.cell(new Summary.Cell("A", s, "mttr_km_median_s", Double.NaN, Double.NaN, Double.NaN, 0, 1, 1, "valid")));
        assertEquals("n/a", Tables.cell(null));
    }

    @Test
    void amplificationAndAuditDrawABarPerConfigurationAndSeries() throws Exception {
        Path folder = ResultsFolderFixture.write(dir, "20250101T000000Z-payment_errors");

        String amp = Figures.amplification(folder), audit = Figures.audit(folder);

        // A at both loads, B at 0.85 (its 0.5 cell is invalid and has no numbers): 3 groups x 4 series.
        assertEquals(3 * Figures.HOPS.size(), count(amp, "<rect class=\"bar\""));
        assertTrue(amp.contains("<title>B orders-&gt;payments (fault): "), "the hop B retries on is drawn");
        assertEquals(3 * Figures.ANOMALIES.size(), count(audit, "<rect class=\"bar\""));
        for (String id : Figures.ANOMALIES) {
            String label = frl.experiment.metrics.Metric.byId(id).label();
            assertTrue(audit.contains(">" + frl.experiment.report.Svg.esc(label) + "</text>"), "legend names " + label);
        }
    }

    @Test
    void metastabilityMapHasOnePanelPerConfiguration() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("20250101T000000Z-metastability-map"));
        Files.writeString(folder.resolve("map.csv"), """
                config,load_fraction,trigger_seconds,runs,valid_baselines,judged,not_recovered,not_recovered_fraction,wilson_low,wilson_high,mean_mttr_recovered_s
                A,0.50,0,20,20,20,0,0.0000,0.0000,0.1611,1.0000
                A,0.50,10,20,20,20,20,1.0000,0.8389,1.0000,
                A,0.90,0,20,20,20,5,0.2500,0.1119,0.4687,2.0000
                A,0.90,10,20,0,0,0,,,,
                D,0.50,0,20,20,20,0,0.0000,0.0000,0.1611,1.0000
                D,0.50,10,20,20,20,0,0.0000,0.0000,0.1611,4.0000
                D,0.90,0,20,20,20,0,0.0000,0.0000,0.1611,1.0000
                D,0.90,10,20,20,20,10,0.5000,0.2993,0.7007,9.0000
                """);

        String svg = Figures.map(folder);

        assertEquals(2, count(svg, "Config [AD], simulated: runs not recovered"));
        assertEquals(8, count(svg, "<rect class=\"cell\""));
        assertTrue(svg.contains("<title>load 0.50, trigger 10 s: 100% not recovered</title>"));
        assertTrue(svg.contains("<title>load 0.90, trigger 10 s: no judged runs</title>"), "an unjudged cell says so, not 0%");
        assertTrue(svg.contains("trigger length (s)") && svg.contains("load (fraction of capacity)"));
    }

    @Test
    void readsQuotedFieldsAsTheHarnessWritesThem() throws Exception {
        Path folder = ResultsFolderFixture.write(dir, "x");

        ResultsCsv runs = ResultsCsv.read(folder.resolve("runs.csv"));

        assertTrue(runs.rows().stream().anyMatch(r -> "a warning, with a comma".equals(r.get("warnings"))),
                "a quoted field with a comma reads back whole");
        assertEquals(8, runs.rows().size());
        assertTrue(Double.isNaN(ResultsCsv.num(java.util.Map.of("mean", ""), "mean")), "an empty field is not measured, not zero");
        var e = assertThrows(IllegalArgumentException.class, () -> ResultsCsv.num(java.util.Map.of("mean", "1"), "ci95_low"));
        assertTrue(e.getMessage().contains("ci95_low"));
    }

    @Test
    void aSummaryFromBeforeTheValidityGatesIsRefusedWithAReason() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("old"));
        Files.writeString(folder.resolve("summary.csv"), "config,load_fraction,rate,runs,metric,mean,ci95_low,ci95_high,n\nA,0.5,40,1,success_fault,0.8,,,1\n");

        var e = assertThrows(IllegalArgumentException.class, () -> Tables.markdown(folder));

        assertTrue(e.getMessage().contains("before the harness had validity gates"), e.getMessage());
    }

    @Test
    void manifestNamesEachOutputAndRejectsWhatItCannotMake() {
        Path root = Path.of("/repo");
        Sources s = Sources.parse("""
                # prose first
                | name | kind | folder |
                |---|---|---|
                | storm | timeline | results/x-retry_storm |
                | storm-table | table | `results/x-retry_storm` |

                | not | this | table |
                """, root);

        assertEquals(2, s.entries().size());
        assertEquals(Path.of("/repo/results/x-retry_storm"), s.entries().get(1).folder());
        assertEquals(Path.of("p/figures/storm.svg"), s.entries().get(0).output(Path.of("p")));
        assertEquals(Path.of("p/tables/storm-table.md"), s.entries().get(1).output(Path.of("p")));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Sources.parse("| name | kind | folder |\n|---|---|---|\n| a | chart | r |\n", root))
                .getMessage().contains("unknown kind 'chart'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Sources.parse("| name | kind | folder |\n|---|---|---|\n| a | map | r |\n| a | table | r |\n", root))
                .getMessage().contains("appears twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Sources.parse("| name | kind | folder |\n|---|---|---|\n| a | map |\n", root))
                .getMessage().contains("needs a name, a kind and a folder"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Sources.parse("no table here\n", root))
                .getMessage().contains("| name | kind | folder |"));
    }

    @Test
    void buildWritesEveryFigureAndTableAndAPageWithTheFiguresInlined() throws Exception {
        Path folder = ResultsFolderFixture.write(dir.resolve("results"), "20250101T000000Z-payment_errors");
        Path paper = Files.createDirectories(dir.resolve("paper"));
        Files.writeString(paper.resolve("sources.md"), """
                | name | kind | folder |
                |---|---|---|
                | errors-timeline | timeline | results/20250101T000000Z-payment_errors |
                | errors | table | results/20250101T000000Z-payment_errors |
                """);
        Files.writeString(paper.resolve("paper.md"), """
                # A *small* paper

                ![Figure 1: success over time](figures/errors-timeline.svg)

                <!-- include tables/errors.md -->

                ```
                | not | a | table |
                |---|---|---|
                ```
                """);

        List<Path> written = PaperMain.build(paper, dir);

        assertEquals(List.of(paper.resolve("figures/errors-timeline.svg"), paper.resolve("tables/errors.md"), paper.resolve("paper.html")), written);
        String html = Files.readString(paper.resolve("paper.html"));
        assertTrue(html.contains("<title>A small paper</title>"));
        assertTrue(html.contains("<figure><svg xmlns=\"http://www.w3.org/2000/svg\""), "the figure is inlined, not linked");
        assertTrue(html.contains("<figcaption>Figure 1: success over time</figcaption>"));
        assertFalse(html.contains("<img"), "no external image left");
        assertTrue(html.contains("<table><tr><th>config</th><th>valid runs</th>"), "the included table is an HTML table");
        assertTrue(html.contains("<code>| not | a | table |"), "a table in a code fence stays code");
        assertTrue(Files.readString(paper.resolve("tables/errors.md")).contains(folder.getFileName().toString()));
    }

    @Test
    void aManifestEntryWithoutItsFolderStopsTheBuildByName() throws Exception {
        Path paper = Files.createDirectories(dir.resolve("paper"));
        Files.writeString(paper.resolve("sources.md"), "| name | kind | folder |\n|---|---|---|\n| gone | audit | results/nope |\n");

        var e = assertThrows(IllegalArgumentException.class, () -> PaperMain.build(paper, dir));

        assertTrue(e.getMessage().startsWith("'gone': no results folder"), e.getMessage());
    }

    @Test
    void aPaperShowingAMissingFigureFails() throws Exception {
        Path paper = Files.createDirectories(dir.resolve("paper"));
        Files.writeString(paper.resolve("paper.md"), "# P\n\n![x](figures/none.svg)\n");

        var e = assertThrows(IllegalArgumentException.class, () -> new PaperHtml().render(paper.resolve("paper.md")));

        assertTrue(e.getMessage().contains("figures/none.svg"), e.getMessage());
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** Widths of the shaded spans of one class, in document order. */
    private static List<Double> widths(String svg, String cls) {
        Matcher m = Pattern.compile("<rect class=\"" + cls + "\" x=\"[\\d.]+\" y=\"\\d+\" width=\"([\\d.]+)\"").matcher(svg);
        List<Double> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(Double.parseDouble(m.group(1)));
        }
        return out;
    }
}
