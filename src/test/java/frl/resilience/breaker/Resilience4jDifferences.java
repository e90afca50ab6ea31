package frl.resilience.breaker;

import frl.resilience.breaker.CircuitBreakerConfig.WindowType;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;

import java.time.Clock;
import java.time.Duration;

/**
 * Every known difference between our breaker and Resilience4j 2.4.0's, each encoded once, here, as
 * a named rule: how {@link Resilience4jCrossCheckTest} adjusts for it, or where it stops comparing.
 * Nothing else in the comparison knows about a difference, so one not listed here fails the test
 * with a shrunk sequence. docs/architecture.md, "Our circuit breaker and Resilience4j's" is this file as a table.
 *
 * <p>A rule applies only where its difference can show, and checks that Resilience4j did what its
 * own documented rule says, so a rule cannot hide a bug on either side.
 */
enum Resilience4jDifferences {

    /**
     * Ours also trips on a plain count of failures in the window ({@code failureThreshold});
     * Resilience4j has rates only. Adjusted: the comparison turns our count rule off.
     */
    COUNT_RULE,

    /**
     * A count window's {@code minimumCalls} above its size: ours refuses the configuration (the
     * minimum could never be met), Resilience4j silently uses the window size instead (but the raw
     * value in HALF_OPEN). Adjusted: ours is given the window size, Resilience4j the raw value.
     */
    MINIMUM_ABOVE_WINDOW,

    /**
     * Ours lets a probe go at exactly {@code openDuration} after the trip; Resilience4j only
     * strictly after ({@code Instant.isAfter}). On a nanosecond clock "strictly after T" is "at
     * T + 1 ns", so adjusted: ours is given Resilience4j's open duration plus 1 ns, and the two
     * must then agree to the nanosecond (the generator waits to the boundary, 1 ns either side).
     */
    PROBE_AT_OPEN_DURATION,

    /**
     * A slow success is a failure to ours; Resilience4j keeps a separate slow-call rate with its
     * own threshold. Adjusted: Resilience4j's slow-call rule is off (no call is slow to it) and a
     * success ours finds slow is handed to it as an error.
     */
    SLOW_SUCCESS,

    /**
     * An outcome or release of a call admitted by an earlier state is ignored by ours (its ticket
     * is stale). Resilience4j records it in whatever state it is in now: in a new CLOSED window,
     * as a probe's result in HALF_OPEN, and a release in HALF_OPEN hands out one more probe than
     * permitted. Adjusted: such outcomes and releases are not passed to Resilience4j.
     */
    LATE_OUTCOME,

    /**
     * In HALF_OPEN ours re-opens at the first failed probe. Resilience4j waits for
     * {@code min(minimumCalls, permitted)} probe results and then re-opens only if their failure
     * rate reaches the threshold, closing otherwise. Adjusted: when ours re-opens and Resilience4j
     * has not (still waiting, or closed by its rate), Resilience4j is moved to OPEN at that instant.
     * If it had closed, its OPEN carries its fresh CLOSED window, not the probes: the counts are
     * not compared until the next transition.
     */
    FIRST_FAILED_PROBE_REOPENS,

    /**
     * Ours closes only when all {@code permitted} probes have succeeded; Resilience4j closes after
     * {@code min(minimumCalls, permitted)} results below the rate. When Resilience4j closes while
     * ours still waits for probes, the two have parted by design and the rest of the sequence is
     * not compared (Resilience4j cannot be put back into a half-open state with probes out).
     */
    ALL_PROBES_MUST_SUCCEED,

    /**
     * Ours shows, while OPEN, the counts that tripped it. Resilience4j keeps the window it tripped
     * with, and a time-based one goes on sliding, so its counts fade while OPEN. Adjusted: the
     * counts of an OPEN breaker tripped by a time window are not compared.
     */
    OPEN_KEEPS_TRIPPING_COUNTS;

    /** Resilience4j never calls a call of this length slow: longer than any the generator makes. */
    static final Duration NEVER_SLOW = Duration.ofDays(1);

    /** The lab's breaker for a shared setup, as the rules above adjust it. */
    static CircuitBreakerConfig ours(Comparison.Setup s) {
        int minimum = s.type() == WindowType.COUNT_BASED ? Math.min(s.minimum(), s.size()) : s.minimum(); // MINIMUM_ABOVE_WINDOW
        return new CircuitBreakerConfig(s.type(), s.size(), 0 /* COUNT_RULE */, s.percent(), minimum,
                s.slowMillis() == 0 ? null : Duration.ofMillis(s.slowMillis()),
                Duration.ofMillis(s.openMillis()).plusNanos(1) /* PROBE_AT_OPEN_DURATION */, s.probes());
    }

    /** Resilience4j's breaker for the same setup. */
    static io.github.resilience4j.circuitbreaker.CircuitBreakerConfig theirs(Comparison.Setup s, Clock clock) {
        return io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
                .slidingWindowType(s.type() == WindowType.COUNT_BASED ? SlidingWindowType.COUNT_BASED : SlidingWindowType.TIME_BASED)
                .slidingWindowSize(s.size())
                .minimumNumberOfCalls(s.minimum())
                .failureRateThreshold(s.percent())
                .slowCallDurationThreshold(NEVER_SLOW)     // SLOW_SUCCESS
                .slowCallRateThreshold(100)
                .waitDurationInOpenState(Duration.ofMillis(s.openMillis()))
                .permittedNumberOfCallsInHalfOpenState(s.probes())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .clock(clock)
                .build();
    }

    /** LATE_OUTCOME: whether an outcome or release of {@code call} is passed to Resilience4j. */
    static boolean passOn(Comparison c, Comparison.Call call) {
        if (call.state() == c.oursStateNumber()) {
            return true;
        }
        c.applied(LATE_OUTCOME);
        return false;
    }

    /** SLOW_SUCCESS: whether Resilience4j is to hear of a success ours judged by {@code durationNanos} as an error. */
    static boolean successIsAnError(Comparison c, long durationNanos) {
        if (!c.oursConfig().isSlow(durationNanos)) {
            return false;
        }
        c.applied(SLOW_SUCCESS);
        return true;
    }

    /**
     * The states differ after a step: explains the difference by FIRST_FAILED_PROBE_REOPENS (and
     * adjusts) or ALL_PROBES_MUST_SUCCEED (and returns false: stop comparing), or fails.
     */
    static boolean explainStates(Comparison c, String oursBefore, String theirsBefore, boolean probeResult) {
        String ours = c.ours().state().name(), theirs = c.theirs().getState().name();
        String unexplained = "unexplained difference: ours " + ours + ", Resilience4j " + theirs;
        if (!probeResult || !oursBefore.equals("HALF_OPEN") || !theirsBefore.equals("HALF_OPEN")) {
            throw new AssertionError(unexplained + ", not after a probe's result in HALF_OPEN");
        }
        String theirVerdict = theirHalfOpenVerdict(c.setup(), c.probeResults(), c.probeFailures());
        if (!theirs.equals(theirVerdict)) {
            throw new AssertionError(unexplained + "; Resilience4j's own rule says " + theirVerdict + " after "
                    + c.probeResults() + " probe results with " + c.probeFailures() + " failures");
        }
        if (ours.equals("OPEN") && c.probeFailures() > 0) {
            c.applied(FIRST_FAILED_PROBE_REOPENS);
            c.theirs().transitionToOpenState();
            if (theirs.equals("CLOSED")) {
                c.partCounts();
            }
            return true;
        }
        if (ours.equals("HALF_OPEN") && theirs.equals("CLOSED") && c.probeFailures() == 0) {
            c.applied(ALL_PROBES_MUST_SUCCEED);
            return false;
        }
        throw new AssertionError(unexplained + " after " + c.probeResults() + " probe results with "
                + c.probeFailures() + " failures");
    }

    /** OPEN_KEEPS_TRIPPING_COUNTS (and FIRST_FAILED_PROBE_REOPENS): whether the counts can be compared now. */
    static boolean countsComparable(Comparison c) {
        if (c.countsParted()) {
            return false;
        }
        if (c.ours().state() == CircuitBreaker.State.OPEN && c.setup().type() == WindowType.TIME_BASED
                && c.openedFromClosed()) {
            c.applied(OPEN_KEEPS_TRIPPING_COUNTS);
            return false;
        }
        return true;
    }

    /**
     * What Resilience4j's documented half-open rule says after {@code results} probe results, of
     * which {@code failures} failed: wait for {@code min(minimumCalls, permitted)}, then compare
     * the failure rate with the threshold (exactly: R4j's float rate is exact at the threshold).
     */
    static String theirHalfOpenVerdict(Comparison.Setup s, int results, int failures) {
        if (results < Math.min(s.minimum(), s.probes())) {
            return "HALF_OPEN";
        }
        return failures * 100L >= (long) s.percent() * results ? "OPEN" : "CLOSED";
    }
}
