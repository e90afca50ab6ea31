package frl.sim;

import frl.experiment.load.ClientPolicy;
import frl.experiment.metrics.MttrRule;
import frl.experiment.plan.Phases;
import frl.experiment.plan.RunSpec;
import frl.experiment.plan.Scenario;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The speed figure the README quotes: a 150 s run (arrivals from 0 to 150 s, a 30 s fault of 20%
 * payment errors, then a drain) at 67 requests/s, one configuration per run, on one thread,
 * after warm-up runs so the JIT has compiled the hot path. Prints the median CPU time per run
 * and the ratio of virtual to CPU time. A benchmark, not a test: the figure depends on the
 * machine, so nothing asserts it.
 *
 * <p>{@code java -cp "target/classes:$(cat target/classpath.txt)" frl.sim.Benchmark [runs per config]}
 */
public final class Benchmark {
    static final Phases PHASES = new Phases(10, 20, 30, 90, 2);
    static final double RATE = 67;

    private Benchmark() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Knobs knobs = Knobs.defaults();
        Fault fault = Fault.parse("payments", Scenario.PAYMENT_ERRORS.chaosJson);
        List<String> configs = List.of("A", "B", "C", "D", "E", "F", "G");
        for (int i = 0; i < 3 * configs.size(); i++) { // warm-up
            once(configs.get(i % configs.size()), i, knobs, fault);
        }
        System.out.printf(Locale.ROOT, "benchmark: payment_errors, arrivals over %d s at %.0f/s, one configuration per run, one thread,"
                + " median of %d runs%n", PHASES.end(), RATE, runs);
        for (String config : configs) {
            double[] cpu = new double[runs];
            double simulated = 0;
            long events = 0;
            for (int i = 0; i < runs; i++) {
                SimRun.Result r = once(config, 100 + i, knobs, fault);
                cpu[i] = r.cpuNanos() / 1e9;
                simulated += r.simulatedSeconds() / runs;
                events += r.events() / runs;
            }
            Arrays.sort(cpu);
            double median = cpu[runs / 2];
            System.out.printf(Locale.ROOT, "  %s: %.3f s CPU per run, %.0f s simulated (%d events): %.0f simulated seconds per CPU second%n",
                    config, median, simulated, events, simulated / median);
        }
    }

    private static SimRun.Result once(String config, long seed, Knobs knobs, Fault fault) {
        RunSpec spec = new RunSpec(0, config, Scenario.PAYMENT_ERRORS, RATE / knobs.model().capacity(), RATE, PHASES.fault(), 1, seed);
        return SimRun.run(spec, PHASES, ClientPolicy.defaults(), MttrRule.defaults(), fault, knobs, Watcher.NONE);
    }
}
