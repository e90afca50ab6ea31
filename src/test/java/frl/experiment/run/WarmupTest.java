package frl.experiment.run;

import frl.experiment.load.ClientPolicy;
import frl.experiment.load.Outcome;
import frl.experiment.load.Transport;
import frl.experiment.metrics.WarmupGate;
import frl.resilience.NanoClock;
import frl.resilience.Sleeper;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The warm-up loop against instant in-memory transports, with a 2 s gate window so it ends in
 * seconds. The loop reads the real clock (it judges whole seconds of real load); what is asserted
 * is how it ends, never how fast this machine served.
 */
class WarmupTest {
    private static final WarmupGate TWO_SECONDS = new WarmupGate(2, 0.99, 1000, 0.25, 20);

    @Test
    void aStackThatServesEverythingIsWarmBeforeTheBoundAndDispatchStops() throws Exception {
        AtomicInteger sent = new AtomicInteger();
        Transport ok = a -> {
            sent.incrementAndGet();
            return new Transport.Reply(Outcome.SUCCESS, 201, "o");
        };

        Warmup.Running w = new Warmup(ok, ClientPolicy.defaults(), NanoClock.system(), Sleeper.system(), TWO_SECONDS)
                .run(50, 20, 1, "warm-test", s -> { });
        w.awaitInFlight();

        assertTrue(w.outcome().warm(), w.outcome().detail());
        assertTrue(w.outcome().seconds() < 20, "ended at the gate, not the bound");
        assertTrue(sent.get() < 50 * 20, "dispatch stopped once warm");
    }

    @Test
    void aStackThatFailsIsNotWarmAtTheBound() throws Exception {
        Transport failing = a -> new Transport.Reply(Outcome.HTTP_5XX, 503, null);

        Warmup.Running w = new Warmup(failing, ClientPolicy.defaults(), NanoClock.system(), Sleeper.system(), TWO_SECONDS)
                .run(50, 3, 1, "cold-test", s -> { });
        w.awaitInFlight();

        assertFalse(w.outcome().warm());
        assertTrue(w.outcome().detail().endsWith("success below 99%"), w.outcome().detail());
        assertTrue(w.outcome().seconds() <= 3);
    }
}
