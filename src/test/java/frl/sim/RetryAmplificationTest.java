package frl.sim;

import frl.experiment.load.ClientPolicy;
import frl.experiment.metrics.MttrRule;
import frl.experiment.plan.Phases;
import frl.experiment.metrics.RunResult;
import frl.experiment.plan.RunSpec;
import frl.experiment.plan.Scenario;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Retries at one hop against independent errors: with each payment attempt failing with
 * probability p and up to 3 attempts, an order makes 1 attempt, a second with probability p and
 * a third with probability p^2, so payments receive 1 + p + p^2 attempts per order attempt
 * (1.24 at p = 0.2). Config A makes exactly one.
 *
 * <p>Measured as the services and the audit count: attempts payments received, over orders
 * placed (rows in the orders table), in a 300 s run at 0.3 of capacity with the fault on
 * throughout (about 7,000 orders; the per-order attempt count has variance 0.26, so the standard
 * error of the ratio is about 0.006, and 0.02 is three of them). Per order placed, not per orders
 * attempt: in F the gateway's retry of a failed order is answered from the idempotency key
 * without placing the order again. The breaker (D..F) never trips at a 20% failure rate, and
 * timeouts never fire at this load.
 */
class RetryAmplificationTest {
    static final double P = 0.2;

    @ParameterizedTest(name = "config {0}: {1} payment attempts per order")
    @CsvSource({"A, 1.0", "B, 1.24", "C, 1.24", "D, 1.24", "E, 1.24", "F, 1.24"})
    void independentErrorsCost1PlusPPlusPSquaredAttempts(String config, double expected) {
        Phases phases = new Phases(0, 1, 300, 1, 1); // no warm-up: the counters cover the whole run
        RunSpec spec = new RunSpec(0, config, Scenario.PAYMENT_ERRORS, 0.3, 24, phases.fault(), 1, 2024);

        RunResult r = SimRun.run(spec, phases, ClientPolicy.defaults(), MttrRule.defaults(),
                new Fault("payments", P, 0, false, -1, 0), Knobs.defaults(), Watcher.NONE).run();

        double paymentAttempts = r.amplification().get("measured").ordersToPayments() * r.window("measured").sent();
        double perOrder = paymentAttempts / r.audit().orders();
        assertEquals(expected, perOrder, 0.02, "payment attempts per order placed, config " + config);
        assertEquals(1 + P + P * P, 1.24, 1e-12); // the formula the expectation column quotes
    }
}
