package frl.soak;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The soak's command line: defaults, durations, and bad input refused with the reason. */
class SoakOptionsTest {
    @Test
    void defaultsAreTheIssuesSoak() {
        SoakMain.Options o = SoakMain.Options.parse(new String[]{"--stack", ".run/stack.json"});
        assertEquals(Duration.ofMinutes(10), o.duration());
        assertEquals(0.7, o.load());
        assertEquals(Duration.ofSeconds(10), o.every());
        assertEquals(Duration.ofSeconds(60), o.flip());
        assertNull(o.capacity());
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "a {0} s soak sampling every {1} s reads the live heap every {2} s")
    @org.junit.jupiter.params.provider.CsvSource({
            "600, 10, 60",    // the issue's soak: once a minute, 5 points in the fitted half
            "3600, 10, 60",   // longer soaks: still once a minute
            "180, 10, 18",    // a 3-minute check: a tenth of its length, so its half still has 5 points
            "60, 10, 10"})    // never more often than it samples
    void theLiveHeapIsReadOnceAMinuteOrATenthOfAShortSoak(long durationS, long everyS, long liveS) {
        assertEquals(Duration.ofSeconds(liveS), SoakMain.liveHeapEvery(Duration.ofSeconds(durationS), Duration.ofSeconds(everyS)));
    }

    @Test
    void durationsReadAsMakeWritesThem() {
        assertEquals(Duration.ofSeconds(90), SoakMain.Options.duration("90s"));
        assertEquals(Duration.ofMinutes(10), SoakMain.Options.duration("10m"));
        assertEquals(Duration.ofHours(1), SoakMain.Options.duration("1h"));
        assertEquals(Duration.ofSeconds(45), SoakMain.Options.duration("45"));
        assertEquals(Duration.ofMillis(1500), SoakMain.Options.duration("1500ms"));
    }

    @Test
    void badInputIsRefusedNamingTheProblem() {
        String[][] bad = {
                {"--duration", "10m"},
                {"--stack", "s", "--duration", "ten"},
                {"--stack", "s", "--duration", "10s"},
                {"--stack", "s", "--load", "0"},
                {"--stack", "s", "--capacity", "-3"},
                {"--stack", "s", "--every", "0s"},
                {"--stack", "s", "--bogus", "1"},
                {"--stack"},
        };
        String[] reasons = {"--stack is required", "a duration is like", "at least 30s", "--load", "--capacity", "--every",
                "unknown option", "needs a value"};
        for (int i = 0; i < bad.length; i++) {
            String[] argv = bad[i];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SoakMain.Options.parse(argv));
            assertTrue(e.getMessage().contains(reasons[i]), e.getMessage());
        }
    }

    @Test
    void aBadCommandLineExitsWith2AndTheUsage() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = SoakMain.run(new String[]{"--stack", "s", "--load", "x"}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        assertEquals(2, rc);
        assertTrue(err.toString().contains("usage: java frl.soak.SoakMain"), err.toString());
    }
}
