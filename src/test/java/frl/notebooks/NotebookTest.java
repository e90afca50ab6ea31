package frl.notebooks;

import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.UnresolvedReferenceException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Notebooks check themselves (STYLE.md, guideline 11): every {@code notebooks/*.jsh} is run here,
 * snippet by snippet, and the lines it prints must include its {@code // expect: <line>} comments
 * in the order they appear in the file. A notebook whose code no longer compiles against the
 * patterns, throws, or prints other numbers fails the build instead of rotting.
 *
 * <p>How a notebook is run, and why this way:
 * <ul>
 * <li>In this JVM, with {@code JShell.builder().executionEngine("local")}: no second JVM to start
 *     per notebook, and the snippets see this test's classpath (the patterns, Jedis, PostgreSQL).
 *     Snippets are compiled against the same classpath, added with {@code addToClasspath}.
 * <li>The file is split into snippets the way the {@code jshell} tool splits it: line by line,
 *     a line starting with {@code /} where no snippet is pending is a command (skipped;
 *     {@code /exit} ends the notebook, as it does in the tool), and
 *     {@link SourceCodeAnalysis#analyzeCompletion} says where each snippet ends.
 * <li>Any snippet that is rejected (does not compile), leaves a reference unresolved, or throws
 *     fails the test, quoting the snippet and the error.
 * <li>Output: the local engine does not redirect it. A snippet's {@code System.out.println}
 *     writes to this JVM's {@code System.out} (the builder's {@code out} stream stays empty; seen
 *     on JDK 25), so {@code System.out} is swapped for a buffer while a notebook runs, and the
 *     builder's streams point at the same buffer. Expect lines are compared with output lines,
 *     whitespace at either end ignored.
 * </ul>
 * Notebooks run one at a time (they replace {@code System.out} while running).
 */
class NotebookTest {
    private static final Path DIR = Path.of(System.getProperty("basedir", ".")).resolve("notebooks");
    private static final String EXPECT = "// expect:";

    static Stream<Path> notebooks() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            List<Path> all = files.filter(p -> p.getFileName().toString().endsWith(".jsh")).sorted().toList();
            assertTrue(!all.isEmpty(), "no notebooks in " + DIR);
            return all.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notebooks")
    @Timeout(120)
    void runsAndPrintsItsExpectLinesInOrder(Path notebook) throws IOException {
        String source = Files.readString(notebook);
        List<String> expected = expectLines(source);
        Run run = run(notebook.getFileName().toString(), source);

        List<String> printed = run.stdout().lines().map(String::strip).toList();
        int from = 0;
        for (String line : expected) {
            int at = indexOf(printed, line, from);
            if (at < 0) {
                fail(notebook.getFileName() + ": expected line not printed (in order): \"" + line + "\"\n"
                        + (indexOf(printed, line, 0) >= 0 ? "(it was printed, but before the previous expect line)\n" : "")
                        + "--- output ---\n" + run.stdout() + "--- stderr ---\n" + run.stderr());
            }
            from = at + 1;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notebooks")
    void hasAtLeastThreeExpectLinesAndEndsWithExit(Path notebook) throws IOException {
        String source = Files.readString(notebook);
        int count = expectLines(source).size();
        assertTrue(count >= 3, notebook.getFileName() + " has " + count + " expect lines; a lesson checks at least 3");
        List<String> lines = source.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        assertEquals("/exit", lines.getLast(), notebook.getFileName() + " must end with /exit");
    }

    /** The text after {@code // expect:} on every line that starts with it, in file order. */
    static List<String> expectLines(String source) {
        return source.lines().map(String::strip)
                .filter(l -> l.startsWith(EXPECT))
                .map(l -> l.substring(EXPECT.length()).strip())
                .toList();
    }

    private static int indexOf(List<String> lines, String wanted, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).equals(wanted)) {
                return i;
            }
        }
        return -1;
    }

    record Run(String stdout, String stderr) {}

    /** Runs {@code source} as the jshell tool would, failing on the first snippet that does not succeed. */
    private static Run run(String name, String source) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream realOut = System.out;
        PrintStream realErr = System.err;
        System.setOut(outStream);
        System.setErr(errStream);
        JShell shell = JShell.builder()
                .executionEngine("local")
                .in(InputStream.nullInputStream())
                .out(outStream)
                .err(errStream)
                .build();
        try {
            classpath().forEach(shell::addToClasspath);
            SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
            String pending = "";
            for (String line : source.split("\n", -1)) {
                String stripped = line.strip();
                if (pending.isBlank() && stripped.startsWith("/") && !stripped.startsWith("//") && !stripped.startsWith("/*")) {
                    if (stripped.equals("/exit") || stripped.startsWith("/exit ")) {
                        pending = "";
                        break;
                    }
                    continue; // another jshell command: not Java, nothing to check
                }
                pending = pending + line + "\n";
                CompletionInfo info = analysis.analyzeCompletion(pending);
                while (info.completeness().isComplete()) {
                    eval(name, shell, info.source(), out, err);
                    pending = info.remaining();
                    info = analysis.analyzeCompletion(pending);
                }
                if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                    pending = ""; // comments and blank lines only
                } else if (info.completeness() == SourceCodeAnalysis.Completeness.UNKNOWN) {
                    eval(name, shell, pending, out, err); // not Java: let the compiler say why
                    pending = "";
                }
            }
            if (!pending.isBlank()) {
                fail(name + ": the file ends inside an unfinished snippet:\n" + pending);
            }
        } finally {
            stopServers(shell);
            shell.close();
            System.setOut(realOut);
            System.setErr(realErr);
        }
        return new Run(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void eval(String name, JShell shell, String snippet, ByteArrayOutputStream out, ByteArrayOutputStream err) {
        for (SnippetEvent event : shell.eval(snippet)) {
            String problem = null;
            if (event.exception() != null) {
                problem = "threw " + describe(event.exception());
            } else if (event.causeSnippet() == null && event.status() == Snippet.Status.REJECTED) {
                problem = "was rejected:\n" + shell.diagnostics(event.snippet())
                        .map(d -> "  " + d.getMessage(Locale.ROOT)).collect(Collectors.joining("\n"));
            } else if (event.causeSnippet() == null && (event.status() == Snippet.Status.RECOVERABLE_DEFINED
                    || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED)) {
                problem = "refers to something undefined: " + unresolved(shell, event.snippet());
            }
            if (problem != null) {
                fail(name + ": snippet\n" + snippet.strip() + "\n" + problem
                        + "\n--- output so far ---\n" + out.toString(StandardCharsets.UTF_8)
                        + "--- stderr so far ---\n" + err.toString(StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * A notebook that failed halfway has not reached its own close(): stop any embedded PostgreSQL
     * or Redis it started now, rather than leave it running beside the next notebooks until the
     * JVM's exit stops it. Both close() methods are idempotent.
     */
    private static void stopServers(JShell shell) {
        shell.variables()
                .filter(v -> shell.status(v) == Snippet.Status.VALID)
                .filter(v -> v.typeName().endsWith("PostgresServer") || v.typeName().endsWith("RedisServerHandle"))
                .toList()
                .forEach(v -> shell.eval("if (" + v.name() + " != null) " + v.name() + ".close();"));
    }

    private static String describe(JShellException e) {
        String kind = switch (e) {
            case EvalException eval -> eval.getExceptionClassName();
            case UnresolvedReferenceException unresolved -> "an unresolved reference in " + unresolved.getSnippet().source();
            default -> e.getClass().getName();
        };
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        return kind + ": " + e.getMessage() + "\n" + trace;
    }

    private static String unresolved(JShell shell, Snippet snippet) {
        if (snippet instanceof jdk.jshell.DeclarationSnippet declaration) {
            return String.join(", ", shell.unresolvedDependencies(declaration).toList());
        }
        return shell.diagnostics(snippet).map(Diag::toString).collect(Collectors.joining("; "));
    }

    /**
     * This JVM's classpath, as file paths. Surefire starts the test JVM with a manifest-only jar
     * (its default, against long command lines) but sets {@code java.class.path} back to the real
     * entries (the jar is in {@code surefire.real.class.path}). Other runners, such as an IDE
     * told to shorten the command line, leave only such a jar there: the URIs in its manifest's
     * {@code Class-Path}, relative to the jar, are expanded here.
     */
    static List<String> classpath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            entries.add(entry);
            Path path = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(path)) {
                entries.addAll(manifestClassPath(path));
            }
        }
        return new ArrayList<>(entries);
    }

    private static List<String> manifestClassPath(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String value = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (value == null || value.isBlank()) {
                return List.of();
            }
            URI base = jar.toAbsolutePath().getParent().toUri();
            List<String> entries = new ArrayList<>();
            for (String item : value.trim().split("\\s+")) {
                entries.add(Path.of(base.resolve(item)).toString());
            }
            return entries;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not read the manifest of " + jar, e);
        }
    }
}
