package frl.resilience.breaker;

import java.time.Duration;
import java.util.Objects;

/**
 * The knobs of a {@link CircuitBreaker}, with the defaults the lab runs (configurations D, E, F)
 * and what goes wrong when each is set badly. The lab's configuration table starts from
 * {@link #defaults()}, so these constants are the one place its numbers are written.
 *
 * <ul>
 * <li>{@code windowType}, {@code windowSize}: {@link #DEFAULT_WINDOW_TYPE} TIME_BASED over the last
 *     {@link #DEFAULT_WINDOW_SIZE} 10 seconds (COUNT_BASED: the last N calls). Too small: a few
 *     unlucky calls trip it. Too large: slow to notice an outage, and slow to forget one. A count
 *     window forgets at the speed of traffic (20 calls are a few milliseconds at full load and an
 *     hour at night); a time window forgets at the speed of the clock, which is what an operator means.
 * <li>{@code failureRatePercent}, {@code minimumCalls}: {@link #DEFAULT_FAILURE_RATE_PERCENT} 50%
 *     failures trip it, judged only once {@link #DEFAULT_MINIMUM_CALLS} 20 calls are in the window;
 *     0 turns this rule off. Without a minimum, the first call failing is a 100% failure rate.
 * <li>{@code failureThreshold}: {@link #DEFAULT_FAILURE_THRESHOLD} 0, off. The spec's
 *     {@code threshold=5} is this knob set to {@link #SPEC_FAILURE_THRESHOLD} 5: five failures in
 *     the window trip it, however many calls succeeded. Too low for any real traffic: under a steady
 *     20% error rate at 80 calls/s, five failures arrive in about 0.3 s, so the breaker opens while
 *     four calls in five still succeed. The rate rule asks the question that matters ("is this
 *     downstream mostly failing?"); the count rule is kept so the two can be compared.
 * <li>{@code slowCallThreshold}: a call that succeeds but takes longer than this counts as a
 *     failure; null (the default) is off. Too low: normal latency trips it. Slowness is often the
 *     first symptom of overload, before any error.
 * <li>{@code openDuration}: {@link #DEFAULT_OPEN_DURATION} 30 s (the spec's {@code open=30s}).
 *     Too short: a sick service is probed again and again. Too long: a recovered service stays
 *     cut off (recovery time is at least this).
 * <li>{@code permittedHalfOpenCalls}: {@link #DEFAULT_PERMITTED_HALF_OPEN_CALLS} 3 probes, all of
 *     which must succeed to close. Too many: a burst onto a service that has barely recovered.
 *     One: a single unlucky probe buys another full open duration.
 * </ul>
 *
 * <p>The trip rule itself, {@link #trips}, is a pure function of the window's totals.
 * Immutable and thread-safe.
 */
public record CircuitBreakerConfig(WindowType windowType, int windowSize, int failureThreshold,
                                   int failureRatePercent, int minimumCalls, Duration slowCallThreshold,
                                   Duration openDuration, int permittedHalfOpenCalls) {

    public enum WindowType { COUNT_BASED, TIME_BASED }

    public static final WindowType DEFAULT_WINDOW_TYPE = WindowType.TIME_BASED;
    /** Seconds for a TIME_BASED window, calls for a COUNT_BASED one. */
    public static final int DEFAULT_WINDOW_SIZE = 10;
    public static final int DEFAULT_FAILURE_THRESHOLD = 0;
    /** The spec's {@code threshold=5}: a knob the lab offers ({@code LAB_BREAKER_FAILURE_THRESHOLD}), off by default. */
    public static final int SPEC_FAILURE_THRESHOLD = 5;
    public static final int DEFAULT_FAILURE_RATE_PERCENT = 50;
    public static final int DEFAULT_MINIMUM_CALLS = 20;
    public static final Duration DEFAULT_OPEN_DURATION = Duration.ofSeconds(30);
    public static final int DEFAULT_PERMITTED_HALF_OPEN_CALLS = 3;

    public CircuitBreakerConfig {
        Objects.requireNonNull(windowType, "windowType");
        Objects.requireNonNull(openDuration, "openDuration");
        boolean countBased = windowType == WindowType.COUNT_BASED;
        if (windowSize < 1) {
            throw new IllegalArgumentException("windowSize must be at least 1, was " + windowSize);
        }
        if (failureThreshold < 0 || (countBased && failureThreshold > windowSize)) {
            throw new IllegalArgumentException("failureThreshold must lie in [0 (off), " + (countBased ? windowSize
                    + " = windowSize" : "any") + "], was " + failureThreshold);
        }
        if (failureRatePercent < 0 || failureRatePercent > 100) {
            throw new IllegalArgumentException("failureRatePercent must lie in [0 (off), 100], was " + failureRatePercent);
        }
        if (failureThreshold == 0 && failureRatePercent == 0) {
            throw new IllegalArgumentException("failureThreshold and failureRatePercent are both 0: nothing could trip the breaker");
        }
        if (minimumCalls < 1 || (countBased && minimumCalls > windowSize)) {
            throw new IllegalArgumentException("minimumCalls must lie in [1, " + (countBased ? windowSize
                    + " = windowSize" : "any") + "], was " + minimumCalls);
        }
        if (slowCallThreshold != null && !slowCallThreshold.isPositive()) {
            throw new IllegalArgumentException("slowCallThreshold must be positive or null (off), was " + slowCallThreshold);
        }
        if (!openDuration.isPositive()) {
            throw new IllegalArgumentException("openDuration must be positive, was " + openDuration);
        }
        if (permittedHalfOpenCalls < 1) {
            throw new IllegalArgumentException("permittedHalfOpenCalls must be at least 1, was " + permittedHalfOpenCalls);
        }
    }

    public static CircuitBreakerConfig defaults() {
        return new CircuitBreakerConfig(DEFAULT_WINDOW_TYPE, DEFAULT_WINDOW_SIZE, DEFAULT_FAILURE_THRESHOLD,
                DEFAULT_FAILURE_RATE_PERCENT, DEFAULT_MINIMUM_CALLS, null, DEFAULT_OPEN_DURATION,
                DEFAULT_PERMITTED_HALF_OPEN_CALLS);
    }

    /**
     * A new window. For a COUNT_BASED window of N calls, minimumCalls is lowered to N if above it (the
     * window never holds more); a TIME_BASED size is seconds, which say nothing about how many calls
     * fit, so minimumCalls stays.
     */
    public CircuitBreakerConfig withWindow(WindowType type, int size) {
        int minimum = type == WindowType.COUNT_BASED ? Math.min(minimumCalls, size) : minimumCalls;
        return new CircuitBreakerConfig(type, size, failureThreshold, failureRatePercent, minimum,
                slowCallThreshold, openDuration, permittedHalfOpenCalls);
    }

    /** {@code threshold} failures within the window trip it; 0 is off. */
    public CircuitBreakerConfig withFailureThreshold(int threshold) {
        return new CircuitBreakerConfig(windowType, windowSize, threshold, failureRatePercent, minimumCalls,
                slowCallThreshold, openDuration, permittedHalfOpenCalls);
    }

    /** A failure rate of {@code percent} or more trips it, once {@code minimum} calls are in the window; 0 is off. */
    public CircuitBreakerConfig withFailureRate(int percent, int minimum) {
        return new CircuitBreakerConfig(windowType, windowSize, failureThreshold, percent, minimum,
                slowCallThreshold, openDuration, permittedHalfOpenCalls);
    }

    public CircuitBreakerConfig withSlowCallThreshold(Duration threshold) {
        return new CircuitBreakerConfig(windowType, windowSize, failureThreshold, failureRatePercent, minimumCalls,
                threshold, openDuration, permittedHalfOpenCalls);
    }

    public CircuitBreakerConfig withOpenDuration(Duration duration) {
        return new CircuitBreakerConfig(windowType, windowSize, failureThreshold, failureRatePercent, minimumCalls,
                slowCallThreshold, duration, permittedHalfOpenCalls);
    }

    public CircuitBreakerConfig withPermittedHalfOpenCalls(int probes) {
        return new CircuitBreakerConfig(windowType, windowSize, failureThreshold, failureRatePercent, minimumCalls,
                slowCallThreshold, openDuration, probes);
    }

    /** The trip rule: failures &gt;= threshold, or (calls &gt;= minimum and failure rate &gt;= percent). */
    public boolean trips(RollingWindow.Totals window) {
        boolean byCount = failureThreshold > 0 && window.failures() >= failureThreshold;
        boolean byRate = failureRatePercent > 0 && window.calls() >= minimumCalls
                && window.failures() * 100L >= (long) failureRatePercent * window.calls(); // exact, no rounding
        return byCount || byRate;
    }

    /** Whether a call that took {@code durationNanos} counts as a failure however it ended. */
    public boolean isSlow(long durationNanos) {
        return slowCallThreshold != null && durationNanos > slowCallThreshold.toNanos();
    }
}
