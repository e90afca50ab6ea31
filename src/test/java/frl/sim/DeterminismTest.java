package frl.sim;

import frl.experiment.ExperimentOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Same seed and knobs, same results, byte for byte; and however many threads run the runs side
 * by side. (run.json differs only in its timestamps, environment and measured speed.)
 */
class DeterminismTest {
    @TempDir
    Path dir;

    static final List<String> FILES = List.of("summary.csv", "runs.csv", "timeline.csv", "summary.md");

    Path simulate(String results, long seed, int threads) throws Exception {
        ExperimentOptions o = ExperimentOptions.parse(new String[]{"--scenario", "retry_storm", "--phases", "3,10,10,40,2",
                "--reps", "2", "--configs", "A,D,F", "--seed", Long.toString(seed), "--results", dir.resolve(results).toString()});
        return SimMain.run(o, Knobs.defaults(), Fault.parse(o.scenario().target, o.chaosJson()), threads, List.of());
    }

    @Test
    void theSameSeedGivesTheSameFilesWhateverTheThreads() throws Exception {
        // Given the same experiment twice, once on one thread and once on two
        Path one = simulate("one", 7, 1);
        Path two = simulate("two", 7, 2);

        // Then every results file is identical
        for (String f : FILES) {
            assertEquals(Files.readString(one.resolve(f)), Files.readString(two.resolve(f)), f);
        }
    }

    @Test
    void anotherSeedGivesOtherArrivalsAndOtherNumbers() throws Exception {
        Path a = simulate("a", 7, 2);
        Path b = simulate("b", 8, 2);

        assertNotEquals(Files.readString(a.resolve("timeline.csv")), Files.readString(b.resolve("timeline.csv")));
    }
}
