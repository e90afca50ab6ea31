// Notebook 04: bulkheads and load shedding
//
// What it teaches: a frl.resilience.Bulkhead caps concurrent calls to one downstream (a third
// call into a bulkhead of 2 is refused at once); a frl.resilience.LoadShedder caps requests in
// flight at the front door and says no as a return value; and Little's law (in flight = arrival
// rate x latency) explains why both fill up when latency grows, though traffic did not.
//
// Run it:   make notebook NB=04
//           (the target runs: jshell --class-path <runtime classpath> notebooks/04-bulkhead-and-shedding.jsh)
// Checked:  each "// expect: <line>" is a line the code above it prints. NotebookTest runs this
//           file and fails unless those lines appear in the output in this order (whitespace at
//           either end ignored). The threads below are held by latches, so the outcome never varies.

import frl.http.Rejections;
import frl.resilience.*;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.*;

// Step 1. A bulkhead of 2 slots for inventory. Two callers enter and stay (inventory is slow:
// they wait on a latch), on virtual threads of their own.
Bulkhead inventory = new Bulkhead("inventory", Bulkhead.Config.of(2));
CountDownLatch inventoryAnswers = new CountDownLatch(1);
List<Thread> callers = new ArrayList<>();
for (int i = 0; i < 2; i++) {
    callers.add(Thread.ofVirtual().start(() -> {
        try { inventory.execute(() -> { inventoryAnswers.await(); return "reserved"; }); }
        catch (Exception e) { throw new IllegalStateException(e); }
    }));
}
while (inventory.inUse() < 2) Thread.sleep(1);
System.out.println("in use: " + inventory.inUse() + " of " + inventory.config().maxConcurrent());
// expect: in use: 2 of 2

// Step 2. A third concurrent call is refused at once: no waiting (maxWait is 0 by default), no
// thread parked on a slow service. It maps to HTTP 503.
try {
    inventory.execute(() -> "reserved");
} catch (BulkheadFullException e) {
    System.out.println("third call: " + e.getMessage());
}
// expect: third call: bulkhead 'inventory' is full (2 calls in flight)

// When inventory answers, the slots come back and calls go through again.
inventoryAnswers.countDown();
for (Thread c : callers) c.join();
System.out.println("after: in use " + inventory.inUse() + ", rejected " + inventory.rejections() + ", next call " + inventory.execute(() -> "reserved"));
// expect: after: in use 0, rejected 1, next call reserved
// Other downstreams have bulkheads of their own, so a slow inventory cannot take payments' threads.

// Step 3. The load shedder guards the gateway's entrance. Rejection is a return value: shedding
// happens under overload, exactly when a stack trace per request would cost the most.
LoadShedder gateway = new LoadShedder("gateway", LoadShedder.Config.of(3));
List<Boolean> admitted = new ArrayList<>();
for (int i = 0; i < 4; i++) admitted.add(gateway.tryAcquire());
System.out.println("admitted: " + admitted + ", shed " + gateway.shed() + " (HTTP 503, Retry-After: " + Rejections.retryAfterSeconds(gateway.retryAfter()) + ")");
gateway.release();  // one response sent
System.out.println("after one release: " + gateway.tryAcquire());
// expect: admitted: [true, true, true, false], shed 1 (HTTP 503, Retry-After: 1)
// expect: after one release: true

// Step 4. Little's law: requests in flight L = arrival rate (lambda) x time in the system (W).
// The gateway gets 80 requests/s. At 50 ms each, 4 are in flight; if payments slows to 3 s,
// 240 would be, above the limit of 200, although not one extra request arrived.
// A simulation on a fake timeline: one arrival every 12.5 ms for 10 s, through the real shedder.
String simulate(double perSecond, Duration latency, int maxInFlight) {
    LoadShedder shedder = new LoadShedder("gateway", LoadShedder.Config.of(maxInFlight));
    ArrayDeque<Long> finishesAt = new ArrayDeque<>();  // latency is constant: first in, first out
    long every = (long) (1e9 / perSecond);
    int arrivals = 0, peak = 0;
    for (long t = 0; t < 10_000_000_000L; t += every, arrivals++) {
        while (!finishesAt.isEmpty() && finishesAt.peekFirst() <= t) { finishesAt.pollFirst(); shedder.release(); }
        if (shedder.tryAcquire()) finishesAt.addLast(t + latency.toNanos());
        peak = Math.max(peak, shedder.inFlight());
    }
    double littlesLaw = perSecond * latency.toNanos() / 1e9;
    return String.format(Locale.ROOT, "%4d ms: L = %.0f/s x %.2f s = %.0f in flight; peak %d, shed %d of %d",
            latency.toMillis(), perSecond, latency.toNanos() / 1e9, littlesLaw, peak, shedder.shed(), arrivals);
}
System.out.println(simulate(80, Duration.ofMillis(50), 200));
System.out.println(simulate(80, Duration.ofMillis(3000), 200));
System.out.println("LoadShedder.admits(240, 200) = " + LoadShedder.admits(240, 200));
// expect: 50 ms: L = 80/s x 0.05 s = 4 in flight; peak 4, shed 0 of 800
// expect: 3000 ms: L = 80/s x 3.00 s = 240 in flight; peak 200, shed 120 of 800
// expect: LoadShedder.admits(240, 200) = false
// Shedding keeps the 200 admitted requests served instead of letting 240 and rising queue up.

// The same law sizes a bulkhead, read the other way: slots / latency is the most it can serve.
int slots = Bulkhead.Config.DEFAULT_MAX_CONCURRENT;
for (long ms : new long[] {50, 3000}) System.out.println(String.format(Locale.ROOT, "bulkhead of %d at %d ms a call: at most %.1f calls/s", slots, ms, slots * 1000.0 / ms));
// expect: bulkhead of 20 at 50 ms a call: at most 400.0 calls/s
// expect: bulkhead of 20 at 3000 ms a call: at most 6.7 calls/s

/exit
