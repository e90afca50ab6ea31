package frl.experiment.run;

import frl.experiment.load.ClientPolicy;
import frl.experiment.load.LoadDriver;
import frl.experiment.load.Outcome;
import frl.experiment.load.ResultSink;
import frl.experiment.load.Schedule;
import frl.experiment.load.Timeline;
import frl.experiment.load.Transport;
import frl.experiment.metrics.Knee;
import frl.experiment.metrics.WindowStats;
import frl.experiment.stack.CpuSampler;
import frl.resilience.NanoClock;
import frl.resilience.Sleeper;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Measures the running stack's capacity with an open-loop step test, so scenario loads can be
 * fractions of a measured number instead of guesses; and checks a capacity given instead.
 *
 * <p>A pass: steps at rising Poisson rates ({@code start, start x factor, ...}), each
 * {@code stepSeconds} long, each with its own seed. In each step, goodput = 201s <i>completed</i>
 * in the step's measuring window (after {@code settle}) per second, offered = arrivals scheduled in
 * that window per second. {@link Knee} turns the steps into a capacity; a pass stops at its knee,
 * or after {@code maxSteps}.
 *
 * <p>Several passes, because one is not a measurement: a knee found once on a busy 2-core machine
 * moved from 78 to 27 req/s between two calibrations, with the JIT's state and the neighbours'
 * load, not with the payment processor. The capacity is the median of the passes' capacities and
 * their range is reported as its spread. Between passes the caller settles the stack (the knee
 * step leaves a queue behind).
 *
 * <p>The CPU at the knee decides what the number means. The lab's capacity model says the
 * simulated payment processor is the bottleneck; if the machine was more than {@value #MACHINE_BOUND}
 * busy at the knee (median over passes), the machine, not the processor, set the capacity, and
 * the results say so.
 *
 * <p>Not thread-safe: one calibration at a time.
 */
public final class Calibrator {
    public static final double DEFAULT_START_RATE = 20;
    public static final int DEFAULT_MAX_STEPS = 12;
    /** Above this machine CPU at the knee, the machine set the capacity (EXPERIMENTS.md: check it, do not assume it). */
    public static final double MACHINE_BOUND = 0.7;
    /** A given capacity is checked with one step at this multiple of it (above capacity: goodput then shows capacity). */
    public static final double CHECK_FACTOR = 1.25;
    /** A given capacity that is off by more than this share of itself gets a warning. */
    public static final double CHECK_TOLERANCE = 0.10;
    public static final int CHECK_STEP_SECONDS = 5;

    private final Transport transport;
    private final ClientPolicy policy;
    private final NanoClock clock;
    private final Sleeper sleeper;
    private final CpuSampler cpu;
    private final String keyPrefix;

    public record StepResult(double rate, double offeredPerSecond, double goodputPerSecond, double p99Ms,
                             CpuSampler.Usage cpu) {
    }

    /** One pass of the step test. */
    public record Pass(List<StepResult> steps, boolean found, double capacity, int kneeIndex) {
        /** The machine's CPU at the knee (the last step when no knee was found). */
        public double cpuAtKnee() {
            return steps.get(found ? kneeIndex : steps.size() - 1).cpu().machineBusy();
        }
    }

    /**
     * @param capacity     median of the passes' capacities (a lower bound when {@code found} is false)
     * @param found        every pass found a knee
     * @param low          the lowest pass capacity
     * @param high         the highest
     * @param cpuAtKnee    median machine CPU busy share at the passes' knees
     * @param machineBound {@code cpuAtKnee > MACHINE_BOUND}: the machine set the capacity
     */
    public record Calibration(String config, double startRate, double factor, int stepSeconds, double tolerance,
                              long seed, List<Pass> passes, boolean found, double capacity, double low, double high,
                              double cpuAtKnee, boolean machineBound) {
        /** "78.3 req/s (3 passes: 74.1..80.2, spread 8%; machine CPU at the knee 55%)". */
        public String describe() {
            return String.format(Locale.ROOT, "%.1f req/s (%d passes: %.1f..%.1f, spread %s; machine CPU at the knee %s)",
                    capacity, passes.size(), low, high, capacity > 0 ? String.format(Locale.ROOT, "%.0f%%", 100 * (high - low) / capacity) : "n/a",
                    Double.isNaN(cpuAtKnee) ? "not recorded" : String.format(Locale.ROOT, "%.0f%%", 100 * cpuAtKnee));
        }
    }

    /**
     * A given capacity checked with one step at {@link #CHECK_FACTOR} times it: above capacity,
     * goodput shows what the stack serves now.
     *
     * @param consistent goodput within {@link #CHECK_TOLERANCE} of the given capacity
     * @param message    what to print when it is not
     */
    public record Check(double given, double offeredPerSecond, double goodputPerSecond, double p99Ms,
                        CpuSampler.Usage cpu, boolean consistent, String message) {
    }

    /** What to do between passes: settle the stack (await its queue, reset). */
    @FunctionalInterface
    public interface BetweenPasses {
        void settle() throws IOException, InterruptedException;
    }

    /**
     * @param keyPrefix unique per experiment: Idempotency-Keys must never repeat across experiments,
     *                  or a config that honours them (F) would answer from an earlier experiment's cache
     */
    public Calibrator(Transport transport, ClientPolicy policy, NanoClock clock, Sleeper sleeper, CpuSampler cpu,
                      String keyPrefix) {
        this.keyPrefix = keyPrefix;
        this.transport = transport;
        this.policy = policy;
        this.clock = clock;
        this.sleeper = sleeper;
        this.cpu = cpu;
    }

    public Calibration run(String config, double startRate, double factor, int stepSeconds, int maxSteps, double tolerance,
                           int passes, long seed, Consumer<String> log, BetweenPasses between)
            throws IOException, InterruptedException {
        if (!(factor > 1)) {
            throw new IllegalArgumentException("calibration factor must be > 1, was " + factor);
        }
        if (passes < 1) {
            throw new IllegalArgumentException("calibration needs at least one pass, was " + passes);
        }
        List<Pass> done = new ArrayList<>();
        for (int p = 0; p < passes; p++) {
            if (p > 0) {
                between.settle();
            }
            done.add(pass(p, startRate, factor, stepSeconds, maxSteps, tolerance, seed, log));
        }
        double[] capacities = done.stream().mapToDouble(Pass::capacity).sorted().toArray();
        double[] cpus = done.stream().mapToDouble(Pass::cpuAtKnee).filter(v -> !Double.isNaN(v)).sorted().toArray();
        double cpuAtKnee = cpus.length == 0 ? Double.NaN : median(cpus);
        return new Calibration(config, startRate, factor, stepSeconds, tolerance, seed, List.copyOf(done),
                done.stream().allMatch(Pass::found), median(capacities), capacities[0], capacities[capacities.length - 1],
                cpuAtKnee, cpuAtKnee > MACHINE_BOUND);
    }

    private Pass pass(int p, double startRate, double factor, int stepSeconds, int maxSteps, double tolerance, long seed,
                      Consumer<String> log) throws InterruptedException {
        List<StepResult> results = new ArrayList<>();
        List<Knee.Step> steps = new ArrayList<>();
        double rate = startRate;
        for (int i = 0; i < maxSteps; i++) {
            StepResult r = step(rate, stepSeconds, seed + 1000L * p + i, keyPrefix + "-calibrate-" + p + "-" + i);
            results.add(r);
            steps.add(new Knee.Step(r.offeredPerSecond(), r.goodputPerSecond()));
            log.accept(String.format(Locale.ROOT, "calibration pass %d step %d: offered %.1f/s, goodput %.1f/s, p99 %.0f ms, machine CPU %.0f%%",
                    p + 1, i + 1, r.offeredPerSecond(), r.goodputPerSecond(), r.p99Ms(), 100 * r.cpu().machineBusy()));
            if (!Knee.follows(steps.get(i), tolerance)) {
                break;
            }
            rate *= factor;
        }
        Knee.Result knee = Knee.find(steps, tolerance);
        return new Pass(List.copyOf(results), knee.found(), knee.capacity(), knee.kneeIndex());
    }

    /** One short step at {@link #CHECK_FACTOR} x {@code given}: is the given capacity what the stack serves? */
    public Check check(double given, long seed) throws InterruptedException {
        StepResult r = step(given * CHECK_FACTOR, CHECK_STEP_SECONDS, seed, keyPrefix + "-capacity-check");
        double g = r.goodputPerSecond();
        boolean consistent = Math.abs(g - given) <= CHECK_TOLERANCE * given;
        String message = consistent ? String.format(Locale.ROOT, "CAPACITY=%.1f confirmed: a %d s step at %.1f/s was served at %.1f/s",
                given, CHECK_STEP_SECONDS, r.offeredPerSecond(), g)
                : g < given ? String.format(Locale.ROOT, "warning: CAPACITY=%.1f looks too high: a %d s step at %.1f/s was served at only %.1f/s"
                + " (%.0f%% off); loads will be above their nominal fractions", given, CHECK_STEP_SECONDS, r.offeredPerSecond(), g,
                100 * (given - g) / given)
                : String.format(Locale.ROOT, "warning: CAPACITY=%.1f looks too low: a %d s step at %.1f/s was served at %.1f/s"
                + " (capacity is at least that); loads will be below their nominal fractions", given, CHECK_STEP_SECONDS,
                r.offeredPerSecond(), g);
        return new Check(given, r.offeredPerSecond(), g, r.p99Ms(), r.cpu(), consistent, message);
    }

    private StepResult step(double rate, int stepSeconds, long seed, String stepKeys) throws InterruptedException {
        Schedule schedule = Schedule.poisson(rate, Duration.ofSeconds(stepSeconds), seed);
        long settle = Math.min(1_000_000_000L, stepSeconds * 250_000_000L);
        long end = stepSeconds * 1_000_000_000L;
        LongAdder completedOk = new LongAdder();
        Timeline timeline = new Timeline(schedule);
        ResultSink throughput = r -> {
            long done = r.intendedNanos() + r.latencyNanos();
            if (r.outcome() == Outcome.SUCCESS && done >= settle && done < end) {
                completedOk.increment();
            }
        };
        CpuSampler.Sample before = cpu.sample();
        new LoadDriver(schedule, transport, policy, clock, sleeper, LoadDriver.VIRTUAL_THREADS, stepKeys)
                .run(ResultSink.all(timeline, throughput));
        CpuSampler.Usage usage = cpu.between(before, cpu.sample());
        double window = (end - settle) / 1e9;
        WindowStats all = WindowStats.of(timeline.snapshot(), 0, schedule.seconds());
        return new StepResult(rate, schedule.countBetween(settle, end) / window, completedOk.sum() / window,
                all.p99Ms(), usage);
    }

    /** Median of sorted values (mean of the middle two for an even count). */
    static double median(double[] sorted) {
        double[] s = sorted.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
