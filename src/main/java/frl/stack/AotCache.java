package frl.stack;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The service JVMs' AOT cache (JDK 25: JEP 483 ahead-of-time class loading and linking, JEP 514's
 * one-step {@code -XX:AOTCacheOutput}, JEP 515's method profiles) in {@code make run-stack}.
 *
 * <p>What it is for: a JVM started from a cache finds our classes already loaded and linked and
 * its hot methods already profiled, so it answers sooner and reaches compiled code with less CPU.
 *
 * <p>Modes ({@link #mode}, a pure function of the JDK, {@code LAB_AOT}, whether this build has a
 * complete cache and whether this start may train one):
 * <pre>
 *   OLD_JDK   JDK &lt; 25: today's command line exactly (classes from target/classes)
 *   DISABLED  LAB_AOT=0: the same
 *   NONE      no cache for this build and WARM=0 (LAB_AOT_TRAIN=0: a quick cold start, as the
 *             tests want, has no warm-up to train on): the same
 *   TRAIN     no cache for this build: start with -XX:AOTCacheOutput, warm up, stop, start again
 *   USE       a complete cache for this build: -XX:AOTCache=target/aot/&lt;key&gt;/&lt;service&gt;.aot
 * </pre>
 * TRAIN -> USE when every service wrote its cache; TRAIN -> DISABLED when training failed, USE ->
 * DISABLED when a JVM rejected its cache (which is then deleted, so the next start trains anew). A
 * JVM that rejects a cache starts without it, so neither ever fails a start.
 *
 * <p>Why train inside run-stack with {@code -XX:AOTCacheOutput} (one step) and then restart: the
 * cache then records what the services really do (configs A..G through the real HTTP, JDBC and
 * Redis paths, driven by the warm-up) rather than a synthetic run, and it costs one longer start per
 * build instead of a separate command to remember. The restart matters because a recording JVM is
 * not the JVM we measure: experiments must see JVMs that only read the cache. The two-step
 * alternative (record a configuration, then {@code -XX:AOTMode=create}) would need the same
 * training run plus a second JVM per service, for the same cache.
 *
 * <p>Keys: a cache is valid only for the exact classes and JDK it was trained on, so its folder
 * name is a hash of the JDK's version and of every classpath file's path, size and modification
 * time ({@link #key}). A rebuild changes the key, so a stale cache is never used; older folders are
 * deleted when a new one is trained. Everything lives under {@code target/aot/}, which {@code mvn
 * clean} removes. The JVM's own {@code aot} log lines go to {@code .run/logs/<service>-aot.log},
 * never into the service log, so a rejected cache does not repeat itself on every start.
 *
 * <p>Thread-safety: the state is one volatile record, written by the launcher's main thread and
 * read by supervisors restarting a service (which then use the cache too).
 */
public final class AotCache {
    static final int MIN_JDK = 25;
    /** {@code LAB_AOT=0} turns the cache off; unset, it is on where the JDK supports it. */
    static final String ENV = "LAB_AOT";
    /** {@code LAB_AOT_TRAIN=0} (the Makefile sets it for {@code WARM=0}): use a cache, never train one. */
    static final String TRAIN_ENV = "LAB_AOT_TRAIN";

    enum Mode { OLD_JDK, DISABLED, NONE, TRAIN, USE }

    private record State(Mode mode, String classpath) {
    }

    private final Path dir; // target/aot/<key>; null when there is none
    private final String launcherClasspath;
    private final PrintStream out;
    private volatile State state;

    private AotCache(Path dir, String launcherClasspath, State state, PrintStream out) {
        this.dir = dir;
        this.launcherClasspath = launcherClasspath;
        this.state = state;
        this.out = out;
    }

    /**
     * What to do, from the JDK's feature version, {@code LAB_AOT} and {@code LAB_AOT_TRAIN} (null
     * when unset) and the cache's state.
     */
    static Mode mode(int jdkFeature, String labAot, String labAotTrain, boolean cacheComplete) {
        if (jdkFeature < MIN_JDK) {
            return Mode.OLD_JDK;
        }
        if ("0".equals(labAot)) {
            return Mode.DISABLED;
        }
        if (cacheComplete) {
            return Mode.USE;
        }
        return "0".equals(labAotTrain) ? Mode.NONE : Mode.TRAIN;
    }

    /** The JVM options a service gets in {@code mode}: none at all unless the cache is in play. */
    static List<String> flags(Mode mode, Path cache, Path aotLog) {
        List<String> quietLog = List.of("-Xlog:aot*=off", "-Xlog:aot*=warning:file=" + aotLog); // off stdout, into its own file
        return switch (mode) {
            case OLD_JDK, DISABLED, NONE -> List.of();
            case TRAIN -> Stream.concat(Stream.of("-XX:AOTCacheOutput=" + cache), quietLog.stream()).toList();
            case USE -> Stream.concat(Stream.of("-XX:AOTCache=" + cache), quietLog.stream()).toList();
        };
    }

    /** The services' classpath in {@code mode}: the launcher's own unless the cache is in play. */
    static String classpath(Mode mode, String launcherClasspath, Path jar) {
        return mode == Mode.OLD_JDK || mode == Mode.DISABLED || mode == Mode.NONE ? launcherClasspath : jar.toAbsolutePath() + File.pathSeparator
                + Stream.of(launcherClasspath.split(File.pathSeparator)).filter(e -> !e.isEmpty() && !Files.isDirectory(Path.of(e)))
                .map(e -> Path.of(e).toAbsolutePath().toString()).reduce((a, b) -> a + File.pathSeparator + b).orElse("");
    }

    /** 16 hex digits of SHA-256 over the JDK's version and every classpath file's path, size and mtime. */
    static String key(String jdkVersion, String classpath) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        sha.update(jdkVersion.getBytes(StandardCharsets.UTF_8));
        for (String entry : classpath.split(File.pathSeparator)) {
            Path root = Path.of(entry).toAbsolutePath();
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                    sha.update((f + "\0" + a.size() + "\0" + a.lastModifiedTime().toMillis() + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest(), 0, 8);
    }

    /**
     * Decides and prints one line saying what this start does. Never throws: a cache that cannot
     * be prepared is a cache not used.
     */
    static AotCache prepare(int jdkFeature, String labAot, String labAotTrain, String launcherClasspath, PrintStream out) {
        Mode first = mode(jdkFeature, labAot, null, false);
        if (first != Mode.TRAIN) {
            out.println(first == Mode.OLD_JDK ? "AOT cache: not on JDK " + jdkFeature + " (needs " + MIN_JDK + ")" : "AOT cache: off (" + ENV + "=0)");
            return new AotCache(null, launcherClasspath, new State(first, launcherClasspath), out);
        }
        try {
            Path target = Stream.of(launcherClasspath.split(File.pathSeparator)).map(Path::of).filter(Files::isDirectory)
                    .findFirst().orElseThrow(() -> new IOException("no classes directory on the classpath"))
                    .toAbsolutePath().getParent();
            Path dir = target.resolve("aot").resolve(key(Runtime.version().toString(), launcherClasspath));
            Mode mode = mode(jdkFeature, labAot, labAotTrain, Files.exists(dir.resolve("complete")));
            Path jar = dir.resolve("frl.jar");
            if (mode == Mode.NONE) {
                out.println("AOT cache: none for this build, and a start without warm-up (WARM=0) does not train one");
            } else if (mode == Mode.TRAIN) {
                deleteOthers(dir);
                ClasspathJar.pack(launcherClasspath, jar);
                out.println("AOT cache: none for this build yet; training it on this start (start, warm up, stop, start again)");
            } else {
                out.println("AOT cache: using " + relative(dir) + "/");
            }
            return new AotCache(dir, launcherClasspath, new State(mode, classpath(mode, launcherClasspath, jar)), out);
        } catch (IOException | RuntimeException e) {
            out.println("AOT cache: not used, could not prepare it (" + e.getMessage() + ")");
            return new AotCache(null, launcherClasspath, new State(Mode.DISABLED, launcherClasspath), out);
        }
    }

    boolean training() {
        return state.mode() == Mode.TRAIN;
    }

    String classpath() {
        return state.classpath();
    }

    /** The options for {@code service}'s JVM now; none once the cache file is gone. */
    List<String> flags(String service, Path logs) {
        State s = state;
        Path cache = dir == null ? null : dir.resolve(service + ".aot");
        if (s.mode() == Mode.USE && !Files.exists(cache)) {
            return List.of();
        }
        return flags(s.mode(), cache, logs.resolve(service + "-aot.log"));
    }

    /** After the training JVMs exited: USE if every service wrote its cache, else say why and go on without. */
    void trained(List<String> services, long nanos) {
        try {
            long bytes = 0;
            for (String s : services) {
                Path cache = dir.resolve(s + ".aot");
                if (!Files.exists(cache) || Files.size(cache) == 0) {
                    failed(s + " wrote no cache at " + relative(cache) + " (see its log)");
                    return;
                }
                bytes += Files.size(cache);
            }
            Files.writeString(dir.resolve("complete"), "trained in " + nanos / 1_000_000 + " ms\n");
            state = new State(Mode.USE, state.classpath());
            out.printf("AOT cache trained for this build in %.0f s: %s/ (%d MB for %d services)%n", nanos / 1e9, relative(dir),
                    bytes / 1_000_000, services.size());
        } catch (IOException e) {
            failed(e.getMessage());
        }
    }

    /** Training did not finish: say why and start without the cache (it is an optimisation). */
    void failed(String why) {
        state = new State(Mode.DISABLED, launcherClasspath);
        out.println("AOT cache: training failed, starting without it: " + why);
    }

    /**
     * After the services started from the cache answered: a JVM that rejected its cache logged an
     * error in its aot log; then the cache is deleted (the next start trains a new one) and
     * restarts go without it.
     */
    void checkAccepted(List<String> services, Path logs) {
        if (state.mode() != Mode.USE) {
            return;
        }
        for (String s : services) {
            Path log = logs.resolve(s + "-aot.log");
            try {
                List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
                if (lines.stream().anyMatch(l -> l.contains("[error"))) {
                    String error = lines.getFirst(); // the cause comes first ("The AOT cache has been truncated.")
                    state = new State(Mode.DISABLED, launcherClasspath);
                    deleteRecursively(dir);
                    out.println("AOT cache: " + s + " rejected it (" + error.strip() + "; see " + relative(log)
                            + "); deleted, the next make run-stack trains a new one");
                    return;
                }
            } catch (IOException e) {
                out.println("AOT cache: could not read " + relative(log) + ": " + e.getMessage());
            }
        }
    }

    /** Older builds' caches (30 MB per service each) are never used again. */
    private static void deleteOthers(Path keep) throws IOException {
        if (!Files.isDirectory(keep.getParent())) {
            return;
        }
        try (Stream<Path> dirs = Files.list(keep.getParent())) {
            for (Path d : dirs.filter(d -> !d.equals(keep)).toList()) {
                deleteRecursively(d);
            }
        }
    }

    /** Removes {@code dir} and everything under it; nothing if it does not exist. */
    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String relative(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        return p.startsWith(cwd) ? cwd.relativize(p).toString() : p.toString();
    }
}
