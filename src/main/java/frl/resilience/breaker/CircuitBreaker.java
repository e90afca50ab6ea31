package frl.resilience.breaker;

import frl.resilience.NanoClock;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Circuit breaker: stop calling a downstream that is failing, and try it again later.
 *
 * <p><b>The failure it prevents.</b> Payments is down. Every order still calls it, waits for the
 * timeout, retries, waits again: callers pile up, each holding a thread for seconds, and the
 * retries add load to a service trying to restart. The outage spreads upstream. A breaker notices
 * the failures, and for a while answers "no" at once, without calling: callers fail fast (503
 * with Retry-After), threads are freed, and the sick service gets quiet time to recover.
 *
 * <p><b>States and the only legal transitions</b> (anything else throws IllegalStateException):
 * <pre>
 *   CLOSED    -&gt; OPEN       the window trips: failures &gt;= failureThreshold, or failure rate
 *                          &gt;= failureRatePercent after minimumCalls (slow calls count as failures)
 *   OPEN      -&gt; HALF_OPEN  the first permission request after openDuration has passed
 *   HALF_OPEN -&gt; OPEN       any probe fails
 *   HALF_OPEN -&gt; CLOSED     all permittedHalfOpenCalls probes succeed
 *   OPEN      -&gt; CLOSED     reset() only: an operator's decision, never the breaker's
 * </pre>
 * reset() in CLOSED empties the window without a transition. Each state is a small class
 * ({@link ClosedState}, {@link OpenState}, {@link HalfOpenState}); the knobs and their defaults
 * are in {@link CircuitBreakerConfig}.
 *
 * <p><b>Using it.</b> Around each call: {@link #acquirePermission()} (or
 * {@link #tryAcquirePermission()}), then exactly one of {@link #onSuccess}, {@link #onFailure} or,
 * if the call was not made after all, {@link #releasePermission()}. {@link #execute} does this
 * for you. Time comes only from the injected {@link NanoClock}: no timer thread, no sleeping.
 *
 * <p><b>Thread-safe</b>: every method runs under the breaker's monitor ({@code synchronized}),
 * which guards the current state and its window. A lock rather than lock-free atomics because a
 * transition touches several fields at once (state, window, probe counts), and a record is a few
 * increments: the lock is held for nanoseconds around a network call of milliseconds. It never
 * blocks inside, so a virtual thread holding it does not pin its carrier for long. Listeners run
 * under the lock, on the thread that caused the transition, in transition order: keep them short
 * (count, log). Releasing the monitor happens-before the next caller acquires it, so every
 * caller judges by all outcomes recorded before it.
 */
public final class CircuitBreaker {

    public enum State {
        CLOSED, OPEN, HALF_OPEN;

        /** The table above, as code. */
        private static final Map<State, Set<State>> LEGAL = Map.of(
                CLOSED, EnumSet.of(OPEN),
                OPEN, EnumSet.of(HALF_OPEN, CLOSED),
                HALF_OPEN, EnumSet.of(OPEN, CLOSED));

        public boolean canMoveTo(State next) {
            return LEGAL.get(this).contains(next);
        }
    }

    /** Told of every transition. */
    @FunctionalInterface
    public interface Listener {
        void onTransition(String breakerName, State from, State to);
    }

    private final String name;
    private final CircuitBreakerConfig config;
    private final NanoClock clock;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** Guarded by "this". */
    private BreakerState current;

    public CircuitBreaker(String name, CircuitBreakerConfig config, NanoClock clock) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.current = new ClosedState(config);
    }

    /** @throws CircuitOpenException if the call may not go ahead now */
    public synchronized void acquirePermission() {
        if (!tryAcquirePermission()) {
            throw new CircuitOpenException(name, current.retryAfter(clock.nanoTime()));
        }
    }

    public synchronized boolean tryAcquirePermission() {
        long now = clock.nanoTime();
        if (current instanceof OpenState open && open.isOver(now)) {
            transitionTo(State.HALF_OPEN, now);
        }
        return current.tryAcquire();
    }

    /** The permitted call returned normally; a slow one still counts as a failure if so configured. */
    public void onSuccess(long durationNanos) {
        record(config.isSlow(durationNanos));
    }

    /** The permitted call failed; it counts however long it took. */
    public void onFailure(long durationNanos) {
        record(true);
    }

    /** The permitted call was never made (rejected further in, cancelled): it says nothing. */
    public synchronized void releasePermission() {
        current.release();
    }

    /**
     * Acquires permission, runs {@code call}, and records its outcome: anything thrown, or a
     * result {@code isFailure} accepts, is a failure.
     *
     * @throws CircuitOpenException if refused; otherwise whatever {@code call} throws
     */
    public <T> T execute(Callable<T> call, Predicate<? super T> isFailure) throws Exception {
        acquirePermission();
        long start = clock.nanoTime();
        T result;
        try {
            result = call.call();
        } catch (Throwable t) {
            onFailure(clock.nanoTime() - start);
            throw t;
        }
        long took = clock.nanoTime() - start;
        if (isFailure.test(result)) {
            onFailure(took);
        } else {
            onSuccess(took);
        }
        return result;
    }

    public synchronized State state() {
        return current.state();
    }

    public synchronized Snapshot snapshot() {
        long now = clock.nanoTime();
        RollingWindow.Totals totals = current.totals(now);
        long untilHalfOpen = current instanceof OpenState ? ceilMillis(current.retryAfter(now).toNanos()) : 0;
        return new Snapshot(name, current.state(), totals.failures(), totals.calls(),
                totals.failureRatePercent(), untilHalfOpen);
    }

    /** Back to CLOSED with an empty window, whatever the state (operators, tests, {@code /admin/reset}). */
    public synchronized void reset() {
        if (current.state() == State.CLOSED) {
            current = new ClosedState(config);
        } else {
            transitionTo(State.CLOSED, clock.nanoTime());
        }
    }

    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public String name() {
        return name;
    }

    public CircuitBreakerConfig config() {
        return config;
    }

    private synchronized void record(boolean failure) {
        long now = clock.nanoTime();
        State next = current.record(failure, now);
        if (next != current.state()) {
            transitionTo(next, now);
        }
    }

    /** The one place the state changes; package-private so tests can try every pair. */
    synchronized void transitionTo(State to, long nowNanos) {
        State from = current.state();
        if (!from.canMoveTo(to)) {
            throw new IllegalStateException("circuit breaker '" + name + "': illegal transition " + from + " -> " + to);
        }
        current = switch (to) {
            case CLOSED -> new ClosedState(config);
            case OPEN -> new OpenState(nowNanos + config.openDuration().toNanos(), current.totals(nowNanos));
            case HALF_OPEN -> new HalfOpenState(config.permittedHalfOpenCalls());
        };
        for (Listener listener : listeners) {
            listener.onTransition(name, from, to);
        }
    }

    private static long ceilMillis(long nanos) {
        return (nanos + 999_999) / 1_000_000;
    }
}
