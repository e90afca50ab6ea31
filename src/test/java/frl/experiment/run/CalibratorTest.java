package frl.experiment.run;

import frl.experiment.load.ClientPolicy;
import frl.experiment.load.Transport;
import frl.experiment.metrics.Knee;
import frl.experiment.stack.CpuSampler;
import frl.experiment.stack.HttpTransport;
import frl.experiment.stack.StubStack;
import frl.resilience.NanoClock;
import frl.resilience.Sleeper;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The step test's mechanics against a stub with a fixed capacity (2 slots x 10 ms). What capacity
 * it measures on this machine is an experimental outcome and is not asserted; that it steps,
 * stops, repeats, settles between passes and reports consistently is.
 */
class CalibratorTest {
    @Test
    void passesStepUpByTheFactorStopAtTheKneeAndTheMedianIsTheCapacity() throws Exception {
        try (StubStack stub = new StubStack(2, 10)) {
            Transport t = new HttpTransport(HttpTransport.newClient(Duration.ofSeconds(1)),
                    URI.create(stub.url("gateway") + "/orders"), "A", RunExecutor.DEFAULT_BODY, true);
            CpuSampler cpu = new CpuSampler(NanoClock.system(), Map.of("self", ProcessHandle.current().pid()));
            List<String> log = new ArrayList<>();
            int[] settled = {0};

            Calibrator.Calibration c = new Calibrator(t, ClientPolicy.defaults().withTimeout(Duration.ofSeconds(1)),
                    NanoClock.system(), Sleeper.system(), cpu, "calibrator-test")
                    .run("A", 60, 1.8, 1, 4, 0.10, 2, 3, log::add, () -> settled[0]++);

            assertEquals(2, c.passes().size());
            assertEquals(1, settled[0], "the stack is settled between passes, not before the first");
            assertEquals(c.passes().stream().mapToInt(p -> p.steps().size()).sum(), log.size(), "one log line per step");
            for (Calibrator.Pass p : c.passes()) {
                int n = p.steps().size();
                assertTrue(n >= 1 && n <= 4);
                for (int i = 0; i < n; i++) {
                    assertEquals(60 * Math.pow(1.8, i), p.steps().get(i).rate(), 1e-9);
                }
                Knee.Result knee = Knee.find(p.steps().stream().map(s -> new Knee.Step(s.offeredPerSecond(), s.goodputPerSecond())).toList(), 0.10);
                assertEquals(knee.found(), p.found());
                assertEquals(knee.capacity(), p.capacity());
                assertTrue(!p.found() || p.kneeIndex() == n - 1, "a pass stops at its knee");
                assertTrue(p.found() || n == 4, "or runs every step");
            }
            double[] caps = c.passes().stream().mapToDouble(Calibrator.Pass::capacity).sorted().toArray();
            assertEquals((caps[0] + caps[1]) / 2, c.capacity(), 1e-9, "the median of two passes");
            assertEquals(caps[0], c.low());
            assertEquals(caps[1], c.high());
            assertEquals(c.cpuAtKnee() > Calibrator.MACHINE_BOUND, c.machineBound());
            CpuSampler.Usage u = c.passes().get(0).steps().get(0).cpu();
            assertTrue(u.cpuCount() >= 1);
            assertTrue(Double.isNaN(u.machineBusy()) || (u.machineBusy() >= 0 && u.machineBusy() <= 1));
            assertTrue(u.serviceCores().containsKey("self"), "service CPU is recorded per step");
        }
    }

    @Test
    void aGivenCapacityIsCheckedWithOneStepAboveIt() throws Exception {
        try (StubStack stub = new StubStack(2, 10)) {
            Transport t = new HttpTransport(HttpTransport.newClient(Duration.ofSeconds(1)),
                    URI.create(stub.url("gateway") + "/orders"), "A", RunExecutor.DEFAULT_BODY, true);
            Calibrator calibrator = new Calibrator(t, ClientPolicy.defaults().withTimeout(Duration.ofSeconds(1)),
                    NanoClock.system(), Sleeper.system(), new CpuSampler(NanoClock.system(), Map.of()), "check-test");

            Calibrator.Check check = calibrator.check(40, 5);

            assertEquals(40, check.given());
            assertTrue(check.offeredPerSecond() > 0);
            assertEquals(Math.abs(check.goodputPerSecond() - 40) <= Calibrator.CHECK_TOLERANCE * 40, check.consistent());
            assertEquals(!check.consistent(), check.message().startsWith("warning"), check.message());
        }
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2, Calibrator.median(new double[]{3, 1, 2}));
        assertEquals(2.5, Calibrator.median(new double[]{4, 1, 2, 3}));
    }
}
