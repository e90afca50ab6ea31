package frl.soak;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sampler's /proc readings, on a real process: this test's own JVM. */
class ProcStatsTest {
    private static final long SELF = ProcessHandle.current().pid();

    @Test
    void openingFilesRaisesTheFdCountAndClosingThemLowersItAgain(@TempDir Path dir) throws Exception {
        double before = ProcStats.openFds(SELF);
        assertTrue(before > 3, "a JVM holds more than stdin, stdout and stderr: " + before);
        FileChannel[] open = new FileChannel[20];
        for (int i = 0; i < open.length; i++) {
            open[i] = FileChannel.open(dir.resolve("f" + i), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }
        double during = ProcStats.openFds(SELF);
        for (FileChannel c : open) {
            c.close();
        }
        double after = ProcStats.openFds(SELF);
        // other threads of the test JVM may open or close a file meanwhile; 20 of ours dominate that
        assertTrue(during - before >= 15, before + " -> " + during);
        assertTrue(during - after >= 15, during + " -> " + after);
    }

    @Test
    void startingPlatformThreadsRaisesTheThreadCount() throws Exception {
        double before = ProcStats.threads(SELF);
        assertTrue(before >= 2, "a JVM has a main thread and GC threads: " + before);
        CountDownLatch release = new CountDownLatch(1);
        Thread[] parked = new Thread[10];
        for (int i = 0; i < parked.length; i++) {
            parked[i] = Thread.ofPlatform().start(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        double during = ProcStats.threads(SELF);
        release.countDown();
        for (Thread t : parked) {
            t.join();
        }
        assertTrue(during - before >= 8, before + " -> " + during);
    }

    @Test
    void aProcessThatIsGoneReadsAsMissingNotZero() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long pid = p.pid();
        assertTrue(Double.isNaN(ProcStats.openFds(pid)));
        assertTrue(Double.isNaN(ProcStats.threads(pid)));
    }

    @Test
    void theThreadsLineIsParsed() {
        assertEquals(27, ProcStats.threadsIn(List.of("Name:\tjava", "State:\tS (sleeping)", "Threads:\t27", "VmRSS:\t1 kB")));
        assertTrue(Double.isNaN(ProcStats.threadsIn(List.of("Name:\tjava"))));
    }

    @Test
    void keysWithATtlAreSummedOverEveryDatabase() {
        String info = "# Keyspace\r\ndb0:keys=12,expires=10,avg_ttl=86399000\r\ndb3:keys=5,expires=5,avg_ttl=1000\r\n";
        assertEquals(15, Sampler.expiring(info));
        assertEquals(0, Sampler.expiring("# Keyspace\r\n"));
    }
}
