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
 * <p><b>The failure it prevents.</b> Payments is down; every order still calls it, waits for the
 * timeout, retries: callers pile up holding threads, and the outage spreads upstream. A breaker
 * notices, and for a while says "no" at once (503, Retry-After): callers fail fast, payments rests.
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
 * reset() in CLOSED just empties the window. Knobs: {@link CircuitBreakerConfig}; time: {@link NanoClock}.
 *
 * <p><b>Using it.</b> Around each call: a ticket from {@link #acquirePermission()} (or
 * {@link #tryAcquirePermission()}), then, with that ticket, exactly one of {@link #onSuccess},
 * {@link #onFailure}, or {@link #releasePermission} if the call was not made after all
 * ({@link #execute} does it all). Only the state that admitted a call hears of it ({@link Tickets}).
 * Differences from Resilience4j, and why: docs/architecture.md, "Our circuit breaker and Resilience4j's".
 *
 * <p><b>Thread-safe</b>: the monitor guards state, window and tickets (a lock, not atomics: a
 * transition moves several fields); it is held for nanoseconds and never blocks inside. Listeners
 * run under it, in transition order: keep them short. Its release happens-before the next
 * acquire, so each caller judges by every outcome recorded before it.
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

    /** What {@link #tryAcquirePermission()} answers when the call may not go ahead: never a ticket. */
    public static final long REFUSED = 0;

    private final String name;
    private final CircuitBreakerConfig config;
    private final NanoClock clock;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Tickets tickets = new Tickets(); // guarded by "this"
    /** Guarded by "this". */
    private BreakerState current;

    public CircuitBreaker(String name, CircuitBreakerConfig config, NanoClock clock) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.current = new ClosedState(config);
    }

    /** Returns the call's ticket, or throws {@link CircuitOpenException} if it may not go ahead now. */
    public synchronized long acquirePermission() {
        long ticket = tryAcquirePermission();
        if (ticket == REFUSED) {
            throw new CircuitOpenException(name, current.retryAfter(clock.nanoTime()));
        }
        return ticket;
    }

    /** Returns the call's ticket, or {@link #REFUSED} if it may not go ahead now. */
    public synchronized long tryAcquirePermission() {
        long now = clock.nanoTime();
        if (current instanceof OpenState open && open.isOver(now)) {
            transitionTo(State.HALF_OPEN, now);
        }
        return current.tryAcquire() ? tickets.current() : REFUSED;
    }

    /** The call returned normally; a slow one still counts as a failure if so configured. */
    public void onSuccess(long ticket, long durationNanos) {
        record(ticket, config.isSlow(durationNanos));
    }

    /** The call failed: a failure however long it took, so no duration is asked for. */
    public void onFailure(long ticket) {
        record(ticket, true);
    }

    /** The call was never made (rejected further in, cancelled): it says nothing. */
    public synchronized void releasePermission(long ticket) {
        if (tickets.isCurrent(ticket, name)) {
            current.release();
        }
    }

    /**
     * Acquires permission, runs {@code call}, and records its outcome: anything thrown, or a
     * result {@code isFailure} accepts, is a failure.
     *
     * @throws CircuitOpenException if refused; otherwise whatever {@code call} throws
     */
    public <T> T execute(Callable<T> call, Predicate<? super T> isFailure) throws Exception {
        long ticket = acquirePermission();
        long start = clock.nanoTime();
        boolean failed = true; // a throw, from the call or from isFailure, is a failure
        try {
            T result = call.call();
            failed = isFailure.test(result);
            return result;
        } finally {
            if (failed) {
                onFailure(ticket);
            } else {
                onSuccess(ticket, clock.nanoTime() - start);
            }
        }
    }

    public synchronized State state() {
        return current.state();
    }

    public synchronized Snapshot snapshot() {
        long now = clock.nanoTime();
        RollingWindow.Totals totals = current.totals(now);
        return new Snapshot(name, current.state(), totals.failures(), totals.calls(), totals.failureRatePercent(),
                current instanceof OpenState open ? open.millisUntilHalfOpen(now) : 0);
    }

    /** Back to CLOSED with an empty window, whatever the state (operators, tests, {@code /admin/reset}). */
    public synchronized void reset() {
        if (current.state() == State.CLOSED) {
            current = new ClosedState(config);
            tickets.next();
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

    private synchronized void record(long ticket, boolean failure) {
        if (tickets.isCurrent(ticket, name)) {
            long now = clock.nanoTime();
            State next = current.record(failure, now);
            if (next != current.state()) {
                transitionTo(next, now);
            }
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
        tickets.next();
        for (Listener listener : listeners) {
            listener.onTransition(name, from, to);
        }
    }
}
