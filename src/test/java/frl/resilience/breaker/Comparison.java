package frl.resilience.breaker;

import frl.resilience.breaker.CircuitBreakerConfig.WindowType;
import frl.testing.FakeClock;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static frl.resilience.breaker.CircuitBreaker.REFUSED;

/**
 * Our breaker and Resilience4j's on one fake clock, fed the same operations, compared after every
 * step: the same permission answer, the same state, the same counts. Knows nothing of their
 * differences: it asks {@link Resilience4jDifferences} at each point where one could show.
 *
 * <p>Several calls may be in flight at once: each {@code ok}, {@code fail} or {@code release}
 * picks one of them (index modulo how many there are; none in flight: nothing happens).
 * Not thread-safe: one comparison, one thread.
 */
final class Comparison {

    /** What both breakers are configured with (a failure rate over a window; see the rules for the rest). */
    record Setup(WindowType type, int size, int percent, int minimum, int slowMillis, int openMillis, int probes) {
        @Override
        public String toString() {
            return type + " " + size + ", " + percent + "% after " + minimum + ", slow > "
                    + (slowMillis == 0 ? "off" : slowMillis + " ms") + ", open " + openMillis + " ms, " + probes + " probes";
        }
    }

    /** One step; {@code toString} is the syntax {@link #parse} reads, so a shrunk sequence can be pasted back. */
    sealed interface Op {}

    record Ask() implements Op {
        @Override public String toString() { return "ask"; }
    }

    record Succeed(int pick, int millis) implements Op {
        @Override public String toString() { return "ok" + pick + ":" + millis + "ms"; }
    }

    record Fail(int pick) implements Op {
        @Override public String toString() { return "fail" + pick; }
    }

    record Release(int pick) implements Op {
        @Override public String toString() { return "release" + pick; }
    }

    record Wait(int millis) implements Op {
        @Override public String toString() { return "wait" + millis + "ms"; }
    }

    /**
     * Wait until the last trip's open duration (Resilience4j's) is over, give or take a nanosecond:
     * the boundary where the two breakers' rules differ. Nothing if that moment has passed.
     */
    record WaitOpen(int nanosOff) implements Op {
        @Override public String toString() { return "open" + (nanosOff == 0 ? "" : (nanosOff > 0 ? "+" : "") + nanosOff + "ns"); }
    }

    private static final Pattern STEP = Pattern.compile("ask|ok(\\d+):(\\d+)ms|fail(\\d+)|release(\\d+)|wait(\\d+)ms|open([+-]1ns)?");

    static List<Op> parse(String text) {
        List<Op> ops = new ArrayList<>();
        for (String word : text.trim().split("\\s+")) {
            Matcher m = STEP.matcher(word);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a step: " + word);
            }
            ops.add(m.group(1) != null ? new Succeed(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)))
                    : m.group(3) != null ? new Fail(Integer.parseInt(m.group(3)))
                    : m.group(4) != null ? new Release(Integer.parseInt(m.group(4)))
                    : m.group(5) != null ? new Wait(Integer.parseInt(m.group(5)))
                    : word.startsWith("open") ? new WaitOpen(m.group(6) == null ? 0 : m.group(6).startsWith("+") ? 1 : -1)
                    : new Ask());
        }
        return ops;
    }

    /** A call let through: our ticket, and which of our states (counted by transitions) admitted it. */
    record Call(long ticket, int state) {}

    private static final IOException INJECTED = new IOException("injected");

    private final Setup setup;
    private final FakeClock clock = new FakeClock();
    private final CircuitBreakerConfig oursConfig;
    private final CircuitBreaker ours;
    private final io.github.resilience4j.circuitbreaker.CircuitBreaker theirs;
    private final List<Call> inFlight = new ArrayList<>();
    private final Set<Resilience4jDifferences> applied = EnumSet.noneOf(Resilience4jDifferences.class);
    private int oursStateNumber;
    private boolean openedFromClosed;
    private long trippedAtNanos = Long.MIN_VALUE;
    private boolean countsParted; // see Resilience4jDifferences.FIRST_FAILED_PROBE_REOPENS
    private int probeResults, probeFailures; // what Resilience4j heard in its current HALF_OPEN
    private int peakInFlight;

    Comparison(Setup setup) {
        this.setup = setup;
        this.oursConfig = Resilience4jDifferences.ours(setup);
        this.ours = new CircuitBreaker("ours", oursConfig, clock);
        ours.addListener((name, from, to) -> {
            oursStateNumber++;
            openedFromClosed = from == CircuitBreaker.State.CLOSED;
            trippedAtNanos = to == CircuitBreaker.State.OPEN ? clock.nanoTime() : trippedAtNanos;
            countsParted = false;
        });
        this.theirs = io.github.resilience4j.circuitbreaker.CircuitBreaker.of("theirs",
                Resilience4jDifferences.theirs(setup, new InstantView(clock)));
        theirs.getEventPublisher().onStateTransition(e -> {
            if (e.getStateTransition().getToState() == io.github.resilience4j.circuitbreaker.CircuitBreaker.State.HALF_OPEN) {
                probeResults = 0;
                probeFailures = 0;
            }
        });
    }

    /**
     * Runs {@code ops}, comparing after each; stops early only where a rule says the two have
     * parted by design. Returns how many steps were compared.
     */
    int run(List<Op> ops) {
        for (int i = 0; i < ops.size(); i++) {
            try {
                if (!step(ops.get(i))) {
                    return i + 1;
                }
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + " at step " + i + " (" + ops.get(i) + ") of [" + setup + "] "
                        + ops.stream().map(Op::toString).collect(Collectors.joining(" ")), e);
            }
        }
        return ops.size();
    }

    private boolean step(Op op) {
        String oursBefore = ours.state().name(), theirsBefore = theirs.getState().name();
        boolean probeResult = false;
        switch (op) {
            case Ask ask -> {
                long ticket = ours.tryAcquirePermission();
                boolean theirAnswer = theirs.tryAcquirePermission();
                if (theirAnswer != (ticket != REFUSED)) {
                    throw new AssertionError("permission: ours " + (ticket != REFUSED) + ", Resilience4j " + theirAnswer);
                }
                if (ticket != REFUSED) {
                    inFlight.add(new Call(ticket, oursStateNumber));
                    peakInFlight = Math.max(peakInFlight, inFlight.size());
                }
            }
            case Succeed s -> {
                Call call = take(s.pick());
                long nanos = Duration.ofMillis(s.millis()).toNanos();
                if (call != null) {
                    boolean passOn = Resilience4jDifferences.passOn(this, call); // before ours moves on
                    ours.onSuccess(call.ticket(), nanos);
                    if (passOn) {
                        boolean asError = Resilience4jDifferences.successIsAnError(this, nanos);
                        probeResult = heardInHalfOpen(asError);
                        if (asError) {
                            theirs.onError(nanos, TimeUnit.NANOSECONDS, INJECTED);
                        } else {
                            theirs.onSuccess(nanos, TimeUnit.NANOSECONDS);
                        }
                    }
                }
            }
            case Fail f -> {
                Call call = take(f.pick());
                if (call != null) {
                    boolean passOn = Resilience4jDifferences.passOn(this, call);
                    ours.onFailure(call.ticket());
                    if (passOn) {
                        probeResult = heardInHalfOpen(true);
                        theirs.onError(0, TimeUnit.NANOSECONDS, INJECTED);
                    }
                }
            }
            case Release r -> {
                Call call = take(r.pick());
                if (call != null) {
                    boolean passOn = Resilience4jDifferences.passOn(this, call);
                    ours.releasePermission(call.ticket());
                    if (passOn) {
                        theirs.releasePermission();
                    }
                }
            }
            case Wait w -> clock.advanceMillis(w.millis());
            case WaitOpen w -> {
                if (trippedAtNanos != Long.MIN_VALUE) {
                    long until = trippedAtNanos + Duration.ofMillis(setup.openMillis()).toNanos() + w.nanosOff();
                    clock.advance(Duration.ofNanos(Math.max(0, until - clock.nanoTime())));
                }
            }
        }
        if (!ours.state().name().equals(theirs.getState().name())
                && !Resilience4jDifferences.explainStates(this, oursBefore, theirsBefore, probeResult)) {
            return false;
        }
        if (Resilience4jDifferences.countsComparable(this)) {
            Snapshot mine = ours.snapshot();
            var their = theirs.getMetrics();
            if (mine.calls() != their.getNumberOfBufferedCalls() || mine.failures() != their.getNumberOfFailedCalls()) {
                throw new AssertionError("counts in " + mine.state() + ": ours " + mine.failures() + " failures in "
                        + mine.calls() + " calls, Resilience4j " + their.getNumberOfFailedCalls() + " in "
                        + their.getNumberOfBufferedCalls());
            }
        }
        return true;
    }

    /** Counts a result Resilience4j is about to hear if it is HALF_OPEN; says whether it was. */
    private boolean heardInHalfOpen(boolean failure) {
        if (theirs.getState() != io.github.resilience4j.circuitbreaker.CircuitBreaker.State.HALF_OPEN) {
            return false;
        }
        probeResults++;
        if (failure) {
            probeFailures++;
        }
        return true;
    }

    private Call take(int pick) {
        return inFlight.isEmpty() ? null : inFlight.remove(pick % inFlight.size());
    }

    void applied(Resilience4jDifferences rule) {
        applied.add(rule);
    }

    Set<Resilience4jDifferences> applied() {
        return applied;
    }

    Setup setup() { return setup; }
    CircuitBreakerConfig oursConfig() { return oursConfig; }
    CircuitBreaker ours() { return ours; }
    io.github.resilience4j.circuitbreaker.CircuitBreaker theirs() { return theirs; }
    int oursStateNumber() { return oursStateNumber; }
    boolean openedFromClosed() { return openedFromClosed; }
    boolean countsParted() { return countsParted; }
    void partCounts() { countsParted = true; }
    int probeResults() { return probeResults; }
    int probeFailures() { return probeFailures; }
    int peakInFlight() { return peakInFlight; }

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
}
