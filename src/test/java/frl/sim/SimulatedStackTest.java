package frl.sim;

import frl.experiment.load.ClientPolicy;
import frl.experiment.metrics.MttrRule;
import frl.experiment.load.Outcome;
import frl.experiment.plan.Phases;
import frl.experiment.metrics.RunResult;
import frl.experiment.plan.RunSpec;
import frl.experiment.plan.Scenario;
import frl.experiment.metrics.TimelineRow;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two rules the lab's capacity model rests on, and the accounting every run must satisfy,
 * checked on whole simulated runs (Given a scenario, When it runs, Then ...).
 */
class SimulatedStackTest {
    static final Phases SHORT = new Phases(5, 10, 10, 40, 2);

    static RunResult run(String config, Scenario scenario, double load, ClientPolicy client) {
        RunSpec spec = new RunSpec(0, config, scenario, load, load * Knobs.defaults().model().capacity(), SHORT.fault(), 1, 5);
        return SimRun.run(spec, SHORT, client, MttrRule.defaults(), Fault.parse(scenario.target, scenario.chaosJson),
                Knobs.defaults(), Watcher.NONE).run();
    }

    @Test
    void withoutAFaultEveryOrderIsConfirmedOnceAndEveryArrivalIsAccountedFor() {
        for (String config : new String[]{"A", "F"}) {
            RunResult r = run(config, Scenario.NONE, 0.5, ClientPolicy.defaults());

            for (TimelineRow t : r.timeline()) { // every arrival ends in exactly one outcome
                long failed = 0;
                for (Outcome o : Outcome.values()) {
                    failed += o.isFailure() ? t.count(o) : 0;
                }
                assertEquals(t.scheduled(), t.succeeded() + failed, "second " + t.second());
            }
            assertEquals(1.0, r.window("measured").successRate(), config);
            assertEquals(1.0, r.amplification().get("measured").ordersToPayments(), 1e-9, config);
            assertEquals(r.audit().confirmedOrders(), r.audit().orders(), config);
            assertEquals(0, r.audit().duplicateChargesPerKey() + r.audit().orphanCharges() + r.audit().stockDriftUnits()
                    + r.audit().notificationsMissing() + r.audit().ackedNotConfirmed(), config);
        }
    }

    @Test
    void abandonedWorkStillCostsCapacityUnlessAnEnforcedDeadlineDropsIt() {
        // Given a capacity drop that queues payments past the clients' 3 s patience
        RunResult a = run("A", Scenario.RETRY_STORM, 0.85, ClientPolicy.defaults());
        RunResult c = run("C", Scenario.RETRY_STORM, 0.85, ClientPolicy.defaults());

        // Then without deadlines (A) payments finishes work nobody waits for; with them (C) most is dropped
        assertTrue(a.telemetry().wastedWork() > 1000, "A wasted " + a.telemetry().wastedWork());
        assertTrue(c.telemetry().wastedWork() < a.telemetry().wastedWork() / 2,
                "C wasted " + c.telemetry().wastedWork() + ", A " + a.telemetry().wastedWork());
    }

    @Test
    void clientResendsChargeTwiceWithoutIdempotencyKeysAndOnceWithThem() {
        // Given clients that re-send a timed-out order with the same key, through a capacity drop
        ClientPolicy resending = ClientPolicy.defaults().withResends(4);
        RunResult a = run("A", Scenario.RETRY_STORM, 0.85, resending);
        RunResult f = run("F", Scenario.RETRY_STORM, 0.85, resending);

        // Then A charges some keys more than once; F never does, and every 201 is a confirmed order
        assertTrue(a.audit().duplicateChargesPerKey() > 0, "A: " + a.audit());
        assertEquals(0, f.audit().duplicateChargesPerKey(), "F: " + f.audit());
        assertEquals(0, f.audit().ackedNotConfirmed());
        assertEquals(0, f.audit().orphanCharges());
    }
}
