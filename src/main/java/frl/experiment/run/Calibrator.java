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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Measures the running stack's capacity with an open-loop step test, so scenario loads can be
 * fractions of a measured number instead of guesses.
 *
 * <p>Steps at rising Poisson rates ({@code start, start x factor, ...}), each {@code stepSeconds}
 * long, each with its own seed. In each step, goodput = 201s <i>completed</i> in the step's
 * measuring window (after {@code settle}) per second, offered = arrivals scheduled in that window
 * per second. {@link Knee} turns the steps into a capacity. The test stops at the knee, or after
 * {@code maxSteps}. Each step's CPU use is sampled, and if the machine was >= {@value #CPU_BOUND}
 * busy at the knee the result is flagged: then the CPUs, not the simulated payment processor,
 * were the bottleneck, and the lab's capacity model does not hold on this machine.
 *
 * <p>Not thread-safe: one calibration at a time.
 */
public final class Calibrator {
    public static final double DEFAULT_START_RATE = 20;
    public static final int DEFAULT_MAX_STEPS = 12;
    static final double CPU_BOUND = 0.9;

    private final Transport transport;
    private final ClientPolicy policy;
    private final NanoClock clock;
    private final Sleeper sleeper;
    private final CpuSampler cpu;
    private final String keyPrefix;

    public record StepResult(double rate, double offeredPerSecond, double goodputPerSecond, double p99Ms,
                             CpuSampler.Usage cpu) {
    }

    /**
     * @param capacity   what {@link Knee} found (a lower bound when {@code found} is false)
     * @param cpuBound   whether the machine was nearly saturated at the knee
     */
    public record Calibration(String config, double startRate, double factor, int stepSeconds, double tolerance,
                              long seed, List<StepResult> steps, boolean found, double capacity, int kneeIndex,
                              boolean cpuBound) {
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

    public Calibration run(String config, double startRate, double factor, int stepSeconds, int maxSteps,
                           double tolerance, long seed, java.util.function.Consumer<String> log) throws InterruptedException {
        if (!(factor > 1)) {
            throw new IllegalArgumentException("calibration factor must be > 1, was " + factor);
        }
        List<StepResult> results = new ArrayList<>();
        List<Knee.Step> steps = new ArrayList<>();
        double rate = startRate;
        for (int i = 0; i < maxSteps; i++) {
            StepResult r = step(rate, stepSeconds, seed + i, keyPrefix + "-calibrate-" + i);
            results.add(r);
            steps.add(new Knee.Step(r.offeredPerSecond(), r.goodputPerSecond()));
            log.accept(String.format(java.util.Locale.ROOT, "calibration step %d: offered %.1f/s, goodput %.1f/s, p99 %.0f ms, machine CPU %.0f%%",
                    i + 1, r.offeredPerSecond(), r.goodputPerSecond(), r.p99Ms(), 100 * r.cpu().machineBusy()));
            if (!Knee.follows(steps.get(i), tolerance)) {
                break;
            }
            rate *= factor;
        }
        Knee.Result knee = Knee.find(steps, tolerance);
        StepResult atKnee = results.get(knee.found() ? knee.kneeIndex() : results.size() - 1);
        boolean cpuBound = atKnee.cpu().machineBusy() >= CPU_BOUND;
        return new Calibration(config, startRate, factor, stepSeconds, tolerance, seed, List.copyOf(results),
                knee.found(), knee.capacity(), knee.kneeIndex(), cpuBound);
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
}
