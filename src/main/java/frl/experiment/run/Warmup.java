package frl.experiment.run;

import frl.experiment.load.ClientPolicy;
import frl.experiment.load.LoadDriver;
import frl.experiment.load.Schedule;
import frl.experiment.load.Timeline;
import frl.experiment.load.Transport;
import frl.experiment.metrics.WarmupGate;
import frl.experiment.metrics.WarmupOutcome;
import frl.resilience.NanoClock;
import frl.resilience.Sleeper;

import java.time.Duration;
import java.util.function.DoubleConsumer;

/**
 * The adaptive warm-up before a run (or before a stack is declared up): open-model load at the
 * run's rate until {@link WarmupGate} says the stack is warm, or until a bound.
 *
 * <p>Once a second the gate judges the warm-up's finished seconds. When it passes, the driver stops
 * dispatching and {@link #run} returns at once, so the measured schedule can start while the last
 * warm-up requests are still answered: the stack never sees a gap in load between warm-up and
 * measurement (a gap would let it cool and its queues empty, which is not the state being
 * measured). Those last requests are not counted anywhere; {@link Running#awaitInFlight} waits for them.
 *
 * <p>Not thread-safe: one warm-up at a time.
 */
public final class Warmup {
    private final Transport transport;
    private final ClientPolicy policy;
    private final NanoClock clock;
    private final Sleeper sleeper;
    private final WarmupGate gate;

    /** A warm-up whose verdict is in and whose last requests may still be in flight. */
    public record Running(WarmupOutcome outcome, Thread load) {
        public void awaitInFlight() throws InterruptedException {
            load.join();
        }
    }

    public Warmup(Transport transport, ClientPolicy policy, NanoClock clock, Sleeper sleeper, WarmupGate gate) {
        this.transport = transport;
        this.policy = policy;
        this.clock = clock;
        this.sleeper = sleeper;
        this.gate = gate;
    }

    /**
     * @param rate         arrivals per second
     * @param boundSeconds the longest it may last (the schedule's length)
     * @param seed         the schedule's seed
     * @param keyPrefix    Idempotency-Key prefix, unique per warm-up
     * @param elapsed      told the elapsed seconds once a second (progress)
     */
    public Running run(double rate, int boundSeconds, long seed, String keyPrefix, DoubleConsumer elapsed)
            throws InterruptedException {
        Schedule schedule = Schedule.poisson(rate, Duration.ofSeconds(boundSeconds), seed);
        Timeline timeline = new Timeline(schedule);
        LoadDriver driver = new LoadDriver(schedule, transport, policy, clock, sleeper, LoadDriver.VIRTUAL_THREADS, keyPrefix);
        long start = clock.nanoTime();
        Thread load = Thread.ofPlatform().name("warmup-dispatch").start(() -> {
            try {
                driver.run(timeline, start);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        WarmupGate.Verdict verdict = gate.check(timeline.snapshot());
        // Judge each second while arrivals are being sent; after the last one, wait for the
        // stragglers to finish (up to the client's worst case) so the final verdict sees them.
        long stopJudging = start + boundSeconds * 1_000_000_000L + policy.worstCase().toNanos();
        for (int k = 1; clock.nanoTime() < stopJudging; k++) {
            long left = start + k * 1_000_000_000L - clock.nanoTime();
            if (left > 0) {
                sleeper.sleep(Duration.ofNanos(left));
            }
            elapsed.accept((clock.nanoTime() - start) / 1e9);
            verdict = gate.check(timeline.snapshot());
            if (verdict.warm()) {
                driver.stop();
                break;
            }
            if (!load.isAlive() && verdict.finishedSeconds() >= schedule.seconds()) {
                break;
            }
        }
        double seconds = Math.min(boundSeconds, (clock.nanoTime() - start) / 1e9);
        return new Running(new WarmupOutcome(seconds, verdict.warm(), boundSeconds, verdict.detail()), load);
    }
}
