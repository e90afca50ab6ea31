package frl.bench;

import frl.resilience.Backoff;
import frl.resilience.Bulkhead;
import frl.resilience.NanoClock;
import frl.resilience.compose.Resilience;
import frl.resilience.retry.Retry;
import frl.resilience.Sleeper;
import frl.resilience.retry.Verdict;
import frl.resilience.breaker.CircuitBreaker;
import frl.resilience.breaker.CircuitBreakerConfig;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.retry.RetryConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The success path of each pattern, ours beside Resilience4j's, in one JMH run on one JVM: what a
 * call pays for being protected when nothing is wrong, which is almost every call.
 *
 * <p>Each pair is configured alike: a count window of 100 calls for the breakers, 3 attempts
 * with a 100 ms backoff for the retries (the first attempt succeeds, so nobody waits), 20 slots
 * that never wait for the bulkheads, and the composition outermost first,
 * {@code Retry(CircuitBreaker(Bulkhead(call)))}. Resilience4j's decorated callable is built once,
 * as its users do; ours goes through {@link Resilience#call} per call, as the services do. The
 * protected call returns a constant, so what is measured is the pattern, not the work. Both use
 * the real clock ({@code System.nanoTime()}): clock reads are part of a pattern's cost.
 *
 * <p>{@code shared*} runs two threads on one instance: the contention a service's breaker sees.
 * Run with {@code make bench-patterns} (adds {@code -prof gc} for bytes allocated per call).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xmx512m"})
public class PatternBenchmarks {
    private static final String RESULT = "ok";
    private static final Callable<String> CALL = () -> RESULT;
    private static final Predicate<String> NEVER_FAILS = r -> false;
    private static final Function<String, Verdict> SUCCEEDED = r -> Verdict.SUCCESS;
    private static final Resilience.Attempt<String> ATTEMPT = timeout -> RESULT;

    private CircuitBreaker ourBreaker;
    private Retry ourRetry;
    private Bulkhead ourBulkhead;
    private Resilience ourStack;

    private io.github.resilience4j.circuitbreaker.CircuitBreaker r4jBreaker;
    private io.github.resilience4j.retry.Retry r4jRetry;
    private io.github.resilience4j.bulkhead.Bulkhead r4jBulkhead;
    private Callable<String> r4jStack;

    @Setup
    public void setUp() {
        NanoClock clock = NanoClock.system();
        CircuitBreakerConfig breakerConfig = CircuitBreakerConfig.defaults()
                .withWindow(CircuitBreakerConfig.WindowType.COUNT_BASED, 100);
        ourBreaker = new CircuitBreaker("bench", breakerConfig, clock);
        ourRetry = new Retry(Retry.Policy.of(3, Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(2),
                Backoff.Jitter.FULL)), clock, Sleeper.system(), () -> 0.5, null);
        ourBulkhead = new Bulkhead("bench", Bulkhead.Config.of(20));
        ourStack = Resilience.none(clock)
                .withRetry(new Retry(ourRetry.policy(), clock, Sleeper.system(), () -> 0.5, null))
                .withBreaker(new CircuitBreaker("bench-stack", breakerConfig, clock))
                .withBulkhead(new Bulkhead("bench-stack", Bulkhead.Config.of(20)));

        var r4jBreakerConfig = io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
                .slidingWindowType(SlidingWindowType.COUNT_BASED).slidingWindowSize(100).build();
        var r4jRetryConfig = RetryConfig.custom().maxAttempts(3).waitDuration(Duration.ofMillis(100)).build();
        var r4jBulkheadConfig = BulkheadConfig.custom().maxConcurrentCalls(20).maxWaitDuration(Duration.ZERO).build();
        r4jBreaker = io.github.resilience4j.circuitbreaker.CircuitBreaker.of("bench", r4jBreakerConfig);
        r4jRetry = io.github.resilience4j.retry.Retry.of("bench", r4jRetryConfig);
        r4jBulkhead = io.github.resilience4j.bulkhead.Bulkhead.of("bench", r4jBulkheadConfig);
        r4jStack = io.github.resilience4j.retry.Retry.decorateCallable(
                io.github.resilience4j.retry.Retry.of("bench-stack", r4jRetryConfig),
                io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateCallable(
                        io.github.resilience4j.circuitbreaker.CircuitBreaker.of("bench-stack", r4jBreakerConfig),
                        io.github.resilience4j.bulkhead.Bulkhead.decorateCallable(
                                io.github.resilience4j.bulkhead.Bulkhead.of("bench-stack", r4jBulkheadConfig), CALL)));
    }

    @Benchmark
    public String breakerOurs() throws Exception {
        return ourBreaker.execute(CALL, NEVER_FAILS);
    }

    @Benchmark
    public String breakerR4j() throws Exception {
        return r4jBreaker.executeCallable(CALL);
    }

    @Benchmark
    @Threads(2)
    public String sharedBreakerOurs() throws Exception {
        return ourBreaker.execute(CALL, NEVER_FAILS);
    }

    @Benchmark
    @Threads(2)
    public String sharedBreakerR4j() throws Exception {
        return r4jBreaker.executeCallable(CALL);
    }

    @Benchmark
    public String retryOurs() throws Exception {
        return ourRetry.call(null, CALL, SUCCEEDED);
    }

    @Benchmark
    public String retryR4j() throws Exception {
        return r4jRetry.executeCallable(CALL);
    }

    @Benchmark
    public String bulkheadOurs() throws Exception {
        return ourBulkhead.execute(CALL);
    }

    @Benchmark
    public String bulkheadR4j() throws Exception {
        return r4jBulkhead.executeCallable(CALL);
    }

    @Benchmark
    public String composedOurs() throws Exception {
        return ourStack.call(null, ATTEMPT, SUCCEEDED);
    }

    @Benchmark
    public String composedR4j() throws Exception {
        return r4jStack.call();
    }
}
