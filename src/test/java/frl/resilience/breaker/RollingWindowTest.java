package frl.resilience.breaker;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The two windows, alone (no breaker): a few worked examples, then a property that compares each
 * against the obvious slow model (keep every call, count the ones inside the window) on random
 * histories.
 */
class RollingWindowTest {

    static final long SECOND = 1_000_000_000L;
    /** Fixed, so the suite is deterministic; change it (or drop it) to explore other histories. */
    static final String SEED = "20251126";

    static RollingWindow.Totals totals(int calls, int failures) {
        return new RollingWindow.Totals(calls, failures);
    }

    @Test
    void theCountWindowSubtractsWhatItEvicts() {
        CountBasedWindow w = new CountBasedWindow(3);
        assertEquals(totals(1, 1), w.record(true, 0));
        assertEquals(totals(2, 1), w.record(false, 0));
        assertEquals(totals(3, 2), w.record(true, 0));
        assertEquals(totals(3, 1), w.record(false, 0)); // the first failure falls out
        assertEquals(totals(3, 1), w.record(false, 0)); // a success falls out
        assertEquals(totals(3, 0), w.record(false, 0)); // the second failure falls out
    }

    @Test
    void theTimeWindowDropsWholeSecondsAsTheyLeave() {
        TimeBasedWindow w = new TimeBasedWindow(3);         // seconds s-2, s-1, s
        w.record(true, 10 * SECOND);                        // second 10
        w.record(false, 11 * SECOND + 999_999_999);         // second 11
        w.record(true, 12 * SECOND);                        // second 12
        assertEquals(totals(3, 2), w.totals(12 * SECOND + 999_999_999));
        assertEquals(totals(2, 1), w.totals(13 * SECOND));  // second 10 has left
        assertEquals(totals(1, 1), w.totals(14 * SECOND));
        assertEquals(totals(0, 0), w.totals(15 * SECOND));
        assertEquals(totals(1, 0), w.record(false, 500 * SECOND)); // a long gap clears everything
    }

    @Test
    void theTimeWindowWorksOnNegativeClockReadings() {
        // System.nanoTime() may be negative: seconds are floor(nanos / 1e9), not truncation
        TimeBasedWindow w = new TimeBasedWindow(2);
        w.record(true, -1);                                 // second -1
        w.record(true, 0);                                  // second 0
        assertEquals(totals(2, 2), w.totals(SECOND - 1));
        assertEquals(totals(1, 1), w.totals(SECOND));       // second -1 has left
    }

    @Test
    void aReadingOlderThanTheNewestLandsInTheNewestBucket() {
        TimeBasedWindow w = new TimeBasedWindow(2);
        w.record(false, 5 * SECOND);
        w.record(true, 4 * SECOND); // read by a thread that lost the race for the lock
        assertEquals(totals(2, 1), w.totals(6 * SECOND));
        assertEquals(totals(0, 0), w.totals(7 * SECOND));
    }

    // ---- property: the O(1) windows agree with the slow model on any history ----

    record Call(long atNanos, boolean failure) {}

    @Provide
    Arbitrary<List<Call>> histories() {
        // Steps of 0..2.5 s, so some histories stay in one second and some skip several windows
        Arbitrary<Long> steps = Arbitraries.longs().between(0, 2_500_000_000L);
        Arbitrary<Boolean> outcomes = Arbitraries.of(true, false);
        return Combinators.combine(steps, outcomes).as((step, failure) -> new long[]{step, failure ? 1 : 0})
                .list().ofMaxSize(200)
                .map(raw -> {
                    List<Call> calls = new ArrayList<>();
                    long t = -3 * SECOND; // start below zero on purpose
                    for (long[] r : raw) {
                        t += r[0];
                        calls.add(new Call(t, r[1] == 1));
                    }
                    return calls;
                });
    }

    @Property(seed = SEED)
    void theCountWindowMatchesTheModel(@ForAll("histories") List<Call> history, @ForAll @IntRange(min = 1, max = 30) int size) {
        CountBasedWindow w = new CountBasedWindow(size);
        for (int i = 0; i < history.size(); i++) {
            RollingWindow.Totals got = w.record(history.get(i).failure(), history.get(i).atNanos());
            List<Call> inside = history.subList(Math.max(0, i + 1 - size), i + 1);
            assertEquals(model(inside), got);
        }
    }

    @Property(seed = SEED)
    void theTimeWindowMatchesTheModel(@ForAll("histories") List<Call> history, @ForAll @IntRange(min = 1, max = 10) int seconds) {
        TimeBasedWindow w = new TimeBasedWindow(seconds);
        for (int i = 0; i < history.size(); i++) {
            long now = history.get(i).atNanos();
            RollingWindow.Totals got = w.record(history.get(i).failure(), now);
            long nowSecond = Math.floorDiv(now, SECOND);
            List<Call> inside = history.subList(0, i + 1).stream()
                    .filter(c -> Math.floorDiv(c.atNanos(), SECOND) > nowSecond - seconds).toList();
            assertEquals(model(inside), got);
        }
    }

    static RollingWindow.Totals model(List<Call> inside) {
        return totals(inside.size(), (int) inside.stream().filter(Call::failure).count());
    }
}
