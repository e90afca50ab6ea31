package frl.resilience.breaker;

import frl.resilience.breaker.CircuitBreakerConfig.WindowType;
import frl.testing.FakeClock;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Our breaker against Resilience4j 2.3.0 (test scope only), fed the same outcomes on the same
 * fake clock, compared after every step: same permission answer, same state.
 *
 * <p>Only where the two configurations mean the same thing:
 * <ul>
 * <li>the rate rule only (our count rule, "5 failures", has no Resilience4j twin): failure rate
 *     &gt;= p% once the window holds at least m calls, over a count- or time-based window;
 * <li>one half-open probe: with more, Resilience4j waits for all of them and then compares their
 *     failure rate with p, where ours re-opens at the first failure;
 * <li>no slow calls (Resilience4j judges them by a separate slow-call rate);
 * <li>the open duration: ours lets the first request at exactly {@code openDuration} probe,
 *     Resilience4j only strictly after it. Steps move the clock in whole milliseconds and our
 *     open duration is half a millisecond longer, so no step lands where the two legitimately differ.
 * </ul>
 * Steps: 'S' a successful call, 'F' a failed call, a number: that many milliseconds pass.
 */
class Resilience4jCrossCheckTest {

    static final Duration OPEN = Duration.ofSeconds(10);
    /** Fixed, so the suite is deterministic; change it (or drop it) to explore other sequences. */
    static final String SEED = "20251126";

    /** Resilience4j reads a java.time.Clock; this one shows the fake monotonic clock as an instant. */
    static final class InstantView extends Clock {
        private final FakeClock fake;

        InstantView(FakeClock fake) {
            this.fake = fake;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(0, fake.nanoTime());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    static void crossCheck(List<String> steps, WindowType type, int size, int percent, int minimum) {
        FakeClock clock = new FakeClock();
        CircuitBreaker ours = new CircuitBreaker("ours",
                new CircuitBreakerConfig(type, size, 0, percent, minimum, null, OPEN.plusNanos(500_000), 1), clock);
        io.github.resilience4j.circuitbreaker.CircuitBreaker theirs = io.github.resilience4j.circuitbreaker.CircuitBreaker.of("theirs",
                io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
                        .slidingWindowType(type == WindowType.COUNT_BASED ? SlidingWindowType.COUNT_BASED : SlidingWindowType.TIME_BASED)
                        .slidingWindowSize(size)
                        .minimumNumberOfCalls(minimum)
                        .failureRateThreshold(percent)
                        .permittedNumberOfCallsInHalfOpenState(1)
                        .waitDurationInOpenState(OPEN)
                        .automaticTransitionFromOpenToHalfOpenEnabled(false)
                        .clock(new InstantView(clock))
                        .build());
        for (int i = 0; i < steps.size(); i++) {
            String step = steps.get(i);
            String where = "step " + i + " (" + step + ") of " + steps;
            if (step.equals("S") || step.equals("F")) {
                long ticket = ours.tryAcquirePermission();
                boolean permitted = ticket != CircuitBreaker.REFUSED;
                assertEquals(theirs.tryAcquirePermission(), permitted, "permission at " + where);
                if (permitted && step.equals("S")) {
                    ours.onSuccess(ticket, 0);
                    theirs.onSuccess(0, TimeUnit.NANOSECONDS);
                } else if (permitted) {
                    ours.onFailure(ticket);
                    theirs.onError(0, TimeUnit.NANOSECONDS, new IOException("injected"));
                }
            } else {
                clock.advanceMillis(Long.parseLong(step));
            }
            assertEquals(theirs.getState().name(), ours.state().name(), "state after " + where);
        }
    }

    @ParameterizedTest(name = "{1} window {2}, {3}% after {4}: {0}")
    @CsvSource({
            // trips at exactly the rate, once the minimum is reached
            "'S F S F',                                  COUNT_BASED, 4,  50, 4",
            "'F F F S S S S',                            COUNT_BASED, 10, 50, 5",
            // open, refuse, probe after the open duration, fail the probe, probe again, close
            "'F F 5000 S 5001 F 10001 S S F',            COUNT_BASED, 2,  50, 2",
            "'F F 10000 S 1 S S F F',                    COUNT_BASED, 2,  100, 2",
            // old calls leave the count window
            "'F S S S F S S S F F',                      COUNT_BASED, 4,  75, 4",
            // the time window forgets by age
            "'F F 999 F 1 S 3000 F F 7000 F S S F',      TIME_BASED,  3,  60, 3",
            "'F 1500 F 1500 F 1500 F',                   TIME_BASED,  2,  100, 2"})
    void handWrittenSequences(String steps, WindowType type, int size, int percent, int minimum) {
        crossCheck(List.of(steps.trim().split("\\s+")), type, size, percent, minimum);
    }

    @Provide
    Arbitrary<List<String>> steps() {
        Arbitrary<String> step = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.just("S")),
                Tuple.of(4, Arbitraries.just("F")),
                Tuple.of(2, Arbitraries.longs().between(0, 12_000).map(String::valueOf)));
        return step.list().ofMinSize(1).ofMaxSize(120);
    }

    @Property(seed = SEED, tries = 300)
    void randomSequencesOnACountWindow(@ForAll("steps") List<String> steps,
                                       @ForAll @IntRange(min = 1, max = 12) int size,
                                       @ForAll @IntRange(min = 1, max = 100) int percent,
                                       @ForAll @IntRange(min = 1, max = 12) int minimum) {
        crossCheck(steps, WindowType.COUNT_BASED, size, percent, Math.min(minimum, size));
    }

    @Property(seed = SEED, tries = 300)
    void randomSequencesOnATimeWindow(@ForAll("steps") List<String> steps,
                                      @ForAll @IntRange(min = 1, max = 12) int seconds,
                                      @ForAll @IntRange(min = 1, max = 100) int percent,
                                      @ForAll @IntRange(min = 1, max = 12) int minimum) {
        crossCheck(steps, WindowType.TIME_BASED, seconds, percent, minimum);
    }
}
