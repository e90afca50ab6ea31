package frl.resilience;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadShedderTest {

    @ParameterizedTest(name = "{0} in flight, limit {1} -> admit {2}")
    @CsvSource({"0, 200, true", "199, 200, true", "200, 200, false", "250, 200, false", "0, 1, true", "1, 1, false"})
    void theRule(int inFlight, int max, boolean admitted) {
        assertEquals(admitted, LoadShedder.admits(inFlight, max));
    }

    @Test
    void beyondTheLimitRequestsAreShedAsAReturnValue() {
        // Given a limit of 3 with 3 requests in flight
        LoadShedder s = new LoadShedder("gateway", LoadShedder.Config.of(3));
        assertTrue(s.tryAcquire());
        assertTrue(s.tryAcquire());
        assertTrue(s.tryAcquire());
        // When a fourth arrives, Then it is shed (false) and counted; nothing was thrown
        assertFalse(s.tryAcquire());
        assertEquals(1, s.shed());
        assertEquals(3, s.inFlight());
        // When one finishes, Then the next is admitted
        s.release();
        assertTrue(s.tryAcquire());
        assertEquals(1, s.shed());
        s.resetCounts();
        assertEquals(0, s.shed());
    }

    @ParameterizedTest(name = "Retry-After {0}")
    @CsvSource({"PT1S", "PT1.5S", "PT0S", "PT30S"})
    void theSuggestedRetryAfterIsTheConfiguredDuration(Duration retryAfter) {
        // As a Duration: whole seconds for the header is HTTP's business (frl.http.Rejections, RejectionsTest)
        LoadShedder s = new LoadShedder("gateway", new LoadShedder.Config(10, retryAfter));
        assertEquals(retryAfter, s.retryAfter());
    }

    @Test
    void aReleaseWithoutAnAcquireIsABugAndSaysSo() {
        LoadShedder s = new LoadShedder("gateway", LoadShedder.Config.of(1));
        assertThrows(IllegalStateException.class, s::release);
        assertEquals(0, s.inFlight());
    }

    @Test
    void configIsValidatedQuotingTheBadValue() {
        assertEquals("maxInFlight must be at least 1, was -3", assertThrows(IllegalArgumentException.class,
                () -> LoadShedder.Config.of(-3)).getMessage());
        assertEquals(new LoadShedder.Config(200, Duration.ofSeconds(1)), LoadShedder.Config.defaults());
    }

    @ParameterizedTest
    @EnumSource(Threads.class)
    void underConcurrencyTheLimitIsNeverPassed(Threads threads) throws Exception {
        // Given the spec's limit of 200 and 1000 simultaneous arrivals that hold on to their admission
        LoadShedder s = new LoadShedder("gateway", LoadShedder.Config.defaults());
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1), done = new CountDownLatch(1000);
        try (ExecutorService pool = threads.executor()) {
            for (int i = 0; i < 1000; i++) {
                pool.submit(() -> {
                    start.await();
                    if (s.tryAcquire()) {
                        admitted.incrementAndGet();
                    }
                    done.countDown();
                    return null;
                });
            }
            start.countDown();
            assertTrue(done.await(10, TimeUnit.SECONDS));
        }
        // Then exactly 200 were admitted and 800 shed
        assertEquals(200, admitted.get());
        assertEquals(200, s.inFlight());
        assertEquals(800, s.shed());
    }
}
