package frl.docs;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/tour.md sends the reader to a file and line at each step, with the code they will find
 * there quoted beside it. This checks every such pair, so an edit that moves the code fails here
 * (with the line the code moved to) instead of sending the next reader to the wrong place.
 */
class TourTest {
    /** {@code `frl/x/Y.java:NN`} then, in the same table row or sentence, {@code `quoted code`}. */
    private static final Pattern REFERENCE = Pattern.compile("`(frl/[\\w/]+\\.java):(\\d+)`(?: \\| | )`([^`]+)`");

    @Test
    void everyFileAndLineInTheTourShowsTheCodeItQuotes() throws Exception {
        String tour = Files.readString(Path.of("docs/tour.md"));
        Matcher m = REFERENCE.matcher(tour);
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        while (m.find()) {
            checked++;
            Path file = Path.of("src/main/java").resolve(m.group(1));
            int line = Integer.parseInt(m.group(2));
            String quoted = m.group(3);
            List<String> lines = Files.readAllLines(file);
            if (line > lines.size() || !lines.get(line - 1).contains(quoted)) {
                int now = -1;
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).contains(quoted)) {
                        now = i + 1;
                        break;
                    }
                }
                wrong.add(m.group(1) + ":" + line + " does not show `" + quoted + "`"
                        + (now > 0 ? "; it is on line " + now + " now" : "; it is not in the file any more"));
            }
        }
        assertTrue(checked >= 25, "the tour's references were found: " + checked);
        assertEquals(List.of(), wrong);
    }
}
