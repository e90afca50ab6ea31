// Notebook 11: the retry_storm experiment, step by step, in the simulator
//
// What it teaches: a metastable failure. A short trigger (payments lose half their capacity for
// 10 s) meets a sustaining effect (clients that re-send a timed-out order, up to 4 times, and a
// stack that serves work nobody waits for), and the stack stays down after the trigger is gone.
// Why the queue cannot drain, which configurations break the loop, and how sharp the edge is.
//
// Run it:   make notebook NB=11
//           (the target runs: jshell --class-path <runtime classpath> notebooks/11-experiment-retry-storm.jsh)
// Checked:  each "// expect: <line>" is a line the code above it prints. NotebookTest runs this
//           file and fails unless those lines appear in the output in this order (whitespace at
//           either end ignored). Virtual time, fixed seeds: same numbers every run, in seconds.

import frl.sim.*;
import frl.experiment.load.*;
import frl.experiment.plan.*;
import frl.experiment.metrics.*;
import java.util.*;

// Step 1. Helpers: 20 s of baseline, the trigger, 90 s to recover. Clients as in Huang et al.'s
// reproduction (OSDI 2022): 3 s timeout, then up to 4 re-sends at once with the same key.
Knobs knobs = Knobs.defaults();
ClientPolicy huang = ClientPolicy.defaults().withResends(4);
String drop = "{\"slots\": 2}";
RunResult run(String config, double load, int trigger, long seed) {
    Phases phases = new Phases(5, 20, trigger, 90, 2);
    RunSpec spec = new RunSpec(0, config, Scenario.RETRY_STORM, load, load * knobs.model().capacity(), phases.fault(), 1, seed);
    return SimRun.run(spec, phases, huang, MttrRule.defaults(), Fault.parse("payments", drop), knobs, Watcher.NONE).run();
}
String goodput(RunResult r, int from, int to) {  // successes per second, averaged over 5 s buckets
    StringBuilder b = new StringBuilder();
    for (int s = from; s < to; s += 5) {
        long ok = 0;
        for (TimelineRow t : r.timeline()) if (t.second() >= s && t.second() < s + 5) ok += t.succeeded();
        b.append(String.format(Locale.ROOT, "%3.0f ", ok / 5.0));
    }
    return b.toString().strip();
}

// Step 2. Config A (no patterns) at 0.85 of capacity, a 10 s trigger at second 25. Goodput per
// second, in 5 s buckets from second 5: 68 orders/s before, then nothing, for the rest of the run.
Map<String, RunResult> storm = new LinkedHashMap<>();
storm.put("A", run("A", 0.85, 10, 2024));
System.out.println("A  " + goodput(storm.get("A"), 5, 125));
System.out.println("A  " + storm.get("A").recovery());
// expect: A  70  69  66  68  51   0   0   0   0   0   0   0   0   0   0   0   0   0   0   0   0   0   0   0
// expect: A  did not recover in 90 s

// Step 3. Why it stays down. During the trigger the processor serves 40/s while 68/s arrive: the
// queue grows by 28 a second, 280 in 10 s, 7 s of work at 40/s. Every order now waits past the
// client's 3 s, so the client re-sends it, and again, up to 5 sends per order: the offered load
// becomes up to 5 x 68 = 340 attempts/s against 80/s of capacity, after the trigger is gone. And
// nothing tells payments that a client left: it serves the queue in order, every payment for a
// client who gave up long ago (wasted work), each re-send a new order and a new charge.
RunResult a = storm.get("A");
System.out.println(String.format(Locale.ROOT, "client sends per order after the trigger %.2f, wasted work %.0f, duplicate charges %d",
        a.amplification().get("recovery").clientToGateway(), a.telemetry().wastedWork(), a.audit().duplicateChargesPerKey()));
// expect: client sends per order after the trigger 5.24, wasted work 17266, duplicate charges 5791

// Step 4. C adds deadlines: payments drops a request whose deadline (the client's 3 s) passed in
// the queue, so half the wasted work goes. But the re-sends still multiply the load by five, and
// the queue is still full of work only seconds from being too late: C is still down at the end.
storm.put("C", run("C", 0.85, 10, 2024));
System.out.println("C  " + goodput(storm.get("C"), 5, 125) + "  " + storm.get("C").recovery());
// expect: C  70  69  66  68  52   2   0   0   0   0   0   0   0   0   0   0   0   0   0   0   0   0   0  39  did not recover in 90 s

// Step 5. D adds breakers. Timeouts count as failures, the breakers open and refuse at once for
// 30 s: clients get a fast 503 instead of a timeout, so they stop re-sending, and the queue
// drains. When the breaker half-opens, the probes find a healthy stack: goodput is back about
// 30 s after the trigger ended (the open duration), MTTR 40 s by the rule (it also waits for the
// 10 s rolling window to fill). F adds bulkheads, shedding and idempotency keys: a re-send of an
// order still in flight gets a 409 and makes no new work; it is back 5 s sooner. Both recover,
// and the breaker's open duration is most of their MTTR: the price of failing fast.
for (String c : List.of("D", "F")) {
    storm.put(c, run(c, 0.85, 10, 2024));
    System.out.println(c + "  " + goodput(storm.get(c), 5, 125) + "  " + storm.get(c).recovery());
}
// expect: D  70  69  66  68  52   2   0   0   0   0   0   0  68  68  73  71  71  67  66  66  70  68  71  66  40 s
// expect: F  70  69  66  68  40   3   0   0   0   0   0  63  70  68  73  71  70  66  66  66  70  68  71  66  35 s

// Step 6. The edge is sharp (Huang et al.: a 9 s trigger recovered, a 10 s one did not). A at 0.9
// of capacity: a 5 s trigger queues fewer orders than the 3 s patience lets drain before the
// re-sends start; a 10 s one does not. make metastability-map draws this edge for every load.
for (long seed : new long[]{1, 2}) {
    for (int trigger : new int[]{5, 10}) {
        System.out.println("A at 0.9, seed " + seed + ", trigger " + trigger + " s: " + run("A", 0.9, trigger, seed).recovery());
    }
}
// expect: A at 0.9, seed 1, trigger 5 s: 30 s
// expect: A at 0.9, seed 1, trigger 10 s: did not recover in 90 s
// expect: A at 0.9, seed 2, trigger 5 s: 24 s
// expect: A at 0.9, seed 2, trigger 10 s: did not recover in 90 s

// Step 7. The table for this scenario, measured (the real stack, two runs each: A, B, C did not
// recover, D in one run of two (40 s), E and F in both (35 s), G in both (10 s);
// results/20261201T033508Z-retry_storm).
System.out.println("Config | Success (trigger) | MTTR | Client sends per order after");
storm.forEach((c, r) -> System.out.println(String.format(Locale.ROOT, "%s | %.1f%% | %s | %.2fx", c,
        100 * r.window("fault").successRate(), r.recovery(), r.amplification().get("recovery").clientToGateway())));
// expect: Config | Success (trigger) | MTTR | Client sends per order after
// expect: A | 36.8% | did not recover in 90 s | 5.24x
// expect: F | 31.3% | 35 s | 1.00x

/exit
