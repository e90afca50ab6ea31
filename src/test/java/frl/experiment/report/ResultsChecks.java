package frl.experiment.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks that a results folder is complete and every file in it is well-formed. */
public final class ResultsChecks {
    private ResultsChecks() {
    }

    /** Returns run.json, parsed by a strict mapper (no NaN tokens allowed). */
    public static JsonNode assertWellFormed(Path dir) throws Exception {
        for (String f : List.of("run.json", "timeline.csv", "runs.csv", "summary.csv", "summary.md", "report.html")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f + " present in " + dir);
        }
        JsonNode run = new ObjectMapper().readTree(dir.resolve("run.json").toFile());
        assertTrue(run.path("success_definition").asText().contains("HTTP 201"));
        for (String f : List.of("timeline.csv", "runs.csv", "summary.csv")) {
            assertFalse(ResultsCsv.read(dir.resolve(f)).rows().isEmpty(), f + ": every record as wide as the header, and some");
        }
        String md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.contains("within the client timeout") && md.contains("over *scheduled* arrivals"), "success defined in summary.md");
        assertTrue(md.contains("| Config | Load | Success |"), "the spec's table");

        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.trim().endsWith("</html>"));
        assertFalse(html.contains("<script") || html.contains(" src=") || html.contains("href="), "self-contained, nothing to fetch");
        Matcher svg = Pattern.compile("<svg.*?</svg>", Pattern.DOTALL).matcher(html);
        int count = 0;
        while (svg.find()) {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(svg.group().getBytes(StandardCharsets.UTF_8)));
            assertEquals("svg", doc.getDocumentElement().getTagName());
            count++;
        }
        assertTrue(count > 0, "report.html has svg plots");
        return run;
    }

    static int svgCount(Path dir) throws Exception {
        return Files.readString(dir.resolve("report.html")).split("<svg ", -1).length - 1;
    }
}
