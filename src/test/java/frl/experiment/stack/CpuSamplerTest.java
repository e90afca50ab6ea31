package frl.experiment.stack;

import frl.resilience.NanoClock;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** CPU arithmetic on fixture readings, and the /proc parsing on fixture lines. */
class CpuSamplerTest {
    private static final long S = 1_000_000_000L;

    @Test
    void usageBetweenTwoSamplesIsCpuSecondsPerWallSecond() {
        // Given two samples 2 s apart: the machine 300 of 400 ticks busy; payments used 50 ticks
        // (0.5 CPU s), postgres' tree 120 ticks; redis vanished
        CpuSampler.Sample a = new CpuSampler.Sample(10 * S, 1_000_000_000L, 1000, 4000,
                Map.of("payments", 100L, "postgres", 500L, "redis", 7L));
        CpuSampler.Sample b = new CpuSampler.Sample(12 * S, 1_500_000_000L, 1300, 4400,
                Map.of("payments", 150L, "postgres", 620L, "redis", -1L));

        CpuSampler.Usage u = CpuSampler.between(a, b, 1.5);

        assertEquals(0.75, u.machineBusy(), 1e-12);
        assertEquals(0.25, u.driverCores(), 1e-12);
        assertEquals(0.25, u.cores("payments"), 1e-12);
        assertEquals(0.6, u.cores("postgres"), 1e-12);
        assertTrue(Double.isNaN(u.cores("redis")), "gone: no reading, never 0");
        assertTrue(Double.isNaN(u.cores("gateway")), "not watched");
    }

    @Test
    void aGroupWhoseSumShrankHasNoReading() {
        // a live child that exits before its parent reaps it takes its ticks along for a moment
        CpuSampler.Sample a = new CpuSampler.Sample(0, -1, -1, -1, Map.of("postgres", 500L));
        CpuSampler.Sample b = new CpuSampler.Sample(S, -1, -1, -1, Map.of("postgres", 480L));

        CpuSampler.Usage u = CpuSampler.between(a, b, Double.NaN);

        assertTrue(Double.isNaN(u.cores("postgres")));
        assertTrue(Double.isNaN(u.machineBusy()));
        assertTrue(Double.isNaN(u.driverCores()));
    }

    @Test
    void procLinesAreParsedPastTheCommandName() {
        // /proc/<pid>/stat: the command may hold spaces and parentheses
        String stat = "4242 (postgres: a (b) c) S 4000 4242 4242 0 -1 4194560 500 0 0 0 70 30 5 2 20 0 1 0 123 0 0";
        assertEquals(70 + 30 + 5 + 2, CpuSampler.parseTicks(stat));
        assertEquals(4000, ProcessFinder.parentOf(stat));
        // /proc/stat: user nice system idle iowait irq softirq steal [guest guest_nice]; busy = total - idle - iowait
        assertEquals(List.of(160L, 320L), java.util.Arrays.stream(CpuSampler.parseProcStat("cpu  100 0 50 100 60 4 6 0 9 9")).boxed().toList());
    }

    @Test
    void listeningSocketsAndDescendantsFromFixtureTables() {
        List<String> tcp = List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 555 1",
                "   1: 0100007F:1538 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 556 1",
                "   2: 0100007F:18EB 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 557 1");

        assertEquals(java.util.Set.of(555L), ProcessFinder.listeningInodes(tcp, 5432), "LISTEN on :5432 only, not the connection");
        assertEquals(List.of(11L, 12L, 13L), ProcessFinder.descendants(10, Map.of(11L, 10L, 12L, 10L, 13L, 12L, 20L, 1L))
                .stream().sorted().toList());
        assertEquals(5432, CpuSampler.localPort("postgresql://127.0.0.1:5432/orders?user=postgres").getAsInt());
        assertTrue(CpuSampler.localPort("redis://db.example.com:6379").isEmpty(), "not this machine: not watched");
    }

    @Test
    void findsTheProcessListeningOnAPort() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc");
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(ProcessHandle.current().pid(), ProcessFinder.listening(socket.getLocalPort()).orElseThrow());
        }
    }

    @Test
    void aRecordingGivesOneUsagePerSecondAlignedWithItsStart() throws Exception {
        // Given a sampler watching this JVM, recording from now on the real clock for about 2.3 s
        CpuSampler cpu = new CpuSampler(NanoClock.system(), Map.of("self", ProcessHandle.current().pid()));
        long start = NanoClock.system().nanoTime();
        CpuSampler.Recording r = cpu.record(start, frl.resilience.Sleeper.system());
        Thread.sleep(2300);

        List<CpuSampler.Usage> seconds = r.stop();

        // Then whole seconds only (2, or 1 on a machine too busy to wake the recorder on time)
        assertTrue(seconds.size() == 1 || seconds.size() == 2, seconds.toString());
        assertTrue(seconds.get(0).serviceCores().containsKey("self"));
    }
}
