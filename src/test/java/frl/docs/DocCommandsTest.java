package frl.docs;

import frl.stack.MadeStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The commands in the docs cannot rot: every command in the {@code bash} code blocks of
 * {@link #DOCUMENTS} runs, document after document in the order written, in one bash session (so
 * {@code TOKEN=...} carries over), from a directory laid out like the repository root, against a
 * stack started with {@code make run-stack}. Each must exit 0, and a trailing
 * {@code # expect: TEXT} must appear in what it printed.
 *
 * <p>The docs are written for the default ports; the stack under test runs on free ones (so it
 * never meets a developer's stack), and {@code 127.0.0.1:<default>} or {@code localhost:<default>}
 * is rewritten to the port in use. A port the docs use that the stack does not have fails the test.
 *
 * <p>What is not run is listed in {@link #SKIPPED} (by how the command starts) with the reason, and
 * the test fails if a listed command is no longer in any document, so the list cannot rot either.
 * psql steps are skipped, and said so, only on a machine without psql.
 */
class DocCommandsTest {
    static final List<Path> DOCUMENTS = List.of(Path.of("README.md"), Path.of("docs/tour.md"),
            Path.of("notebooks/README.md"), Path.of("docs/runbook.md"));
    static final Map<String, String> SKIPPED = Map.of(
            "make run-stack", "the stack under test is up already; StackCommandsTest runs run-stack as written, twice",
            "make stop-stack", "would stop the stack under test; StackCommandsTest runs stop-stack as written, twice",
            "make test", "this is make test",
            "make experiment", "takes minutes per scenario; ExperimentSmokeTest and RealStackExperimentTest run the harness",
            "make load", "builds first (a Maven build inside the test phase); LoadResetTest runs the load command",
            "make notebook", "builds first; NotebookTest runs every notebook",
            "make audit", "builds first; AuditMainTest runs the audit's table on fixture rows",
            "make simulate", "builds first and takes a minute of CPU; DeterminismTest runs SimMain, frl.sim's tests the simulator",
            "make metastability-map", "builds first and takes minutes of CPU; MetastabilityMapTest runs a small map",
            "\"$(make -s jdk)/bin/jshell\"", "needs make build's target/classpath.txt; NotebookTest runs every notebook");

    private static final Pattern ADDRESS = Pattern.compile("(127\\.0\\.0\\.1|localhost):(\\d+)");

    /** One command of a code block: where it starts, its text (continuation lines joined), what it must print. */
    record Command(int line, String text, String expect) {
    }

    @TempDir
    Path scratch;

    /** Commands of every {@code ```bash} block, in order. Full-line comments and blank lines are not commands. */
    static List<Command> commands(List<String> markdown) {
        List<Command> out = new ArrayList<>();
        boolean inBash = false;
        StringBuilder pending = null;
        int start = 0;
        for (int i = 0; i < markdown.size(); i++) {
            String line = markdown.get(i);
            if (!inBash) {
                inBash = line.strip().equals("```bash");
                continue;
            }
            if (line.strip().equals("```")) {
                inBash = false;
                continue;
            }
            if (pending == null && (line.isBlank() || line.strip().startsWith("#"))) {
                continue;
            }
            if (pending == null) {
                pending = new StringBuilder();
                start = i + 1;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            pending.append(line);
            String text = pending.toString().strip();
            int e = text.lastIndexOf("# expect: ");
            out.add(new Command(start, text, e < 0 ? null : text.substring(e + "# expect: ".length()).strip()));
            pending = null;
        }
        return out;
    }

    @Test
    void commandsAreReadFromBashBlocksOnlyWithContinuationsAndExpectations() {
        List<String> md = List.of(
                "text `curl :8000/ignored`",
                "```bash",
                "# a comment line",
                "TOKEN=$(cat .run/admin-token)",
                "",
                "curl -s http://127.0.0.1:8000/health   # expect: \"status\":\"up\"",
                "psql postgresql://postgres@127.0.0.1:5432/orders \\",
                "  -c 'SELECT 1'",
                "```",
                "```json",
                "{\"not\": \"a command\"}",
                "```");
        assertEquals(List.of(
                new Command(4, "TOKEN=$(cat .run/admin-token)", null),
                new Command(6, "curl -s http://127.0.0.1:8000/health   # expect: \"status\":\"up\"", "\"status\":\"up\""),
                new Command(7, "psql postgresql://postgres@127.0.0.1:5432/orders    -c 'SELECT 1'", null)),
                commands(md));
    }

    private static String skipReason(String command) {
        return SKIPPED.entrySet().stream().filter(e -> command.startsWith(e.getKey())).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    @Test
    void everyCommandInTheDocsRunsAsWrittenAgainstARunningStack() throws Exception {
        List<Command> all = new ArrayList<>();
        List<String> allWhere = new ArrayList<>(); // "document:line" of each command in all
        for (Path doc : DOCUMENTS) {
            for (Command c : commands(Files.readAllLines(doc))) {
                all.add(c);
                allWhere.add(doc + ":" + c.line());
            }
        }
        for (String skipped : SKIPPED.keySet()) {
            assertTrue(all.stream().anyMatch(c -> c.text().startsWith(skipped)),
                    "SKIPPED lists a command no document has any more: " + skipped);
        }
        boolean psql = new ProcessBuilder("bash", "-c", "command -v psql").start().waitFor() == 0;
        List<Command> run = new ArrayList<>();
        List<String> runWhere = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Command c = all.get(i);
            String where = allWhere.get(i);
            if (skipReason(c.text()) != null) {
                System.out.println(where + " skipped: " + c.text() + " -- " + skipReason(c.text()));
            } else if (!psql && c.text().contains("psql ")) {
                System.out.println(where + " skipped: psql is not installed -- " + c.text());
            } else {
                run.add(c);
                runWhere.add(where);
            }
        }
        assertTrue(run.size() >= 50, "the docs' commands were found: " + run.size());

        MadeStack stack = new MadeStack(scratch);
        Files.createSymbolicLink(scratch.resolve("chaos"), stack.repo.resolve("chaos"));
        Files.createSymbolicLink(scratch.resolve("notebooks"), stack.repo.resolve("notebooks"));
        Map<Long, String> pids = Map.of();
        try {
            MadeStack.Result start = stack.make("run-stack");
            assertEquals(0, start.exit(), start.output());
            pids = stack.recordedPids();
            Map<Integer, String> results = runInOneSession(stack, run);
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < run.size(); i++) {
                Command c = run.get(i);
                String where = runWhere.get(i);
                String result = results.getOrDefault(i, "(never ran: the session ended early)\nexit ?");
                String exit = result.substring(result.lastIndexOf("\nexit ") + 6).strip();
                String printed = result.substring(0, result.lastIndexOf("\nexit "));
                if (!exit.equals("0")) {
                    failures.add(where + " exited " + exit + ": " + c.text() + "\n" + printed);
                } else if (c.expect() != null && !printed.contains(c.expect())) {
                    failures.add(where + " did not print " + c.expect() + ": " + c.text() + "\n" + printed);
                }
            }
            if (!failures.isEmpty()) {
                fail(failures.size() + " of " + run.size() + " commands failed:\n\n" + String.join("\n\n", failures));
            }
        } finally {
            MadeStack.Result stop = stack.make("stop-stack");
            assertEquals(0, stop.exit(), stop.output());
            assertEquals(List.of(), stack.survivors(pids));
        }
    }

    /** Runs the commands in one bash session; returns each one's output, ending "\nexit N". */
    private static Map<Integer, String> runInOneSession(MadeStack stack, List<Command> commands) throws Exception {
        StringBuilder script = new StringBuilder();
        for (int i = 0; i < commands.size(); i++) {
            script.append("echo '@@begin ").append(i).append("'\n")
                    .append(withPorts(commands.get(i).text(), stack.ports)).append('\n')
                    .append("rc=$?; echo; echo \"@@exit $rc\"\n");
        }
        // No command may hang the test: curl reads $CURL_HOME/.curlrc, and no documented request needs a minute.
        Files.writeString(stack.run.getParent().resolve(".curlrc"), "max-time = 60\n");
        Path file = Files.writeString(stack.run.getParent().resolve("commands.sh"), script);
        Path log = stack.run.getParent().resolve("commands.log");
        ProcessBuilder pb = new ProcessBuilder("bash", file.toString()).directory(stack.run.getParent().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        stack.environment(pb.environment());
        pb.environment().put("CURL_HOME", stack.run.getParent().toString());
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("the docs' commands did not finish in 10 minutes:\n" + Files.readString(log));
        }
        Map<Integer, String> results = new LinkedHashMap<>();
        Integer current = null;
        StringBuilder printed = new StringBuilder();
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("@@begin ")) {
                current = Integer.parseInt(line.substring(8));
                printed.setLength(0);
            } else if (line.startsWith("@@exit ") && current != null) {
                results.put(current, printed.toString().stripTrailing() + "\nexit " + line.substring(7));
                current = null;
            } else {
                printed.append(line).append('\n');
            }
        }
        return results;
    }

    /** {@code 127.0.0.1:<default port>} (or localhost) -> the port the stack under test uses for it. */
    static String withPorts(String command, Map<String, Integer> ports) {
        Matcher m = ADDRESS.matcher(command);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int port = Integer.parseInt(m.group(2));
            String var = MadeStack.DEFAULT_PORTS.entrySet().stream().filter(e -> e.getValue() == port)
                    .map(Map.Entry::getKey).findFirst()
                    .orElseThrow(() -> new AssertionError("the docs use port " + port + ", which the stack does not have: " + command));
            m.appendReplacement(out, m.group(1) + ":" + ports.get(var));
        }
        return m.appendTail(out).toString();
    }
}
