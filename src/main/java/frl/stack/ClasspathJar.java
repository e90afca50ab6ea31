package frl.stack;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;

/**
 * A classpath with its directories packed into one jar, because an AOT cache (like CDS before it)
 * records classes only from jars: a JVM whose classpath holds {@code target/classes} neither writes
 * our classes into a cache nor reads them from one. Used by {@code make run-stack} ({@link AotCache})
 * and by {@code make bench}'s start-up measurement.
 *
 * <p>Stateless; two calls that write the same jar do not see each other's half-written file (the jar
 * is written beside its name, then moved over it).
 */
public final class ClasspathJar {
    private ClasspathJar() {
    }

    /**
     * Packs every directory of {@code classpath} into {@code jar} (one jar, in classpath order, so
     * the first directory still wins a duplicate name) and returns the classpath with that jar first,
     * followed by the jars of {@code classpath} in their order.
     */
    public static String pack(String classpath, Path jar) throws IOException {
        List<String> jarArgs = new ArrayList<>(List.of("cf", jar.resolveSibling(jar.getFileName() + ".tmp").toString()));
        List<String> cp = new ArrayList<>(List.of(jar.toAbsolutePath().toString()));
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path p = Path.of(entry).toAbsolutePath();
            if (Files.isDirectory(p)) {
                jarArgs.addAll(List.of("-C", p.toString(), "."));
            } else {
                cp.add(p.toString());
            }
        }
        if (jarArgs.size() == 2) {
            throw new IllegalArgumentException("no directory to pack on the classpath " + classpath);
        }
        ToolProvider jarTool = ToolProvider.findFirst("jar").orElseThrow(() -> new IllegalStateException("no jar tool in this JDK"));
        Files.createDirectories(jar.toAbsolutePath().getParent());
        if (jarTool.run(System.out, System.err, jarArgs.toArray(String[]::new)) != 0) {
            throw new IOException("the jar tool could not write " + jar + " (" + String.join(" ", jarArgs) + ")");
        }
        Files.move(Path.of(jarArgs.get(1)), jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return String.join(File.pathSeparator, cp);
    }
}
