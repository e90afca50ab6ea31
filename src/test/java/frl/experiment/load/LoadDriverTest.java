package frl.experiment.load;

import frl.resilience.Sleeper;
import frl.testing.FakeClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The driver's timing rules on a fake clock. Arrivals run inline on the dispatching thread
 * ({@code Runnable::run}) so every clock reading is deterministic.
 */
class LoadDriverTest {
    private static final long MS = 1_000_000;
    private static final Executor INLINE = Runnable::run;

    private final FakeClock clock = new FakeClock();
    private final List<RequestResult> results = new CopyOnWriteArrayList<>();
    private final List<Transport.Attempt> attempts = new CopyOnWriteArrayList<>();

    /** Arrivals every 100 ms for one second. */
    private static Schedule everyHundredMillis() {
        long[] offsets = new long[10];
        for (int i = 0; i < 10; i++) {
            offsets[i] = i * 100 * MS;
        }
        return Schedule.fixed(offsets, Duration.ofSeconds(1));
    }

    private List<RequestResult> byArrival() {
        List<RequestResult> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparingInt(RequestResult::arrival));
        return sorted;
    }

    /** A sleeper on the fake clock that oversleeps by {@code extraMs} on its {@code nth} call: a driver pause. */
    private Sleeper pauseOnCall(int nth, long extraMs) {
        int[] calls = {0};
        return d -> {
            clock.sleep(d);
            if (++calls[0] == nth) {
                clock.advanceMillis(extraMs);
            }
        };
    }

    @Test
    void aPauseInTheDriverIsChargedFromTheIntendedTimeNotHidden() throws Exception {
        // Given a generous send slack, an instant server, and a 350 ms pause in the dispatcher
        // while it waits for arrival 2 (due at 200 ms; it wakes at 550 ms)
        ClientPolicy policy = new ClientPolicy(Duration.ofSeconds(3), 0, Duration.ofSeconds(1), true);
        Transport instant = a -> {
            attempts.add(a);
            return new Transport.Reply(Outcome.SUCCESS, 201, "o-" + a.arrival());
        };
        LoadDriver driver = new LoadDriver(everyHundredMillis(), instant, policy, clock, pauseOnCall(2, 350), INLINE, "k");

        // When
        driver.run(results::add);

        // Then the arrivals due during the pause report the time they waited for the driver
        List<RequestResult> r = byArrival();
        assertEquals(10, r.size());
        long[] expectedMs = {0, 0, 350, 250, 150, 50, 0, 0, 0, 0};
        for (int i = 0; i < 10; i++) {
            assertEquals(expectedMs[i] * MS, r.get(i).latencyNanos(), "latency of arrival " + i);
            assertEquals(Outcome.SUCCESS, r.get(i).outcome());
        }
        // and the late ones got a budget shortened by their lateness (success stays within 3 s of intent)
        assertEquals(Duration.ofMillis(3000 - 350), attempts.get(2).timeout());
    }

    @Test
    void anArrivalLaterThanTheSlackIsNotSentAndCountsAsAFailureAtTheFullTimeout() throws Exception {
        // Given a 100 ms send slack and the same 350 ms pause
        ClientPolicy policy = new ClientPolicy(Duration.ofSeconds(3), 0, Duration.ofMillis(100), true);
        Transport instant = a -> {
            attempts.add(a);
            return new Transport.Reply(Outcome.SUCCESS, 201, null);
        };
        new LoadDriver(everyHundredMillis(), instant, policy, clock, pauseOnCall(2, 350), INLINE, "k").run(results::add);

        // Then arrivals 2, 3, 4 (350, 250, 150 ms late) were never sent; 5 (50 ms late) was
        List<RequestResult> r = byArrival();
        for (int i : new int[]{2, 3, 4}) {
            assertEquals(Outcome.NOT_SENT_ON_TIME, r.get(i).outcome(), "arrival " + i);
            assertEquals(0, r.get(i).attempts());
            assertEquals(3000 * MS, r.get(i).latencyNanos(), "charged the full client timeout");
        }
        assertEquals(Outcome.SUCCESS, r.get(5).outcome());
        assertEquals(50 * MS, r.get(5).latencyNanos());
        assertEquals(7, attempts.size());
    }

    @Test
    void aTimeoutIsResentAtOnceWithTheSameKeyAndLatencySpansBothAttempts() throws Exception {
        // Given a server that never answers an arrival's first attempt in time, and one re-send allowed
        ClientPolicy policy = new ClientPolicy(Duration.ofSeconds(3), 1, Duration.ofMillis(100), true);
        Transport firstTimesOut = a -> {
            attempts.add(a);
            if (a.attempt() == 1) {
                clock.advance(a.timeout());
                return Transport.Reply.of(Outcome.TIMEOUT);
            }
            clock.advanceMillis(20);
            return new Transport.Reply(Outcome.SUCCESS, 201, "o");
        };
        Schedule one = Schedule.fixed(new long[]{0}, Duration.ofSeconds(1));

        // When
        new LoadDriver(one, firstTimesOut, policy, clock, clock, INLINE, "run7").run(results::add);

        // Then
        assertEquals(2, attempts.size());
        assertEquals(attempts.get(0).idempotencyKey(), attempts.get(1).idempotencyKey());
        assertEquals(Duration.ofSeconds(3), attempts.get(1).timeout(), "a re-send gets a fresh full timeout");
        RequestResult r = results.get(0);
        assertEquals(Outcome.SUCCESS, r.outcome());
        assertEquals(2, r.attempts());
        assertEquals(3020 * MS, r.latencyNanos());
    }

    @Test
    void withoutResendsATimeoutIsFinal() throws Exception {
        Transport slow = a -> {
            attempts.add(a);
            clock.advance(a.timeout());
            return Transport.Reply.of(Outcome.TIMEOUT);
        };
        new LoadDriver(Schedule.fixed(new long[]{0}, Duration.ofSeconds(1)), slow, ClientPolicy.defaults(), clock, clock,
                INLINE, "k").run(results::add);

        assertEquals(1, attempts.size());
        assertEquals(Outcome.TIMEOUT, results.get(0).outcome());
        assertEquals(ClientPolicy.DEFAULT_TIMEOUT.toNanos(), results.get(0).latencyNanos());
    }

    @Test
    void everyArrivalHasAFreshKeyAndIsReportedExactlyOnceOnVirtualThreads() throws Exception {
        // Given the production executor (a virtual thread per arrival) and a clock that never
        // moves: every arrival is on time by construction, so what is tested is the mechanics
        // (keys, one report per arrival across threads), never how fast this machine is
        Schedule s = Schedule.poisson(500, Duration.ofMillis(200), 5);
        Transport ok = a -> {
            attempts.add(a);
            return new Transport.Reply(Outcome.SUCCESS, 201, null);
        };
        frl.resilience.NanoClock frozen = () -> 0L;
        Sleeper instant = d -> { };
        new LoadDriver(s, ok, ClientPolicy.defaults(), frozen, instant, LoadDriver.VIRTUAL_THREADS, "run9").run(results::add);

        assertEquals(s.size(), results.size());
        assertEquals(s.size(), attempts.stream().map(Transport.Attempt::idempotencyKey).distinct().count());
        assertEquals(s.size(), results.stream().mapToInt(RequestResult::arrival).distinct().count());
        assertEquals(0, results.stream().filter(r -> r.outcome() != Outcome.SUCCESS).count(), "all sent on time");
        assertNotEquals(attempts.get(0).idempotencyKey(), attempts.get(1).idempotencyKey());
    }

    @Test
    void stopEndsDispatchAndOnlyDispatchedArrivalsReport() throws Exception {
        // Given a driver that is stopped by the transport while arrival 3 is being sent
        LoadDriver[] driver = new LoadDriver[1];
        Transport stopsAtThree = a -> {
            attempts.add(a);
            if (a.arrival() == 3) {
                driver[0].stop();
            }
            return new Transport.Reply(Outcome.SUCCESS, 201, null);
        };
        driver[0] = new LoadDriver(everyHundredMillis(), stopsAtThree, ClientPolicy.defaults(), clock, clock, INLINE, "k");

        // When
        driver[0].run(results::add);

        // Then arrivals 0..3 were sent and reported, 4..9 never
        assertEquals(4, attempts.size());
        assertEquals(List.of(0, 1, 2, 3), byArrival().stream().map(RequestResult::arrival).toList());
    }
}
