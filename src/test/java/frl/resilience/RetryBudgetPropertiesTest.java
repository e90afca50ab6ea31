package frl.resilience;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The budget on random histories of requests and retries on a moving clock: every decision agrees
 * with the obvious slow model (keep every event, count the ones in the window), and the guarantee
 * in RetryBudget's header holds over every span.
 */
class RetryBudgetPropertiesTest {
    static final long SECOND = 1_000_000_000L;
    /** Fixed, so the suite is deterministic; change it (or drop it) to explore other histories. */
    static final String SEED = "20251126";

    record Ask(long atNanos, boolean retry) {}

    @Provide
    Arbitrary<List<Ask>> histories() {
        // Steps of 0..1.5 s: bursts within a second, and gaps that empty the window
        return Arbitraries.longs().between(0, 1_500_000_000L).list().ofMaxSize(300)
                .flatMap(steps -> Arbitraries.integers().between(0, 99).list().ofSize(steps.size()).map(kinds -> {
                    List<Ask> asks = new ArrayList<>();
                    long t = 5 * SECOND;
                    for (int i = 0; i < steps.size(); i++) {
                        t += steps.get(i);
                        asks.add(new Ask(t, kinds.get(i) < 40)); // 40% retries: more than any budget allows
                    }
                    return asks;
                }));
    }

    @Provide
    Arbitrary<RetryBudget.Config> configs() {
        return Combinators.combine(
                Arbitraries.of(0.0, 0.05, 0.1, 0.29, 0.5, 1.0),
                Arbitraries.of(0.0, 0.2, 1.0, 3.0),
                Arbitraries.integers().between(1, 10)).as(RetryBudgetTest::config);
    }

    /** Replays a history; returns, per ask, whether it was granted (requests always are). */
    static List<Boolean> replay(List<Ask> history, RetryBudget.Config c) {
        long[] now = {0};
        RetryBudget b = new RetryBudget("p", c, () -> now[0]);
        List<Boolean> granted = new ArrayList<>();
        for (Ask a : history) {
            now[0] = a.atNanos();
            if (a.retry()) {
                granted.add(b.tryAcquireRetry());
            } else {
                b.onRequest();
                granted.add(true);
            }
        }
        return granted;
    }

    @Property(seed = SEED)
    void everyDecisionMatchesTheSlowModel(@ForAll("histories") List<Ask> history, @ForAll("configs") RetryBudget.Config c) {
        List<Boolean> granted = replay(history, c);
        long w = c.window().getSeconds();
        for (int i = 0; i < history.size(); i++) {
            if (!history.get(i).retry()) {
                continue;
            }
            long second = Math.floorDiv(history.get(i).atNanos(), SECOND);
            long requests = 0, retries = 0;
            for (int j = 0; j < i; j++) {
                if (Math.floorDiv(history.get(j).atNanos(), SECOND) > second - w && granted.get(j)) {
                    if (history.get(j).retry()) {
                        retries++;
                    } else {
                        requests++;
                    }
                }
            }
            boolean model = retries + 1 <= c.ratio() * requests + c.minRetriesPerSecond() * w + 1e-6;
            assertEquals(model, granted.get(i), "ask " + i + " at second " + second);
        }
    }

    @Property(seed = SEED)
    void overAnySpanRetriesStayWithinTheHeadersBound(@ForAll("histories") List<Ask> history,
                                                     @ForAll("configs") RetryBudget.Config c,
                                                     @ForAll @IntRange(min = 1, max = 25) int spanSeconds) {
        List<Boolean> granted = replay(history, c);
        if (history.isEmpty()) {
            return;
        }
        long w = c.window().getSeconds();
        long first = Math.floorDiv(history.getFirst().atNanos(), SECOND), last = Math.floorDiv(history.getLast().atNanos(), SECOND);
        for (long a = first; a <= last; a++) {
            long b = a + spanSeconds - 1;
            long requests = 0, retries = 0;
            for (int i = 0; i < history.size(); i++) {
                long s = Math.floorDiv(history.get(i).atNanos(), SECOND);
                if (history.get(i).retry() && granted.get(i) && s >= a && s <= b) {
                    retries++;
                } else if (!history.get(i).retry() && s > a - w && s <= b) {
                    requests++;
                }
            }
            double bound = c.ratio() * requests + c.minRetriesPerSecond() * w * Math.ceilDiv(spanSeconds, w);
            assertTrue(retries <= bound + 1e-6, "seconds " + a + ".." + b + ": " + retries + " retries > " + bound);
        }
    }
}
