package frl.sim;

import frl.config.ConfigTable;
import frl.config.Env;
import frl.config.LabConfig;
import frl.experiment.ExperimentOptions;
import frl.resilience.RetryBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Configuration G in the simulator: its layers are the configuration table's pattern records, a
 * G run is deterministic, and its retry budget bounds the retries the simulated callers make.
 */
class ConfigGSimTest {
    @TempDir
    Path dir;

    @Test
    void gsKnobsAreTheConfigurationTablesOwnRecordsWithTheSameOverrides() {
        // Given the table and the simulator's knobs read from the same environment
        Map<String, String> vars = Map.of("LAB_RETRY_BUDGET_RATIO", "0.2", "LAB_ADAPTIVE_MAX_LIMIT", "300");
        LabConfig g = ConfigTable.fromEnv(new Env(vars)).get('G');

        // When the simulator builds G
        Knobs.Setup s = Knobs.fromEnv(vars).setup("G");

        // Then every layer is the table's record, and the fixed layers E and F use are off
        assertEquals(g.retryBudget().config(), s.retryBudget());
        assertEquals(0.2, s.retryBudget().ratio());
        assertEquals(g.adaptive().config(), s.adaptive());
        assertEquals(300, s.adaptive().maxLimit());
        assertEquals(g.compensation().config(), s.compensation());
        assertEquals(g.breaker().config(), s.breaker());
        assertEquals(g.timeouts().config().hopTimeout(), s.breaker().slowCallThreshold(), "slow only past the hop timeout");
        assertEquals(g.retry(), s.retry());
        assertEquals(0, s.bulkheadFor("payments"));
        assertNull(s.shedding());
        assertTrue(s.adaptiveFor("payments") && s.adaptiveFor("inventory") && !s.adaptiveFor("notifications"));
        assertTrue(s.idempotency() && s.outbox());
        // and F keeps its fixed layers, with none of G's
        Knobs.Setup f = Knobs.fromEnv(vars).setup("F");
        assertNull(f.retryBudget());
        assertNull(f.adaptive());
        assertNull(f.compensation());
    }

    @Test
    void aGRunIsDeterministic() throws Exception {
        // Given the same G experiment twice, on one thread and on two
        Path one = simulate("one", 1);
        Path two = simulate("two", 2);

        // Then its results files are identical
        for (String f : DeterminismTest.FILES) {
            assertEquals(Files.readString(one.resolve(f)), Files.readString(two.resolve(f)), f);
        }
        assertTrue(Files.readString(one.resolve("summary.csv")).contains("\nG,"), "G has a row");
    }

    private Path simulate(String results, int threads) throws Exception {
        ExperimentOptions o = ExperimentOptions.parse(new String[]{"--scenario", "retry_storm", "--phases", "3,10,10,40,2",
                "--reps", "2", "--configs", "G", "--seed", "11", "--results", dir.resolve(results).toString()});
        return SimMain.run(o, Knobs.defaults(), Fault.parse(o.scenario().target, o.chaosJson()), threads, List.of());
    }

    /**
     * At 100% payment errors for 300 s, every call to payments fails, so every call wants two
     * retries. The budget's guarantee (RetryBudget's comment) over a run of T seconds from a cold
     * start: retries &lt;= ratio x calls + minRetriesPerSecond x W x ceil(T / W), so attempts per
     * call &lt;= 1 + 0.1 + 30 / calls. The breakers are held closed (a minimum of calls never
     * reached) so the budget alone is measured; F, with the same breakers and no budget, shows
     * what it prevents: well over the bound (not quite 3 attempts per call: some of its retries
     * find its fixed bulkhead full, or the deadline too near, and are never sent).
     */
    @Test
    void theBudgetBoundsTheSimulatedRetriesAtHundredPercentErrors() {
        Map<String, String> vars = Map.of("LAB_BREAKER_MINIMUM_CALLS", "1000000");
        int seconds = 300;

        Stack g = failingRun(Knobs.fromEnv(vars).setup("G"), seconds);
        Stack f = failingRun(Knobs.fromEnv(vars).setup("F"), seconds);

        RetryBudget.Config budget = Knobs.defaults().setup("G").retryBudget();
        long window = budget.window().toSeconds();
        double floor = budget.minRetriesPerSecond() * window * Math.ceilDiv(seconds, window);
        for (Tally caller : List.of(g.orders.tally, g.gateway.tally)) {
            String downstream = caller == g.orders.tally ? "payments" : "orders";
            long attempts = caller.attempts(downstream);
            long calls = attempts - caller.retries(downstream);
            double bound = 1 + budget.ratio() + floor / calls;
            double perCall = (double) attempts / calls;
            assertTrue(calls > 5_000, caller.service() + " made " + calls + " calls");
            assertTrue(perCall <= bound, caller.service() + "->" + downstream + ": " + perCall + " attempts per call, bound " + bound);
            assertTrue(perCall > 1 + budget.ratio() * 0.9, "the budget is spent, not unused: " + perCall);
        }
        long fCalls = f.orders.tally.attempts("payments") - f.orders.tally.retries("payments");
        double fPerCall = (double) f.orders.tally.attempts("payments") / fCalls;
        assertTrue(fPerCall > 1.5, "F, no budget: " + fPerCall + " attempts per call");
        assertTrue(g.orders.tally.retryBudgetRefusals() > 1_000, "the refusals are counted: " + g.orders.tally.retryBudgetRefusals());
        assertEquals(0, f.orders.tally.retryBudgetRefusals(), "F has no budget to refuse");
    }

    /** One order every 15 ms (67/s) for {@code seconds}, every payment attempt failing. */
    private static Stack failingRun(Knobs.Setup setup, int seconds) {
        Stack stack = new Stack(setup, Knobs.defaults().model(), 5, Watcher.NONE);
        new Fault("payments", 1.0, 0, false, -1, 0).apply(stack);
        long every = Duration.ofMillis(15).toNanos();
        long n = seconds * 1_000_000_000L / every;
        for (int i = 0; i < n; i++) {
            int order = i;
            stack.loop.at(i * every, () -> stack.gateway.create("key-" + order, -1, order % 20, reply -> { }));
        }
        stack.loop.runUntil(seconds * 1_000_000_000L + Duration.ofSeconds(60).toNanos());
        return stack;
    }
}
