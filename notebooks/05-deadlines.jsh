// Notebook 05: timeouts and deadlines
//
// What it teaches: a frl.resilience.Deadline is a request's whole time budget (25 s). Each hop's
// timeout is min(hop timeout, what is left), so timeouts shrink as the budget is spent; the
// budget travels downstream as remaining milliseconds (never a wall-clock time); once it is spent
// no new call starts (DeadlineExceededException, HTTP 504), and Retry stops instead of sleeping
// into it.
//
// Run it:   make notebook NB=05
//           (the target runs: jshell --class-path <runtime classpath> notebooks/05-deadlines.jsh)
// Checked:  each "// expect: <line>" is a line the code above it prints. NotebookTest runs this
//           file and fails unless those lines appear in the output in this order (whitespace at
//           either end ignored). The clock is fake: 25 s pass in no time, the same way every run.

import frl.resilience.*;
import frl.resilience.retry.*;
import java.time.Duration;
import java.util.*;

// Step 1. A fake clock, and a deadline 25 s from now; each hop's own timeout is 10 s.
long[] now = {0};
NanoClock clock = () -> now[0];
void spend(Duration d) { now[0] += d.toNanos(); }

Deadline deadline = Deadline.after(Deadline.DEFAULT_BUDGET, clock);
Duration hopTimeout = Deadline.DEFAULT_HOP_TIMEOUT;
System.out.println(deadline + ", hop timeout " + hopTimeout.toSeconds() + " s");
// expect: Deadline[remaining=25000 ms], hop timeout 10 s

// Step 2. Orders calls three slow downstreams in turn, and each one uses its whole timeout.
// Alone, three 10 s timeouts could run for 30 s, 5 s after the client gave up. With the deadline
// the third hop gets only what is left. Each call also sends the budget on in a header.
for (String hop : List.of("payments", "inventory", "notifications")) {
    Duration timeout = deadline.timeoutFor(hopTimeout);
    System.out.println(hop + ": timeout " + timeout.toSeconds() + " s, sends " + Deadline.HEADER + ": " + deadline.headerValue());
    spend(timeout);  // the hop timed out after its whole timeout
}
// expect: payments: timeout 10 s, sends X-Deadline-Remaining-Ms: 25000
// expect: inventory: timeout 10 s, sends X-Deadline-Remaining-Ms: 15000
// expect: notifications: timeout 5 s, sends X-Deadline-Remaining-Ms: 5000

// Step 3. Spent: no next call starts. It would only end in a 504 after using a connection.
System.out.println("expired: " + deadline.isExpired() + ", remaining " + deadline.remaining());
try {
    deadline.timeoutFor(hopTimeout);
} catch (DeadlineExceededException e) {
    System.out.println("next hop: " + e.getMessage() + " (HTTP 504)");
}
// expect: expired: true, remaining PT0S
// expect: next hop: deadline spent: no time left for the next call (HTTP 504)

// Step 4. On the wire. The receiver starts its own countdown from the header, on its own
// monotonic clock: no two hosts need agree on the time of day. Rounding is down (1.9 ms left
// is sent as 1), so every error makes a hop stop early, never late.
Deadline fresh = Deadline.after(Duration.ofSeconds(2), clock);
spend(Duration.ofNanos(1_998_100_000L));
System.out.println("left " + fresh.remaining().toNanos() + " ns, header " + fresh.headerValue());
Deadline received = Deadline.fromHeader(fresh.headerValue(), clock);
System.out.println("receiver: " + received);
// expect: left 1900000 ns, header 1
// expect: receiver: Deadline[remaining=1 ms]

// Step 5. Retry respects the deadline: it sleeps only if the wait ends before the deadline does.
// 1.5 s left, a fixed 1 s backoff, and a downstream that keeps answering 503:
List<Duration> slept = new ArrayList<>();
Sleeper sleeper = d -> { slept.add(d); now[0] += d.toNanos(); };
Retry retry = new Retry(Retry.Policy.of(3, Backoff.fixed(Duration.ofSeconds(1), Backoff.Jitter.NONE)), clock, sleeper,
        new Random(5)::nextDouble, e -> System.out.println("attempt " + e.attempt() + " -> " + e.next()));
Deadline budget = Deadline.after(Duration.ofMillis(1500), clock);
int status = retry.call(budget, () -> 503, s -> Verdict.ofHttp(s, null));
System.out.println("returned " + status + " with " + budget.remaining().toMillis() + " ms left, slept " + slept);
// expect: attempt 1 -> RETRY
// expect: attempt 2 -> GIVE_UP_DEADLINE
// expect: returned 503 with 500 ms left, slept [PT1S]
// The caller gets the real 503 with 500 ms still in hand to answer its own client.

// A call that starts with nothing left makes no attempt at all:
try {
    retry.call(deadline, () -> 200, s -> Verdict.ofHttp(s, null));
} catch (DeadlineExceededException e) {
    System.out.println("no attempt: " + e.getMessage());
}
// expect: no attempt: deadline spent before the first attempt

/exit
