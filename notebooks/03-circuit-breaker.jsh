// Notebook 03: the circuit breaker
//
// What it teaches: the life of a frl.resilience.breaker.CircuitBreaker, driven by a fake clock:
// failures trip it OPEN, an open breaker refuses at once (CircuitOpenException, with when to come
// back), after 30 s the next call is let through as a probe (HALF_OPEN), a failed probe opens it
// again, and successful probes close it. A listener prints every transition as it happens.
//
// Run it:   make notebook NB=03
//           (the target runs: jshell --class-path <runtime classpath> notebooks/03-circuit-breaker.jsh)
// Checked:  each "// expect: <line>" is a line the code above it prints. NotebookTest runs this
//           file and fails unless those lines appear in the output in this order (whitespace at
//           either end ignored). The clock is fake: 30 s pass in no time, the same way every run.

import frl.resilience.NanoClock;
import frl.resilience.breaker.*;
import java.time.Duration;

// Step 1. A fake clock, and a breaker with the lab's defaults: a window of the last 20 calls,
// trips at 5 failures (or at 50% failures once 10 calls are in), stays open 30 s, then lets 3
// probes through, all of which must succeed to close it.
long[] now = {0};
NanoClock clock = () -> now[0];
void advance(Duration d) { now[0] += d.toNanos(); }
String t() { return String.format(java.util.Locale.ROOT, "t=%.2fs", now[0] / 1e9); }

CircuitBreakerConfig config = CircuitBreakerConfig.defaults();
System.out.println("threshold " + config.failureThreshold() + ", open " + config.openDuration().toSeconds() + " s, probes " + config.permittedHalfOpenCalls());
// expect: threshold 5, open 30 s, probes 3
CircuitBreaker breaker = new CircuitBreaker("payments", config, clock);
breaker.addListener((name, from, to) -> System.out.println(t() + " " + name + ": " + from + " -> " + to));

// One call to payments through the breaker: it takes 50 ms of fake time and answers a status;
// execute() asks permission, runs it, and records a 5xx as a failure. A refusal is printed.
String call(int status) {
    try {
        int answer = breaker.execute(() -> { advance(Duration.ofMillis(50)); return status; }, s -> s >= 500);
        return t() + " call -> " + answer;
    } catch (CircuitOpenException e) {
        return t() + " refused: " + e.getMessage() + " (HTTP 503, Retry-After: " + e.retryAfterSeconds() + ")";
    } catch (Exception e) {
        throw new IllegalStateException(e);
    }
}

// Step 2. Two good calls, then payments starts failing. The fifth failure trips the breaker (the
// count rule: 5 of 7 calls; the rate rule waits for 10 calls). The listener prints the transition
// as that call's failure is recorded, before the call returns.
for (int status : new int[] {200, 200, 503, 503, 503, 503, 503}) System.out.println(call(status));
// expect: t=0.35s payments: CLOSED -> OPEN
// expect: t=0.35s call -> 503

// Step 3. Open: the next calls are refused without reaching payments, and say when to come back.
System.out.println(call(200));
advance(Duration.ofSeconds(20));
System.out.println(call(200));
Snapshot s = breaker.snapshot();
System.out.println(s.state() + ": " + s.failures() + " failures in " + s.calls() + " calls tripped it; half-open in " + s.millisUntilHalfOpen() + " ms");
// expect: t=0.35s refused: circuit breaker 'payments' is open; retry after 30000 ms (HTTP 503, Retry-After: 30)
// expect: t=20.35s refused: circuit breaker 'payments' is open; retry after 10000 ms (HTTP 503, Retry-After: 10)
// expect: OPEN: 5 failures in 7 calls tripped it; half-open in 10000 ms
// A refusal costs nothing downstream and holds no thread: that is the point. Retry never retries
// it (notebook 02): the retries stop at the breaker instead of piling onto a sick service.

// Step 4. 30 s after opening, the next call is let through as a probe. Payments is still down:
// the probe fails and the breaker opens for another 30 s.
advance(Duration.ofSeconds(10));
System.out.println(call(503));
// expect: t=30.35s payments: OPEN -> HALF_OPEN
// expect: t=30.40s payments: HALF_OPEN -> OPEN
// expect: t=30.40s call -> 503

// Step 5. Another 30 s; payments has recovered. Three probes succeed and the breaker closes.
advance(Duration.ofSeconds(30));
for (int i = 0; i < 3; i++) System.out.println(call(200));
System.out.println(breaker.state() + ", " + call(200));
// expect: t=60.40s payments: OPEN -> HALF_OPEN
// expect: t=60.55s payments: HALF_OPEN -> CLOSED
// expect: t=60.55s call -> 200
// expect: CLOSED, t=60.60s call -> 200
// The cost of protection: payments was back (say) at t=31 s but got no traffic until t=60 s.
// openDuration trades load on a sick service against time to notice that it recovered.

/exit
