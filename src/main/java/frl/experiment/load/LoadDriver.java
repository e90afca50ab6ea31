package frl.experiment.load;

import frl.resilience.NanoClock;
import frl.resilience.Sleeper;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;

/**
 * The open-model load driver: sends every arrival of a {@link Schedule} at its intended time, each
 * on its own (virtual) thread, and reports each arrival's fate to a {@link ResultSink}.
 *
 * <p>What it measures and why. Success over scheduled arrivals and latency from the intended send
 * time, so neither a slow server nor a lagging driver can hide requests (coordinated omission).
 * A closed-loop driver, which waits for an answer before sending the next request, slows down
 * exactly when the system does and reports a collapse as mild slowness.
 *
 * <p>Timing rules, in order:
 * <ol>
 *   <li>{@code start} is the clock reading when {@link #run} begins (or one the caller gives);
 *       arrival {@code i} is due at {@code start + schedule.offsetNanos(i)}.
 *   <li>The calling thread sleeps until each due time and hands the arrival to the executor
 *       (production: a new virtual thread each). It never waits for answers.
 *   <li>The arrival's thread reads the clock: more than {@code sendSlack} after its due time, it
 *       is NOT_SENT_ON_TIME, not sent, and charged the full client timeout as latency (the caller
 *       never got an answer; charging less would flatter the percentiles).
 *   <li>The first attempt may wait until due time + client timeout (so a success is always within
 *       the timeout of the intended time). On TIMEOUT with re-sends left, the same
 *       Idempotency-Key is sent again at once, with a fresh full timeout.
 *   <li>Latency = clock at the final answer - due time. Never from the actual send time.
 * </ol>
 *
 * <p>Stopping early: {@link #stop()} ends the dispatch loop at the next arrival. Arrivals not yet
 * dispatched are never sent and never reported; those already dispatched finish as usual. The
 * adaptive warm-up uses it: its schedule is a bound, and it stops once the stack is warm.
 *
 * <p>Thread-safety: an instance runs once. The sink and transport are called from many threads.
 * {@link #run} returns after every dispatched arrival has reported (happens-before: each sink call
 * happens-before {@code run} returns, through a {@link CountDownLatch}). {@link #stop()} may be
 * called from any thread.
 */
public final class LoadDriver {
    /** Production executor: one new virtual thread per arrival (cheap; blocking in HTTP is fine). */
    public static final Executor VIRTUAL_THREADS = r -> Thread.ofVirtual().name("load-arrival").start(r);

    private final Schedule schedule;
    private final Transport transport;
    private final ClientPolicy policy;
    private final NanoClock clock;
    private final Sleeper sleeper;
    private final Executor executor;
    private final String keyPrefix;
    private volatile long startNanos; // written once by run()
    private volatile boolean stopped;

    /**
     * @param keyPrefix prefix of every Idempotency-Key; make it unique per run (keys must be fresh:
     *                  a key reused from an earlier run would be answered from the services' cache)
     */
    public LoadDriver(Schedule schedule, Transport transport, ClientPolicy policy, NanoClock clock,
                      Sleeper sleeper, Executor executor, String keyPrefix) {
        this.schedule = schedule;
        this.transport = transport;
        this.policy = policy;
        this.clock = clock;
        this.sleeper = sleeper;
        this.executor = executor;
        this.keyPrefix = keyPrefix;
    }

    /** The clock reading the schedule counts from; valid once {@link #run} has begun. */
    public long startNanos() {
        return startNanos;
    }

    /** The Idempotency-Key of arrival {@code i}: unique per run, the same on every re-send. */
    public String keyOf(int i) {
        return keyPrefix + "-" + i;
    }

    /** Dispatches no further arrival; those in flight still report. Idempotent. */
    public void stop() {
        stopped = true;
    }

    /** Sends the whole schedule from now, then waits for every arrival's fate. */
    public void run(ResultSink sink) throws InterruptedException {
        run(sink, clock.nanoTime());
    }

    /**
     * Sends the whole schedule counting from clock reading {@code start} (a caller that times
     * other actions against the schedule, such as injecting a fault, passes the same start),
     * then waits for every arrival's fate.
     */
    public void run(ResultSink sink, long start) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(schedule.size());
        startNanos = start;
        for (int i = 0; i < schedule.size(); i++) {
            long due = start + schedule.offsetNanos(i);
            long wait = due - clock.nanoTime();
            if (wait > 0) {
                sleeper.sleep(Duration.ofNanos(wait));
            }
            if (stopped) {
                for (int left = i; left < schedule.size(); left++) {
                    done.countDown(); // never dispatched, never reported
                }
                break;
            }
            int arrival = i;
            executor.execute(() -> {
                try {
                    sink.record(arrive(arrival, due));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // shutting down: the latch still counts down
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
    }

    private RequestResult arrive(int i, long due) throws InterruptedException {
        long intended = schedule.offsetNanos(i);
        long late = Math.max(0, clock.nanoTime() - due);
        if (late > policy.sendSlack().toNanos()) {
            return new RequestResult(i, intended, policy.timeout().toNanos(), Outcome.NOT_SENT_ON_TIME, 0, 0, null);
        }
        String key = keyOf(i);
        // The first attempt's budget runs from the due time, so a success is always within the
        // client timeout of the intended send; a re-send gets a fresh full timeout.
        Duration budget = policy.timeout().minusNanos(late);
        Transport.Reply reply;
        int attempt = 0;
        do {
            attempt++;
            reply = transport.send(new Transport.Attempt(i, key, attempt, budget));
            budget = policy.timeout();
        } while (reply.outcome() == Outcome.TIMEOUT && attempt <= policy.resends());
        long latency = clock.nanoTime() - due;
        return new RequestResult(i, intended, latency, reply.outcome(), attempt, reply.status(), reply.orderId());
    }
}
