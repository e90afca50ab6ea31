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
 * <p><b>Thread-safe</b>: the monitor guards state, window and tickets; listeners run under it, in
 * transition order (keep them short). Its release happens-before the next acquire, so each caller
 * judges by every outcome recorded before it. <b>A lock, not atomics</b>: a transition moves
 * several fields, and a window's ring, totals and trip decision change together. Held for
 * nanoseconds, it still cost two threads sharing a breaker 4.1x Resilience4j's lock when taken on
 * every call (632 vs 153 ns/op: cache lines moving between the cores, not waiting), so
 * {@link Tickets} lets permission in CLOSED and a success into a full count window of successes
 * skip it: now 17.8 vs 149 ns/op, 0.12x, what one thread alone costs (quiet-machine runs
 * 20261201T061500Z-bench and 20261201T070536Z-bench-patterns in results/). Any other outcome takes
 * the lock. More: docs/architecture.md, "Contention: a lock per recorded outcome".
 *
 * <p><b>Clock reads.</b> {@link #execute} reads the clock once, at the start, and that reading also
 * serves the permission check (OPEN needs to know whether its time is up). It reads it again only
 * if it must: at the end when slow calls are counted, when recording into a time-based window, and
 * when an outcome moves the state (OPEN's end is counted from then). With a count window and no
 * slow-call threshold, a success costs one read; Resilience4j's costs two.
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
    /** Guarded by "this", but for the two answers it publishes to callers that skip the lock. */
    private final Tickets tickets = new Tickets();
    /** Guarded by "this". */
    private BreakerState current;
    /** Whether recording an outcome needs the time (a time-based window); a count window ignores it. */
    private final boolean windowCountsTime;

    public CircuitBreaker(String name, CircuitBreakerConfig config, NanoClock clock) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.windowCountsTime = config.windowType() == CircuitBreakerConfig.WindowType.TIME_BASED;
        this.current = new ClosedState(config);
    }

    /** Returns the call's ticket, or throws {@link CircuitOpenException} if it may not go ahead now. */
    public long acquirePermission() {
        return acquirePermission(clock.nanoTime());
    }

    /** As {@link #acquirePermission()}, judged at {@code nowNanos}: the caller's own reading, e.g. its start time. */
    public long acquirePermission(long nowNanos) {
        long ticket = tickets.closedTicket(); // CLOSED admits every call and counts none: no lock
        return ticket != REFUSED ? ticket : admitOrRefuse(nowNanos);
    }

    /** Returns the call's ticket, or {@link #REFUSED} if it may not go ahead now. */
    public long tryAcquirePermission() {
        return tryAcquirePermission(clock.nanoTime());
    }

    /** As {@link #tryAcquirePermission()}, judged at {@code nowNanos}. */
    public long tryAcquirePermission(long nowNanos) {
        long ticket = tickets.closedTicket();
        return ticket != REFUSED ? ticket : admit(nowNanos);
    }

    private synchronized long admit(long nowNanos) {
        if (current instanceof OpenState open && open.isOver(nowNanos)) {
            transitionTo(State.HALF_OPEN, nowNanos);
        }
        return current.tryAcquire() ? tickets.current() : REFUSED;
    }

    /** Under one hold of the lock, so the Retry-After is that of the state that refused. */
    private synchronized long admitOrRefuse(long nowNanos) {
        long ticket = admit(nowNanos);
        if (ticket == REFUSED) {
            throw new CircuitOpenException(name, current.retryAfter(nowNanos));
        }
        return ticket;
    }

    /** Whether {@link #onSuccess} uses the call's duration (a slow-call threshold is set): if not, pass 0 and skip timing it. */
    public boolean timesCalls() {
        return config.slowCallThreshold() != null;
    }

    /** The call returned normally; a slow one still counts as a failure if so configured. */
    public void onSuccess(long ticket, long durationNanos) {
        boolean slow = config.isSlow(durationNanos);
        if (!slow && tickets.skipsSuccess(ticket)) {
            return; // nothing to change, so no lock: see Tickets
        }
        record(ticket, slow);
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
        long start = clock.nanoTime(); // the one reading a success needs: also the permission check's
        long ticket = acquirePermission(start);
        boolean failed = true; // a throw, from the call or from isFailure, is a failure
        try {
            T result = call.call();
            failed = isFailure.test(result);
            return result;
        } finally {
            if (failed) {
                onFailure(ticket);
            } else {
                onSuccess(ticket, timesCalls() ? clock.nanoTime() - start : 0);
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
            enter(State.CLOSED, 0); // not a transition: listeners hear nothing
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
            long now = windowCountsTime ? clock.nanoTime() : 0; // a count window never looks at the time
            State next = current.record(failure, now);
            if (next != current.state()) {
                transitionTo(next, windowCountsTime ? now : clock.nanoTime());
            } else if (!windowCountsTime && current instanceof ClosedState closed) {
                tickets.windowIsClean(closed.isClean());
            }
        }
    }

    /** The one place the state changes; package-private so tests can try every pair. */
    synchronized void transitionTo(State to, long nowNanos) {
        State from = current.state();
        if (!from.canMoveTo(to)) {
            throw new IllegalStateException("circuit breaker '" + name + "': illegal transition " + from + " -> " + to);
        }
        enter(to, nowNanos);
        for (Listener listener : listeners) {
            listener.onTransition(name, from, to);
        }
    }

    /** A fresh state object for {@code to}, and a new ticket number: calls admitted so far are stale. */
    private void enter(State to, long nowNanos) {
        current = BreakerState.after(current, to, config, nowNanos);
        tickets.enter(to);
    }
}
