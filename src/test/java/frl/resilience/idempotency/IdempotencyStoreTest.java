package frl.resilience.idempotency;

import frl.infra.RedisServerHandle;
import frl.resilience.idempotency.IdempotencyStore.Claim;
import frl.resilience.idempotency.IdempotencyStore.Claimed;
import frl.resilience.idempotency.IdempotencyStore.Config;
import frl.resilience.idempotency.IdempotencyStore.InFlight;
import frl.resilience.idempotency.IdempotencyStore.Mismatch;
import frl.resilience.idempotency.IdempotencyStore.Replay;
import frl.testing.TestInfra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.RedisClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IdempotencyStore against a real Redis (TestInfra). Each test has its own key namespace. */
class IdempotencyStoreTest {
    private static final String FP = IdempotencyStore.fingerprint("POST", "/payments", bytes("{\"order_id\":\"o-1\"}"));
    private static final String OTHER_FP = IdempotencyStore.fingerprint("POST", "/payments", bytes("{\"order_id\":\"o-2\"}"));

    private final RedisClient redis = TestInfra.redis();
    private final IdempotencyStore store = new IdempotencyStore(redis, Config.defaults(TestInfra.uniqueName("idem")));

    @Test
    void theFirstClaimOwnsTheKeyForTheLockTimeout() {
        Claim first = store.claim("k-1", FP);                              // expect: Claimed
        assertInstanceOf(Claimed.class, first);
        long pttl = redis.pttl(store.redisKey("k-1"));                     // expect: ~30 000 ms, set by Redis
        assertTrue(pttl > 29_000 && pttl <= 30_000, "lock PTTL " + pttl);
    }

    @Test
    void aRetryAfterCompletionGetsTheStoredResponse() {
        // Given a request that claimed the key and completed with 201
        Claimed first = (Claimed) store.claim("k-1", FP);
        String body = "{\"status\":\"CHARGED\",\n \"note\":\"naïve ✓\"}";
        assertTrue(store.complete(first, 201, body));
        // When the client retries the same request
        Claim retry = store.claim("k-1", FP);
        // Then it gets the same status and body back, kept for the ttl (24 h)
        assertEquals(new Replay(201, body), retry);
        long pttl = redis.pttl(store.redisKey("k-1"));
        assertTrue(pttl > Duration.ofHours(24).minusMinutes(1).toMillis(), "response PTTL " + pttl);
        assertEquals(new Replay(201, body), store.claim("k-1", FP));       // expect: replays again, unchanged
    }

    @Test
    void aDuplicateWhileTheFirstIsRunningIsInFlight() {
        store.claim("k-1", FP);
        assertEquals(new InFlight("k-1"), store.claim("k-1", FP));          // expect: 409
    }

    @Test
    void theSameKeyForAnotherRequestIsAMismatch() {
        Claimed first = (Claimed) store.claim("k-1", FP);
        assertEquals(new Mismatch("k-1"), store.claim("k-1", OTHER_FP));   // expect: 422 while in flight
        store.complete(first, 201, "{}");
        assertEquals(new Mismatch("k-1"), store.claim("k-1", OTHER_FP));   // expect: 422 after completion
        assertEquals(new Replay(201, "{}"), store.claim("k-1", FP));        // the original still replays
    }

    @Test
    void theOwnerCanAbandonSoARetryRunsNow() {
        Claimed first = (Claimed) store.claim("k-1", FP);
        assertTrue(store.abandon(first));                                   // e.g. the payment provider said 503
        assertInstanceOf(Claimed.class, store.claim("k-1", FP));            // expect: the retry owns the key
    }

    @Test
    void aClaimWhoseOwnerDiedCanBeRetakenAndTheStaleOwnerCannotTouchIt() {
        // Given A claimed the key and died: Redis's clock passes A's lock timeout (PEXPIRE 0 makes
        // Redis drop the key now, which is what the expiry does 30 s later)
        Claimed a = (Claimed) store.claim("k-1", FP);
        redis.pexpire(store.redisKey("k-1"), 0);
        // When B retries
        Claimed b = assertInstanceOf(Claimed.class, store.claim("k-1", FP));
        // Then stale A can neither release nor complete B's claim
        assertFalse(store.abandon(a));                                      // expect: compare-and-delete refuses
        assertEquals(new InFlight("k-1"), store.claim("k-1", FP));          // expect: B still owns it
        assertFalse(store.complete(a, 201, "from A"));                      // expect: A's late answer is refused
        assertTrue(store.complete(b, 201, "from B"));
        assertEquals(new Replay(201, "from B"), store.claim("k-1", FP));
    }

    @Test
    void aLateCompletionWithNobodyElseOnTheKeyIsStillStored() {
        Claimed a = (Claimed) store.claim("k-1", FP);
        redis.pexpire(store.redisKey("k-1"), 0);                            // A's lock timed out, no retry yet
        assertTrue(store.complete(a, 201, "late"));                         // expect: the answer is still right
        assertEquals(new Replay(201, "late"), store.claim("k-1", FP));
    }

    @Test
    void theLockTimeoutIsEnforcedByRedisItself() {
        // Given a store whose claims last 20 ms, and a claim whose owner never comes back
        var shortLock = new IdempotencyStore(redis, new Config(TestInfra.uniqueName("idem"), Duration.ofHours(24), Duration.ofMillis(20)));
        assertInstanceOf(Claimed.class, shortLock.claim("k-1", FP));
        // When Redis expires it (polled, bounded: no blind sleep)
        long giveUp = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (redis.exists(shortLock.redisKey("k-1")) && System.nanoTime() < giveUp) {
            Thread.onSpinWait();
        }
        // Then a retry claims it
        assertInstanceOf(Claimed.class, shortLock.claim("k-1", FP));
    }

    @ParameterizedTest(name = "virtual threads: {0}")
    @ValueSource(booleans = {false, true})
    void ofManyConcurrentClaimantsExactlyOneWins(boolean virtual) throws Exception {
        int threads = 16;
        try (ExecutorService pool = virtual
                ? Executors.newVirtualThreadPerTaskExecutor()
                : Executors.newFixedThreadPool(threads)) {
            for (int round = 0; round < 25; round++) {
                // Given 16 requests with one key, released at the same instant
                String key = "race-" + round;
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Claim>> answers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    answers.add(pool.submit(() -> {
                        go.await();
                        return store.claim(key, FP);
                    }));
                }
                go.countDown();
                // Then exactly one owns the key and every other one is told it is in flight
                int claimed = 0;
                for (Future<Claim> answer : answers) {
                    Claim c = answer.get();
                    if (c instanceof Claimed) {
                        claimed++;
                    } else {
                        assertEquals(new InFlight(key), c);
                    }
                }
                assertEquals(1, claimed, "round " + round);
            }
        }
    }

    @Test
    void redisDownFailsClosed() throws Exception {
        // Given a store on a Redis of its own, holding one claim
        RedisServerHandle own = RedisServerHandle.start(0);
        try (RedisClient client = RedisClient.create(own.url())) {
            var doomed = new IdempotencyStore(client, Config.defaults("payments"));
            Claimed claim = (Claimed) doomed.claim("k-1", FP);
            // When Redis goes away
            own.close();
            // Then every operation refuses with a typed 503, naming the store
            var e = assertThrows(IdempotencyUnavailableException.class, () -> doomed.claim("k-2", FP));
            assertEquals("payments", e.store());
            assertThrows(IdempotencyUnavailableException.class, () -> doomed.complete(claim, 201, "{}"));
            assertThrows(IdempotencyUnavailableException.class, () -> doomed.abandon(claim));
        } finally {
            own.close();
        }
    }

    @Test
    void malformedKeysAreRejected() {
        for (String bad : new String[] {null, "", "x".repeat(256), "naïve", "a\nb", "tab\there"}) {
            assertThrows(IllegalArgumentException.class, () -> store.claim(bad, FP), "key " + bad);  // expect: 400
        }
        assertInstanceOf(Claimed.class, store.claim("~".repeat(255), FP));  // expect: 255 printable is fine
        assertInstanceOf(Claimed.class, store.claim("with space", FP));
    }

    @Test
    void configQuotesTheBadValue() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Config("orders", Duration.ofSeconds(10), Duration.ofSeconds(30)));
        assertTrue(e.getMessage().contains("PT30S"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Config.defaults("has space"));
    }

    // Expected values computed independently: printf 'POST\n/orders\n{"a":1}' | sha256sum
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POST | /orders | {\"a\":1} | ec7918785ae05cc5caad07eb82d63b3f58f03f114779318796adfddcbd4fabca",
            "POST | /orders | ''       | c021f2191c7a727c5919f4b9a0d8ac0eefaac4d71ab74ad77ebe8d7205b50fa0",
    })
    void fingerprintIsSha256OfMethodPathAndBody(String method, String path, String body, String expected) {
        assertEquals(expected, IdempotencyStore.fingerprint(method, path, bytes(body)));
    }

    @Test
    void fingerprintSeparatesPathFromBody() {
        assertFalse(IdempotencyStore.fingerprint("POST", "/a", bytes("b"))
                .equals(IdempotencyStore.fingerprint("POST", "/ab", bytes(""))));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
