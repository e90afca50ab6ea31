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
 * stops and reports consistently is.
 */
class CalibratorTest {
    @Test
    void stepsUpByTheFactorAndStopsAtTheKneeOrTheLastStep() throws Exception {
        try (StubStack stub = new StubStack(2, 10)) {
            Transport t = new HttpTransport(HttpTransport.newClient(Duration.ofSeconds(1)),
                    URI.create(stub.url("gateway") + "/orders"), "A", RunExecutor.DEFAULT_BODY, true);
            CpuSampler cpu = new CpuSampler(NanoClock.system(), Map.of("self", ProcessHandle.current().pid()));
            List<String> log = new ArrayList<>();

            Calibrator.Calibration c = new Calibrator(t, ClientPolicy.defaults().withTimeout(Duration.ofSeconds(1)),
                    NanoClock.system(), Sleeper.system(), cpu, "calibrator-test").run("A", 60, 1.8, 1, 5, 0.10, 3, log::add);

            int n = c.steps().size();
            assertTrue(n >= 1 && n <= 5);
            assertEquals(n, log.size(), "one log line per step");
            for (int i = 0; i < n; i++) {
                assertEquals(60 * Math.pow(1.8, i), c.steps().get(i).rate(), 1e-9);
            }
            List<Knee.Step> steps = c.steps().stream().map(s -> new Knee.Step(s.offeredPerSecond(), s.goodputPerSecond())).toList();
            Knee.Result knee = Knee.find(steps, 0.10);
            assertEquals(knee.found(), c.found());
            assertEquals(knee.capacity(), c.capacity());
            assertTrue(!c.found() || c.kneeIndex() == n - 1, "the test stops at the knee");
            assertTrue(c.found() || n == 5, "or runs every step");
            CpuSampler.Usage u = c.steps().get(0).cpu();
            assertTrue(u.cpuCount() >= 1);
            assertTrue(Double.isNaN(u.machineBusy()) || (u.machineBusy() >= 0 && u.machineBusy() <= 1));
            assertTrue(u.serviceCores().containsKey("self"));
        }
    }
}
