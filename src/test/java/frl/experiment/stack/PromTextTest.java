package frl.experiment.stack;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PromTextTest {
    static final String TEXT = """
            # HELP lab_bulkhead_rejections_total Calls rejected because a bulkhead was full
            # TYPE lab_bulkhead_rejections counter
            lab_bulkhead_rejections_total{downstream="payments",config="E"} 12.0
            lab_bulkhead_rejections_total{config="F",downstream="inventory"} 3 1700000000000
            # TYPE lab_breaker_transitions counter
            lab_breaker_transitions_total{breaker="orders->payments",config="D",from="CLOSED",to="OPEN"} 2.0
            lab_odd{label="a \\"quoted\\" \\\\ value\\nnext"} 1
            lab_plain 4.5
            lab_broken{label=unquoted} 1
            """;

    @Test
    void readsSamplesWithLabelsEscapesAndTimestamps() {
        List<PromText.Sample> all = PromText.parse(TEXT, name -> true);

        assertEquals(5, all.size(), "the malformed line is skipped, not fatal");
        assertEquals(new PromText.Sample("lab_bulkhead_rejections_total", Map.of("downstream", "payments", "config", "E"), 12), all.get(0));
        assertEquals(3, all.get(1).value(), "the timestamp is not the value");
        assertEquals("inventory", all.get(1).label("downstream"));
        assertEquals("a \"quoted\" \\ value\nnext", all.get(3).label("label"));
        assertEquals(4.5, all.get(4).value());
        assertEquals(1, PromText.parse(TEXT, "lab_plain"::equals).size(), "filtered by name");
    }

    @Test
    void familiesComeFromTypeLines() {
        assertTrue(PromText.families(TEXT).containsAll(List.of("lab_bulkhead_rejections", "lab_breaker_transitions")));
        assertEquals(2, PromText.families(TEXT).size());
    }
}
