// Notebook 09: the payment_slow experiment, step by step, in the simulator
//
// What it teaches: what each configuration does when payments answer 3 s late for 30 s (the
// latency is added after the processor, so capacity is unchanged: only callers wait). With the
// client's 3 s patience nobody can succeed; the lesson is in what the stack does meanwhile:
// work finished for callers who have gone (wasted work), and how breakers turn slow failures
// into fast ones. Then the same with a patient (10 s) client, where deadlines decide.
//
// Run it:   make notebook NB=09
//           (the target runs: jshell --class-path <runtime classpath> notebooks/09-experiment-payment-slow.jsh)
// Checked:  each "// expect: <line>" is a line the code above it prints. NotebookTest runs this
//           file and fails unless those lines appear in the output in this order (whitespace at
//           either end ignored). Virtual time, fixed seeds: same numbers every run, in seconds.

import frl.sim.*;
import frl.experiment.load.*;
import frl.experiment.plan.*;
import frl.experiment.metrics.*;
import java.time.Duration;
import java.util.*;

// Step 1. Helpers: one simulated run of a configuration at 0.85 of capacity, 30 s of fault.
Knobs knobs = Knobs.defaults();
Phases phases = new Phases(5, 10, 30, 20, 2);
RunResult run(String config, String chaos, ClientPolicy client) {
    RunSpec spec = new RunSpec(0, config, Scenario.PAYMENT_SLOW, 0.85, 0.85 * knobs.model().capacity(), phases.fault(), 1, 2024);
    Fault fault = chaos == null ? Fault.NONE : Fault.parse("payments", chaos);
    return SimRun.run(spec, phases, client, MttrRule.defaults(), fault, knobs, Watcher.NONE).run();
}
String row(String config, RunResult r) {
    WindowStats w = r.window("fault");
    return String.format(Locale.ROOT, "%s  success %5.1f%%  p95 %5.0f ms  orders->payments %.2fx  wasted work %5.0f  breaker transitions %.0f",
            config, 100 * w.successRate(), w.p95Ms(), r.amplification().get("fault").ordersToPayments(),
            r.telemetry().wastedWork(), r.telemetry().breakerTransitions());
}
String slow = "{\"latency_ms\": 3000}";

// Step 2. The baseline: no fault, the lab's client (3 s timeout). Every order confirmed.
System.out.println(row("A", run("A", null, ClientPolicy.defaults())));
// expect: A  success 100.0%  p95   189 ms  orders->payments 1.00x  wasted work     0  breaker transitions 0

// Step 3. The fault with the 3 s client. Every answer now takes over 3 s, so no order succeeds in
// any configuration; what differs is the work done for nobody. A and B: every payment is still
// made and every order confirmed after its client left (wasted work counts it at each service).
// C: the deadline travels with the request, and orders gives up when it is spent, but payments
// has already done its work (the delay is after the processor): half the waste. D: timeouts are
// failures to the breaker, which opens and refuses at once, so most orders never reach payments
// (0.19x). F: the bulkhead fills first (Little's law below) and refusals trip the gateway's
// breaker: almost nothing is attempted, and failing takes 138 ms instead of 3 s.
Map<String, RunResult> impatient = new LinkedHashMap<>();
for (String c : List.of("A", "B", "C", "D", "F")) {
    impatient.put(c, run(c, slow, ClientPolicy.defaults()));
    System.out.println(row(c, impatient.get(c)));
}
// expect: A  success   0.3%  p95  3000 ms  orders->payments 1.00x  wasted work  4134  breaker transitions 0
// expect: B  success   0.3%  p95  3000 ms  orders->payments 1.00x  wasted work  4134  breaker transitions 0
// expect: C  success   0.3%  p95  3000 ms  orders->payments 1.00x  wasted work  2067  breaker transitions 0
// expect: D  success   0.0%  p95  3000 ms  orders->payments 0.19x  wasted work   407  breaker transitions 6
// expect: F  success   0.0%  p95   138 ms  orders->payments 0.01x  wasted work    20  breaker transitions 3

// Step 4. A patient client (10 s). Now A to D confirm every order, 3.2 s late; F refuses nearly
// all of them. Little's law says why: payments calls in flight = 68 calls/s x 3.05 s = about 207,
// and F's bulkhead admits 20. The rest are refused at once (503), orders fails them, and the
// gateway's breaker, seeing more than half of its calls fail, opens for 30 s. The bulkhead sized
// for 50 ms calls (20 slots = 400 calls/s) carries 6.6 calls/s at 3 s: a bulkhead must be sized
// for the latency it will see, or it turns slowness into an outage.
ClientPolicy patient = ClientPolicy.defaults().withTimeout(Duration.ofSeconds(10));
for (String c : List.of("A", "C", "D", "F")) {
    System.out.println(row(c, run(c, slow, patient)));
}
System.out.println(String.format(Locale.ROOT, "in flight to payments: %.0f calls, bulkhead 20", 0.85 * 80 * 3.05));
// expect: A  success 100.0%  p95  3191 ms  orders->payments 1.00x  wasted work     0  breaker transitions 0
// expect: C  success 100.0%  p95  3191 ms  orders->payments 1.00x  wasted work     0  breaker transitions 0
// expect: D  success 100.0%  p95  3191 ms  orders->payments 1.00x  wasted work     0  breaker transitions 0
// expect: F  success   0.6%  p95   138 ms  orders->payments 0.01x  wasted work     0  breaker transitions 3
// expect: in flight to payments: 207 calls, bulkhead 20

// Step 5. The spec's table for this scenario (3 s client), measured. The real stack with a 10 s
// client (results/20261201T040819Z-payment_slow): A-D and G 100%, E 0.8%, F 0.9%.
System.out.println("Config | Success | P95 | Retry amplification");
impatient.forEach((c, r) -> System.out.println(String.format(Locale.ROOT, "%s | %.1f%% | %.0f ms | %.2fx", c,
        100 * r.window("fault").successRate(), r.window("fault").p95Ms(), r.amplification().get("fault").ordersToPayments())));
// expect: Config | Success | P95 | Retry amplification
// expect: A | 0.3% | 3000 ms | 1.00x
// expect: D | 0.0% | 3000 ms | 0.19x
// expect: F | 0.0% | 138 ms | 0.01x

/exit
