package frl.docs;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code make help} lists every target the Makefile defines, one line each (issue 14). */
class MakefileHelpTest {
    private static final Pattern TARGET = Pattern.compile("^([a-z][a-z0-9-]*):(?!=)", Pattern.MULTILINE);

    @Test
    void makeHelpListsEveryTarget() throws Exception {
        List<String> targets = new ArrayList<>();
        Matcher m = TARGET.matcher(Files.readString(Path.of("Makefile")));
        while (m.find()) {
            targets.add(m.group(1));
        }
        assertTrue(targets.containsAll(List.of("build", "test", "run-stack", "stop-stack", "load", "experiment",
                "experiment-all", "notebook", "clean", "help")), "targets found: " + targets);

        Process p = new ProcessBuilder("make", "--no-print-directory", "help").redirectErrorStream(true).start();
        String help = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), help);

        List<String> missing = new ArrayList<>();
        for (String t : targets) {
            long lines = help.lines().filter(l -> l.startsWith("make " + t + " ")).count();
            if (lines != 1) {
                missing.add(t + " (" + lines + " lines)");
            }
        }
        assertEquals(List.of(), missing, "every target has exactly one line in make help:\n" + help);
    }
}
