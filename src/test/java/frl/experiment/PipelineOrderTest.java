package frl.experiment;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The harness's stages depend on each other in pipeline order only: a stage may use the stages
 * before it in {@link #STAGES}, never one after it, which also rules out any cycle among them.
 * The entry points ({@code frl.experiment} itself) come last and may use them all.
 *
 * <p>Checked on the compiled classes with the JDK's own {@code jdeps}. What it cannot see: a
 * reference that leaves nothing in the class file (a constant javac inlines, a javadoc link).
 */
class PipelineOrderTest {
    /** Pipeline order; "" is frl.experiment, the entry points. */
    static final List<String> STAGES = List.of("load", "stack", "plan", "metrics", "run", "report", "");

    private static final Pattern EDGE = Pattern.compile("^\\s+(frl\\.experiment\\S*)\\s+->\\s+(frl\\.experiment\\S*)\\s");

    @Test
    void eachStageUsesOnlyTheStagesBeforeIt() throws Exception {
        Map<String, Set<String>> uses = experimentDependencies();
        assertEquals(new TreeSet<>(STAGES), uses.keySet(), "jdeps saw every stage (and no stage the list does not name)");

        List<String> backwards = new ArrayList<>();
        uses.forEach((from, targets) -> targets.stream()
                .filter(to -> STAGES.indexOf(to) >= STAGES.indexOf(from))
                .forEach(to -> backwards.add(name(from) + " -> " + name(to))));
        assertEquals(List.of(), backwards, "dependencies against the pipeline order "
                + STAGES.stream().map(PipelineOrderTest::name).toList());
    }

    /** Stage -> stages its classes use, from {@code jdeps -verbose:package} over the main classes. */
    private static Map<String, Set<String>> experimentDependencies() throws Exception {
        Path classes = Path.of(ExperimentMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("this JDK has no jdeps"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package", "-filter:none", classes.toString());
        assertEquals(0, status, "jdeps failed: " + err);

        Map<String, Set<String>> uses = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            Matcher m = EDGE.matcher(line);
            if (m.find()) {
                String from = stage(m.group(1));
                String to = stage(m.group(2));
                Set<String> targets = uses.computeIfAbsent(from, k -> new TreeSet<>());
                if (!to.equals(from)) {
                    targets.add(to);
                }
            }
        }
        return uses;
    }

    private static String stage(String pkg) {
        return pkg.equals("frl.experiment") ? "" : pkg.substring("frl.experiment.".length());
    }

    private static String name(String stage) {
        return stage.isEmpty() ? "frl.experiment" : "frl.experiment." + stage;
    }
}
