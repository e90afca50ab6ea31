package frl.resilience.breaker;

import frl.resilience.breaker.CircuitBreakerConfig.WindowType;
import frl.resilience.breaker.Comparison.Ask;
import frl.resilience.breaker.Comparison.Fail;
import frl.resilience.breaker.Comparison.Op;
import frl.resilience.breaker.Comparison.Release;
import frl.resilience.breaker.Comparison.Setup;
import frl.resilience.breaker.Comparison.Succeed;
import frl.resilience.breaker.Comparison.Wait;
import frl.resilience.breaker.Comparison.WaitOpen;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static frl.resilience.breaker.Resilience4jDifferences.ALL_PROBES_MUST_SUCCEED;
import static frl.resilience.breaker.Resilience4jDifferences.FIRST_FAILED_PROBE_REOPENS;
import static frl.resilience.breaker.Resilience4jDifferences.LATE_OUTCOME;
import static frl.resilience.breaker.Resilience4jDifferences.OPEN_KEEPS_TRIPPING_COUNTS;
import static frl.resilience.breaker.Resilience4jDifferences.SLOW_SUCCESS;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Our breaker against Resilience4j 2.4.0 (test scope only), step by step on one fake clock
 * ({@link Comparison}), over random configurations and random sequences of permission requests,
 * successes, slow successes, failures, releases and clock advances, with several calls in flight.
 * Every known difference is one named rule in {@link Resilience4jDifferences}; anything else fails
 * with a shrunk sequence that {@link Comparison#parse} reads back, for a hand-written case below.
 */
class Resilience4jCrossCheckTest {

    /** Fixed, so the suite is deterministic; change it (or drop it) to explore other sequences. */
    static final String SEED = "20251126";

    @ParameterizedTest(name = "{0} {1}, {2}% after {3}, slow > {4} ms, open {5} ms, {6} probes: {7}")
    @CsvSource(delimiter = '|', textBlock = """
            # trips at exactly the rate, once the minimum is reached
            COUNT_BASED | 4  | 50  | 4 | 0  | 10000 | 1 | ask ok0:0ms ask fail0 ask ok0:0ms ask fail0 ask              | 9  |
            # open, refuse, probe only after the open duration (to the nanosecond), fail it, probe again, close
            COUNT_BASED | 2  | 50  | 2 | 0  | 10000 | 1 | ask fail0 ask fail0 ask open-1ns ask open ask open+1ns ask fail0 open+1ns ask ok0:0ms | 15 |
            # the time window forgets by age
            TIME_BASED  | 3  | 60  | 3 | 0  | 10000 | 1 | ask fail0 ask fail0 wait999ms ask fail0 wait1ms ask ok0:0ms wait3000ms ask fail0 | 13 | OPEN_KEEPS_TRIPPING_COUNTS
            # issue 15: a release of a call from before the trip, then the probe fails: both re-open
            COUNT_BASED | 2  | 50  | 1 | 0  | 1000  | 1 | ask ask fail0 open+1ns ask release0 fail0 ask                | 8  | LATE_OUTCOME
            # slow successes are failures to ours; a call of exactly the threshold is not slow
            COUNT_BASED | 2  | 50  | 2 | 10 | 1000  | 1 | ask ok0:11ms ask ok0:10ms                                    | 4  | SLOW_SUCCESS
            # three probes: ours re-opens at the first failure, Resilience4j (1 of 2 < 60%) would close
            COUNT_BASED | 2  | 60  | 2 | 0  | 1000  | 3 | ask fail0 ask fail0 open+1ns ask ask ok0:0ms fail0 ask      | 10 | FIRST_FAILED_PROBE_REOPENS
            # three probes, minimum 1: Resilience4j closes after the first success; ours waits for all three
            COUNT_BASED | 2  | 50  | 1 | 0  | 1000  | 3 | ask fail0 open+1ns ask ok0:0ms ask ok0:0ms                   | 5  | ALL_PROBES_MUST_SUCCEED
            # a time window that tripped: Resilience4j's counts fade while OPEN, ours stay
            TIME_BASED  | 1  | 100 | 1 | 0  | 5000  | 1 | ask fail0 wait2000ms ask                                     | 4  | OPEN_KEEPS_TRIPPING_COUNTS
            """)
    void handWrittenSequences(WindowType type, int size, int percent, int minimum, int slowMillis, int openMillis,
                              int probes, String steps, int compared, String rules) {
        Comparison c = new Comparison(new Setup(type, size, percent, minimum, slowMillis, openMillis, probes));
        assertEquals(compared, c.run(Comparison.parse(steps)), "steps compared");
        Set<Resilience4jDifferences> expected = EnumSet.noneOf(Resilience4jDifferences.class);
        if (rules != null) {
            Arrays.stream(rules.split(" ")).map(Resilience4jDifferences::valueOf).forEach(expected::add);
        }
        assertEquals(expected, c.applied(), "rules that had to explain a difference");
    }

    @Provide
    Arbitrary<Setup> setups() {
        Arbitrary<WindowType> type = Arbitraries.of(WindowType.class);
        Arbitrary<Integer> size = Arbitraries.integers().between(1, 8);
        Arbitrary<Integer> percent = Arbitraries.integers().between(1, 100);
        Arbitrary<Integer> minimum = Arbitraries.integers().between(1, 8);
        Arbitrary<Integer> slow = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(0)),
                Tuple.of(1, Arbitraries.integers().between(1, 40)));
        Arbitrary<Integer> open = Arbitraries.integers().between(1, 3_000);
        Arbitrary<Integer> probes = Arbitraries.integers().between(1, 4);
        return Combinators.combine(type, size, percent, minimum, slow, open, probes).as(Setup::new);
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Integer> pick = Arbitraries.integers().between(0, 5);
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just(new Ask())),
                Tuple.of(5, Combinators.combine(pick, Arbitraries.integers().between(0, 60)).as(Succeed::new)),
                Tuple.of(5, pick.map(Fail::new)),
                Tuple.of(1, pick.map(Release::new)),
                Tuple.of(2, Arbitraries.integers().between(0, 1_500).map(Wait::new)),
                Tuple.of(2, Arbitraries.integers().between(-1, 1).map(WaitOpen::new)));
        return op.list().ofMaxSize(80);
    }

    /**
     * How often, at least, each rule that acts during a run must have had to act (percent of
     * sequences), so a generator that stops reaching a difference fails instead of passing vacuously.
     */
    static final Map<Resilience4jDifferences, Integer> MIN_PERCENT = Map.of(SLOW_SUCCESS, 10, LATE_OUTCOME, 10,
            FIRST_FAILED_PROBE_REOPENS, 5, ALL_PROBES_MUST_SUCCEED, 1, OPEN_KEEPS_TRIPPING_COUNTS, 10);

    /** 10,000 sequences of up to 80 steps: about 4 s here, on a loaded 2-core machine. */
    @Property(tries = 10_000, seed = SEED)
    void oursAndResilience4jAgreeStepByStepUpToTheNamedDifferences(@ForAll("setups") Setup setup,
                                                                   @ForAll("operations") List<Op> ops) {
        Comparison c = new Comparison(setup);
        int compared = c.run(ops);
        Statistics.label("compared to the end").collect(compared == ops.size());
        Statistics.label("reached HALF_OPEN").collect(c.oursStateNumber() >= 2);
        Statistics.label("calls in flight at once").collect(Math.min(c.peakInFlight(), 3));
        Statistics.label("reached HALF_OPEN").coverage(check -> check.check(true).percentage(p -> p >= 25));
        Statistics.label("calls in flight at once").coverage(check -> check.check(3).percentage(p -> p >= 25));
        MIN_PERCENT.forEach((rule, min) -> {
            Statistics.label(rule.name()).collect(c.applied().contains(rule));
            Statistics.label(rule.name()).coverage(check -> check.check(true).percentage(p -> p >= min));
        });
    }
}
