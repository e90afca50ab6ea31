// Notebook 02: retries multiply
//
// What it teaches: what frl.resilience.retry.Retry does with a failing downstream (attempts, backoff,
// giving up), how retries at every layer multiply the load at the bottom (3 x 3 = 9), and how
// much extra load retries add at a given failure rate: 1 + p + p^2 attempts per call for 3
// attempts, computed and checked against a seeded simulation of 10,000 calls.
//
// Run it:   make notebook NB=02
//           (the target runs: jshell --class-path <runtime classpath> notebooks/02-retries-multiply.jsh)
// Checked:  each "// expect: <line>" is a line the code above it prints. NotebookTest runs this
//           file and fails unless those lines appear in the output in this order (whitespace at
//           either end ignored). The clock is fake and the randomness seeded: same numbers every run.

import frl.resilience.*;
import frl.resilience.retry.*;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.Callable;
import java.util.function.Function;

// Step 1. A fake clock that moves only when something sleeps on it, so backoff costs no real time.
long[] now = {0};
NanoClock clock = () -> now[0];
Sleeper sleeper = d -> now[0] += d.toNanos();

// A fake downstream answering HTTP 503 with probability failureRate (seeded), else 200. It counts
// every attempt that reaches it: that is the load the downstream feels.
double failureRate = 1.0;
Random faults = new Random(2024);
int[] downstreamAttempts = {0};
Callable<Integer> payments = () -> { downstreamAttempts[0]++; return faults.nextDouble() < failureRate ? 503 : 200; };
Function<Integer, Verdict> http = status -> Verdict.ofHttp(status, null);  // 503 is retryable, 200 success

// The lab's default policy: 3 attempts (counting the first), exponential backoff from 100 ms with
// full jitter. The listener hears every attempt and what Retry decided next.
List<Retry.Event> events = new ArrayList<>();
Retry newRetry() { return new Retry(Retry.Policy.defaults(), clock, sleeper, new Random(1)::nextDouble, events::add); }

// Step 2. The downstream is down (fails 100%). One call:
Retry retry = newRetry();
int status = retry.call(null, payments, http);
for (Retry.Event e : events)
    System.out.println("attempt " + e.attempt() + ": " + e.verdict() + " -> " + e.next() + (e.next() == Retry.Next.RETRY ? " in " + e.delay().toMillis() + " ms" : ""));
System.out.println("result " + status + " after " + downstreamAttempts[0] + " downstream attempts; slept " + now[0] / 1_000_000 + " ms in all");
// expect: attempt 1: Retryable[reason=HTTP 503, retryAfter=null] -> RETRY in 73 ms
// expect: attempt 2: Retryable[reason=HTTP 503, retryAfter=null] -> RETRY in 82 ms
// expect: attempt 3: Retryable[reason=HTTP 503, retryAfter=null] -> GIVE_UP_ATTEMPTS
// expect: result 503 after 3 downstream attempts; slept 155 ms in all
// Giving up returns the last real answer (the 503), not a wrapper: the caller sees what happened.

// Step 3. The downstream recovers to a 20% error rate. Ten calls, attempts per call:
failureRate = 0.2;
List<Integer> attemptsPerCall = new ArrayList<>();
List<Integer> results = new ArrayList<>();
for (int i = 0; i < 10; i++) {
    int before = downstreamAttempts[0];
    results.add(retry.call(null, payments, http));
    attemptsPerCall.add(downstreamAttempts[0] - before);
}
System.out.println("attempts per call: " + attemptsPerCall);
System.out.println("results: " + results);
// expect: attempts per call: [2, 1, 2, 1, 1, 1, 1, 1, 1, 1]
// expect: results: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]
// Most calls need one attempt; the retry hides the occasional 503 from the caller.

// Step 4. Retries at every layer multiply. The gateway retries orders 3 times, and orders retries
// payments 3 times: each gateway attempt is a whole retry loop below it. Down again, 100%:
failureRate = 1.0;
Callable<Integer> layered(int layers) {
    Callable<Integer> call = payments;
    for (int i = 0; i < layers; i++) {
        Callable<Integer> below = call;
        Retry layer = newRetry();
        call = () -> layer.call(null, below, http);
    }
    return call;
}
for (int layers = 1; layers <= 3; layers++) {
    downstreamAttempts[0] = 0;
    layered(layers).call();
    System.out.println(layers + " layer(s) x 3 attempts: " + downstreamAttempts[0] + " downstream attempts for one click");
}
// expect: 1 layer(s) x 3 attempts: 3 downstream attempts for one click
// expect: 2 layer(s) x 3 attempts: 9 downstream attempts for one click
// expect: 3 layer(s) x 3 attempts: 27 downstream attempts for one click
// 3^layers, and it happens exactly when the downstream is down: the moment it can least afford it.

// Step 5. How much extra load at a steady failure rate p? With 3 attempts, attempt 2 happens when
// attempt 1 failed (probability p) and attempt 3 when both failed (p^2), so one call costs
//   E[attempts] = 1 + p + p^2
// on average. Computed, and simulated with 10,000 seeded calls through the real Retry:
String amplification(double p, int calls) {
    failureRate = p;
    faults = new Random(99);
    downstreamAttempts[0] = 0;
    Retry r = newRetry();
    for (int i = 0; i < calls; i++) {
        try { r.call(null, payments, http); } catch (Exception e) { throw new IllegalStateException(e); }
    }
    double expected = 1 + p + p * p;
    double simulated = downstreamAttempts[0] / (double) calls;
    return String.format(Locale.ROOT, "p = %.2f: expected %.2f attempts per call, simulated %.2f", p, expected, simulated);
}
for (double p : new double[] {0.2, 0.5, 1.0}) System.out.println(amplification(p, 10_000));
// expect: p = 0.20: expected 1.24 attempts per call, simulated 1.23
// expect: p = 0.50: expected 1.75 attempts per call, simulated 1.75
// expect: p = 1.00: expected 3.00 attempts per call, simulated 3.00
// At 20% errors retries add about a quarter more load, and turn 20% failed calls into
// p^3 = 0.8%. At 100% they triple the load and save nothing: that is when a circuit breaker
// (notebook 03) should stop the retries, and why Retry never retries a breaker's refusal.

/exit
