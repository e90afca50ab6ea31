package frl.stack;

import java.time.Duration;

/**
 * How long the launcher waits before restarting a service that died: the decision alone, a pure
 * function of numbers, kept apart from the processes it is applied to ({@link Supervisor}).
 *
 * <p>The failure it prevents: a service that dies on start (its database is down, its port is
 * taken) restarted at once, again and again, burns the CPU the rest of the stack needs and fills
 * its log, while a crash that happens once a day should come back at once. So the wait doubles
 * with each crash in a row and is capped, and a run that stayed healthy long enough ends the streak:
 * <pre>
 *   crash n of a streak (n >= 1)  ->  wait min(cap, initial * 2^(n-1))   1 s, 2 s, 4 s .. 30 s
 *   answered /health, then stayed up >= stableAfter before it died  ->  the streak starts again at 1
 * </pre>
 * The rule of Kubernetes' CrashLoopBackOff (10 s doubling to 5 min, reset after 10 min of
 * running), with a lab's shorter numbers and one change: the stable time counts from the moment
 * the process answered /health, not from its start. On a busy machine a JVM's start-up alone can
 * take 25 s (measured: a restarted notifications answered 24 s after its kill, with its 1 s wait),
 * so counting from the start would call "stable" a process that was healthy for only seconds, and
 * a process that never became healthy at all is a crash loop however long it took to fail. No
 * jitter: the five services are restarted by one launcher, each on its own streak, so there is no
 * crowd of clients to desynchronise.
 *
 * <p>Knobs: {@code initial} too long makes every single crash a long outage; {@code cap} too short
 * lets a crash loop spin; {@code stableAfter} too long keeps a service that crashes once an hour
 * on long waits.
 *
 * <p>Immutable and thread-safe.
 */
public record RestartBackoff(Duration initial, Duration cap, Duration stableAfter) {
    public static final Duration DEFAULT_INITIAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_CAP = Duration.ofSeconds(30);
    public static final Duration DEFAULT_STABLE_AFTER = Duration.ofSeconds(60);
    public static final RestartBackoff DEFAULT = new RestartBackoff(DEFAULT_INITIAL, DEFAULT_CAP, DEFAULT_STABLE_AFTER);

    public RestartBackoff {
        if (initial == null || initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial must be > 0, got " + initial);
        }
        if (cap == null || cap.compareTo(initial) < 0) {
            throw new IllegalArgumentException("cap must be >= initial (" + initial + "), got " + cap);
        }
        if (stableAfter == null || stableAfter.isNegative() || stableAfter.isZero()) {
            throw new IllegalArgumentException("stableAfter must be > 0, got " + stableAfter);
        }
    }

    /**
     * The streak after a crash: {@code streak + 1}, or 1 if the run that just ended was healthy
     * from {@code healthyNanos} to {@code exitedNanos} (one monotonic clock) for at least
     * {@code stableAfter}. A run that never answered /health passes {@link #NEVER_HEALTHY}.
     */
    public int nextStreak(int streak, long healthyNanos, long exitedNanos) {
        if (streak < 0) {
            throw new IllegalArgumentException("streak must be >= 0, got " + streak);
        }
        boolean stable = healthyNanos != NEVER_HEALTHY && exitedNanos - healthyNanos >= stableAfter.toNanos();
        return stable ? 1 : streak + 1;
    }

    /** For {@link #nextStreak}: the run that ended never answered /health. */
    public static final long NEVER_HEALTHY = Long.MIN_VALUE;

    /** The wait before restart number {@code streak} of a streak (1 for the first crash). */
    public Duration delay(int streak) {
        if (streak < 1) {
            throw new IllegalArgumentException("streak must be >= 1, got " + streak);
        }
        // Doubling stops at the cap, so a streak of any length cannot overflow.
        Duration d = initial;
        for (int i = 1; i < streak && d.compareTo(cap) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(cap) < 0 ? d : cap;
    }
}
