package frl.sim;

import frl.experiment.load.ClientPolicy;
import frl.experiment.metrics.MttrRule;
import frl.experiment.plan.Phases;
import frl.experiment.plan.RunSpec;
import frl.experiment.plan.Scenario;
import frl.resilience.retry.Verdict;
import frl.resilience.breaker.CircuitBreaker;
import frl.resilience.breaker.CircuitBreaker.State;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulator drives the real breaker, and nothing else decides when it opens: the outcomes
 * orders' breaker for payments was told in a simulated run (config D, 60% of payment attempts
 * failing), replayed one by one into a fresh breaker with the same config on a hand-moved clock,
 * open it at exactly the same outcome and the same nanosecond.
 */
class BreakerReplayTest {

    /** An outcome the breaker was told, or the moment it opened. */
    record Logged(long nanos, Verdict verdict, long tookNanos, boolean opened) {
    }

    @Test
    void theSameOutcomesOpenAFreshBreakerAtTheSameMoment() {
        List<Logged> log = new ArrayList<>();
        Watcher watcher = new Watcher() {
            @Override
            public void attempted(String caller, String downstream, long nanos, Verdict verdict, Throwable error, long took) {
                if (caller.equals("orders") && downstream.equals("payments")) {
                    log.add(new Logged(nanos, verdict, took, false));
                }
            }

            @Override
            public void transition(String breaker, long nanos, State from, State to) {
                if (breaker.equals("orders->payments") && to == State.OPEN) {
                    log.add(new Logged(nanos, null, 0, true));
                }
            }
        };
        SimRun.run(new RunSpec(0, "D", Scenario.PAYMENT_ERRORS, 0.5, 40, 20, 1, 99), new Phases(2, 5, 20, 10, 1),
                ClientPolicy.defaults(), MttrRule.defaults(), new Fault("payments", 0.6, 0, false, -1, 0),
                Knobs.defaults(), watcher);
        int openedAt = -1;
        for (int i = 0; i < log.size() && openedAt < 0; i++) {
            openedAt = log.get(i).opened() ? i : -1;
        }
        assertTrue(openedAt > 0, "the simulated breaker opened at some outcome");
        Logged trip = log.get(openedAt - 1);
        assertEquals(log.get(openedAt).nanos(), trip.nanos(), "it opened at the moment of the outcome before");

        // When the same outcomes, up to that one, are replayed into a fresh breaker
        long[] now = {0};
        CircuitBreaker replay = new CircuitBreaker("replay", Knobs.defaults().setup("D").breaker(), () -> now[0]);
        int replayOpenedAt = -1;
        for (int i = 0; i < openedAt && replayOpenedAt < 0; i++) {
            Logged o = log.get(i);
            now[0] = o.nanos();
            long ticket = replay.tryAcquirePermission();
            assertNotEquals(CircuitBreaker.REFUSED, ticket, "a closed breaker lets every call through");
            if (o.verdict().isDownstreamFailure()) {
                replay.onFailure(ticket);
            } else {
                replay.onSuccess(ticket, o.tookNanos());
            }
            replayOpenedAt = replay.state() == State.OPEN ? i : -1;
        }

        // Then it opens on the same outcome, at the same time
        assertEquals(openedAt - 1, replayOpenedAt, "the outcome that opens the breaker");
        assertEquals(trip.nanos(), now[0]);
    }
}
