// Notebook 01: backoff and jitter
//
// What it teaches: how long a retry waits (exponential backoff) and why that wait should be
// random (jitter). It runs the four jitter rules of frl.resilience.Backoff on the same random
// draws, then shows what full jitter does to a crowd of clients that all failed at one instant.
//
// Run it:   make notebook NB=01
//           (the target runs: jshell --class-path <runtime classpath> notebooks/01-backoff-and-jitter.jsh)
// Checked:  each "// expect: <line>" is a line the code above it prints. NotebookTest runs this
//           file and fails unless those lines appear in the output in this order (whitespace at
//           either end ignored). The randomness is seeded, so the numbers are the same on every run.

import frl.resilience.Backoff;
import frl.resilience.Backoff.Jitter;
import java.time.Duration;
import java.util.*;

// Step 1. One schedule: exponential from 100 ms, doubling on each retry, capped at 2 s.
// Backoff.delay(n, previous, r) is a pure function: retry number n, the previous delay (only
// DECORRELATED reads it) and a random draw r in [0, 1) that we supply. Same inputs, same delay.
Duration base = Duration.ofMillis(100);
Duration cap = Duration.ofSeconds(2);
Map<Jitter, Backoff> backoff = new EnumMap<>(Jitter.class);
for (Jitter j : Jitter.values()) backoff.put(j, Backoff.exponential(base, cap, j));

// Step 2. The four jitter rules on the same six draws (seed 42), delay in ms per retry:
//   NONE          e = min(cap, base * 2^(n-1))   everyone waits exactly e
//   FULL          r * e                          anywhere in [0, e)
//   EQUAL         e/2 + r * e/2                  never less than half of e
//   DECORRELATED  min(cap, base + r * (3 * previous - base))   grows from the last delay, not n
double[] draws = new Random(42).doubles(6).toArray();
Duration previous = null;
System.out.println("retry draw  NONE  FULL EQUAL DECORRELATED");
for (int n = 1; n <= draws.length; n++) {
    double r = draws[n - 1];
    Duration decorrelated = backoff.get(Jitter.DECORRELATED).delay(n, previous, r);
    System.out.println(String.format(Locale.ROOT, "%5d %4.2f %5d %5d %5d %12d", n, r,
            backoff.get(Jitter.NONE).delay(n, null, r).toMillis(),
            backoff.get(Jitter.FULL).delay(n, null, r).toMillis(),
            backoff.get(Jitter.EQUAL).delay(n, null, r).toMillis(),
            decorrelated.toMillis()));
    previous = decorrelated;
}
// expect: retry draw  NONE  FULL EQUAL DECORRELATED
// expect: 1 0.73   100    72    86          245
// expect: 2 0.68   200   136   168          534
// expect: 3 0.31   400   123   261          564
// expect: 4 0.28   800   221   510          541
// expect: 5 0.67  1600  1064  1332         1114
// expect: 6 0.90  2000  1806  1903         2000
// NONE doubles until the 2 s cap. FULL can be far below NONE (retry 3 waits 123 ms, not 400).
// EQUAL keeps at least half. DECORRELATED follows its own last delay (retry 4 stays near
// retry 3's 564 ms, where NONE jumps to 800) and is clipped to the cap as well.

// Step 3. Why jitter: a thousand clients see the same error at t = 0 (a deploy, a blip), and
// each picks its first retry. How many of them hit the server in the same 10 ms?
// (The first retry waits at most 100 ms, so 10 ms bins; DECORRELATED's first lies in 100..300 ms.)
int busiestBin(Jitter jitter, int clients, long seed) {
    Random random = new Random(seed);
    int[] bins = new int[(int) (cap.toMillis() / 10) + 1];
    for (int c = 0; c < clients; c++) {
        long at = backoff.get(jitter).delay(1, null, random.nextDouble()).toMillis();
        bins[(int) (at / 10)]++;
    }
    return Arrays.stream(bins).max().getAsInt();
}
for (Jitter j : Jitter.values()) System.out.println("busiest 10 ms bin, 1000 clients, " + j + ": " + busiestBin(j, 1000, 7));
// expect: busiest 10 ms bin, 1000 clients, NONE: 1000
// expect: busiest 10 ms bin, 1000 clients, FULL: 131
// expect: busiest 10 ms bin, 1000 clients, EQUAL: 225
// expect: busiest 10 ms bin, 1000 clients, DECORRELATED: 72
// Without jitter the whole crowd comes back in one instant: the retry is a second spike, and it
// lands just when the server is weakest. FULL spreads it over the whole window (about a tenth
// per bin); EQUAL over half of it. The next retry doubles the window and spreads them further.

// Step 4. Every delay stays within [0, cap], whatever the draw: check the extremes.
Duration longest = Duration.ZERO;
for (Jitter j : Jitter.values())
    for (int n = 1; n <= 40; n++)
        for (double r : new double[] {0.0, 0.5, Math.nextDown(1.0)}) {
            Duration d = backoff.get(j).delay(n, cap, r);
            if (d.compareTo(longest) > 0) longest = d;
        }
System.out.println("longest delay seen over 40 retries: " + longest.toMillis() + " ms (cap " + cap.toMillis() + " ms)");
// expect: longest delay seen over 40 retries: 2000 ms (cap 2000 ms)

/exit
