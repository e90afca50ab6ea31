// Notebook 06: idempotency keys
//
// What it teaches: how frl.resilience.idempotency.IdempotencyStore makes a retried POST safe.
// The first request claims its key; a duplicate that arrives while it runs is told "in flight"
// (409); once it completes, a retry gets the stored response back (a replay, no second charge);
// the same key on a different request is a mismatch (422). It runs against a real Redis, started
// here from a Maven artifact and stopped at the end.
//
// Run it:   make notebook NB=06
//           (the target runs: jshell --class-path <runtime classpath> notebooks/06-idempotency-keys.jsh)
// Checked:  each "// expect: <line>" is a line the code above it prints. NotebookTest runs this
//           file and fails unless those lines appear in the output in this order (whitespace at
//           either end ignored). Keys, bodies and answers are fixed, so the output is too.

import frl.infra.RedisServerHandle;
import frl.resilience.idempotency.IdempotencyStore;
import frl.resilience.idempotency.IdempotencyStore.*;
import redis.clients.jedis.RedisClient;
import java.nio.charset.StandardCharsets;

// Step 1. A real Redis on a free port of 127.0.0.1, and a store with the lab's defaults:
// a claim lives 30 s without an answer, and an answer is replayed for 24 h.
RedisServerHandle redisServer = RedisServerHandle.start(0);
RedisClient redis = RedisClient.create(redisServer.url());
IdempotencyStore store = new IdempotencyStore(redis, IdempotencyStore.Config.defaults("notebook"));
System.out.println("embedded Redis: " + redisServer.isEmbedded() + ", PING -> " + redis.ping());
// expect: embedded Redis: true, PING -> PONG

// The fingerprint tells one request from another: SHA-256 of method, path and body. A retry of
// the same request has the same fingerprint, whatever its headers.
String charge = "{\"order_id\":\"o-1\",\"amount_cents\":5998}";
String fingerprint = IdempotencyStore.fingerprint("POST", "/payments", charge.getBytes(StandardCharsets.UTF_8));

// Step 2. The first request with Idempotency-Key: pay-001 claims the key and does the work.
Claim first = store.claim("pay-001", fingerprint);
System.out.println("first request: " + first.getClass().getSimpleName());
// expect: first request: Claimed

// Step 3. The client times out and retries while the first is still charging the card.
// Running it too would charge twice; it is told to come back later.
System.out.println("duplicate while running: " + store.claim("pay-001", fingerprint) + " -> HTTP 409");
// expect: duplicate while running: InFlight[key=pay-001] -> HTTP 409

// Step 4. The first request finishes and stores its response, which Redis keeps for 24 h.
boolean stored = store.complete((Claimed) first, 201, "{\"payment_id\":\"p-1\",\"status\":\"CHARGED\"}");
long ttlHours = Math.round(redis.pttl("idem:notebook:pay-001") / 3_600_000.0);
System.out.println("completed: " + stored + ", replayed for about " + ttlHours + " h");
// expect: completed: true, replayed for about 24 h

// Step 5. Every retry from now on gets that response back, without running anything.
Claim retry = store.claim("pay-001", fingerprint);
System.out.println("retry: " + retry + " -> HTTP " + ((Replay) retry).status() + ", Idempotent-Replayed: true");
// expect: retry: Replay[status=201, body={"payment_id":"p-1","status":"CHARGED"}] -> HTTP 201, Idempotent-Replayed: true

// Step 6. The same key with a different body is a client bug (a reused key), not a retry:
// replaying the first answer would hide it, and running it would break the key's promise.
String other = "{\"order_id\":\"o-2\",\"amount_cents\":100}";
Claim reused = store.claim("pay-001", IdempotencyStore.fingerprint("POST", "/payments", other.getBytes(StandardCharsets.UTF_8)));
System.out.println("same key, other request: " + reused + " -> HTTP 422");
// expect: same key, other request: Mismatch[key=pay-001] -> HTTP 422

// Step 7. A request that fails transiently (payments answered 503) abandons its claim instead of
// completing it, so the client's retry runs the work for real.
Claimed second = (Claimed) store.claim("pay-002", fingerprint);
System.out.println("abandoned: " + store.abandon(second) + ", retry: " + store.claim("pay-002", fingerprint).getClass().getSimpleName());
// expect: abandoned: true, retry: Claimed

// A malformed key is refused before Redis is asked (HTTP 400).
try { store.claim("", fingerprint); } catch (IllegalArgumentException e) { System.out.println("empty key: " + e.getMessage()); }
// expect: empty key: Idempotency-Key must be 1..255 characters, was 0 characters

// Step 8. Stop Redis. The store now fails closed: it refuses (HTTP 503) rather than let a
// retry run unprotected and charge twice.
redisServer.close();
try {
    store.claim("pay-003", fingerprint);
} catch (frl.resilience.idempotency.IdempotencyUnavailableException e) {
    System.out.println("Redis down: " + e.getClass().getSimpleName() + " from store '" + e.store() + "' -> HTTP 503");
}
redis.close();
// expect: Redis down: IdempotencyUnavailableException from store 'notebook' -> HTTP 503

/exit
