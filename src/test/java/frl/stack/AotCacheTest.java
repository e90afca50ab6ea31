package frl.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The launch options as a pure function of (JDK feature version, LAB_AOT, cache state): the JDK 21
 * command line is checked here without a JDK 21 on the machine.
 */
class AotCacheTest {
    private static final Path CACHE = Path.of("/b/target/aot/k/gateway.aot");
    private static final Path LOG = Path.of("/r/.run/logs/gateway-aot.log");

    @ParameterizedTest(name = "JDK {0}, LAB_AOT={1}, LAB_AOT_TRAIN={2}, cache complete {3} -> {4}")
    @CsvSource(nullValues = "unset", value = {
            "21, unset, unset, false, OLD_JDK", "21, unset, unset, true, OLD_JDK", "21, 1, unset, true, OLD_JDK",
            "21, 0, unset, false, OLD_JDK", "24, unset, unset, true, OLD_JDK",
            "25, 0, unset, true, DISABLED", "25, 0, unset, false, DISABLED",
            "25, unset, 0, false, NONE",       // WARM=0: no warm-up to train on
            "25, unset, unset, false, TRAIN", "25, 1, 1, false, TRAIN",
            "25, unset, unset, true, USE", "25, unset, 0, true, USE", "26, 1, unset, true, USE"})
    void theModeFollowsTheJdkTheSwitchesAndTheCache(int jdk, String labAot, String train, boolean complete, AotCache.Mode expected) {
        assertEquals(expected, AotCache.mode(jdk, labAot, train, complete));
    }

    @ParameterizedTest(name = "JDK {0}, LAB_AOT={1}, LAB_AOT_TRAIN={2}, cache complete {3}: today's command line")
    @CsvSource(nullValues = "unset", value = {"21, unset, unset, false", "21, unset, unset, true", "21, 1, unset, true",
            "17, unset, unset, true", "25, 0, unset, true", "25, unset, 0, false"})
    void belowJdk25OrSwitchedOffTheServicesGetNoOptionAndTheLauncherClasspath(int jdk, String labAot, String train, boolean complete) {
        AotCache.Mode mode = AotCache.mode(jdk, labAot, train, complete);
        String launcher = "target/classes" + File.pathSeparator + "/m2/jackson.jar";

        assertEquals(List.of(), AotCache.flags(mode, CACHE, LOG));
        assertEquals(launcher, AotCache.classpath(mode, launcher, Path.of("/b/target/aot/k/frl.jar")));
    }

    @Test
    void trainingRecordsIntoTheCacheAndUsingReadsItWithTheJvmsAotLinesInTheirOwnFile() {
        assertEquals(List.of("-XX:AOTCacheOutput=" + CACHE, "-Xlog:aot*=off", "-Xlog:aot*=warning:file=" + LOG),
                AotCache.flags(AotCache.Mode.TRAIN, CACHE, LOG));
        assertEquals(List.of("-XX:AOTCache=" + CACHE, "-Xlog:aot*=off", "-Xlog:aot*=warning:file=" + LOG),
                AotCache.flags(AotCache.Mode.USE, CACHE, LOG));
    }

    @Test
    void withTheCacheTheClassesComeFromTheJarAndTheLibrariesStay(@TempDir Path dir) throws IOException {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Path lib = Files.writeString(dir.resolve("lib.jar"), "not read");
        Path jar = dir.resolve("aot/frl.jar");

        String cp = AotCache.classpath(AotCache.Mode.USE, classes + File.pathSeparator + lib, jar);

        assertEquals(jar + File.pathSeparator + lib, cp);
    }

    @Test
    void theKeyChangesWhenAClassFileIsRebuiltOrTheJdkChanges(@TempDir Path dir) throws IOException {
        Path classes = Files.createDirectories(dir.resolve("classes/frl"));
        Path clazz = Files.writeString(classes.resolve("A.class"), "v1");
        Files.setLastModifiedTime(clazz, FileTime.fromMillis(1_000_000));
        String cp = dir.resolve("classes").toString();
        String before = AotCache.key("25+36", cp);

        assertEquals(before, AotCache.key("25+36", cp), "same files, same key");
        assertNotEquals(before, AotCache.key("25.0.1+8", cp), "another JDK");
        Files.setLastModifiedTime(clazz, FileTime.fromMillis(2_000_000));
        assertNotEquals(before, AotCache.key("25+36", cp), "recompiled: same bytes, new mtime");
        Files.setLastModifiedTime(clazz, FileTime.fromMillis(1_000_000));
        Files.writeString(classes.resolve("B.class"), "new");
        assertNotEquals(before, AotCache.key("25+36", cp), "a class added");
    }

    @Test
    void everyDirectoryOfTheClasspathEndsUpInOneJarInFrontOfTheLibraries(@TempDir Path dir) throws IOException {
        Path main = Files.createDirectories(dir.resolve("classes/frl"));
        Files.writeString(main.resolve("A.class"), "a");
        Path test = Files.createDirectories(dir.resolve("test-classes/frl"));
        Files.writeString(test.resolve("B.class"), "b");
        Path lib = Files.writeString(dir.resolve("lib.jar"), "not read");
        Path jar = dir.resolve("out/frl.jar");

        String cp = ClasspathJar.pack(String.join(File.pathSeparator, dir.resolve("classes").toString(), lib.toString(),
                dir.resolve("test-classes").toString()), jar);

        assertEquals(jar.toAbsolutePath() + File.pathSeparator + lib, cp);
        try (JarFile j = new JarFile(jar.toFile())) {
            assertNotNull(j.getEntry("frl/A.class"));
            assertNotNull(j.getEntry("frl/B.class"));
        }
    }
}
