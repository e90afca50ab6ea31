package frl.resilience.idempotency;

import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Idempotency keys in Redis, with the semantics of the IETF draft "The Idempotency-Key HTTP Header
 * Field".
 *
 * <p>The failure it prevents: a client sends {@code POST /payments}, the charge succeeds, the
 * response is lost (a timeout, a reset connection), and the client's retry charges the customer a
 * second time. With a key, the retry gets the first request's stored response back instead.
 *
 * <p>States of one key, and the only transitions this class makes:
 * <pre>
 *   ABSENT    -> IN_FLIGHT  claim(): SET NX PX lockTimeout stores a token and the request fingerprint
 *   IN_FLIGHT -> COMPLETED  complete() by the claim's owner: stores fingerprint, status, body; PX ttl
 *   IN_FLIGHT -> ABSENT     abandon() by the owner, or the lock timeout expires (owner died or too slow)
 *   ABSENT    -> COMPLETED  complete() by an owner whose lock expired, if nobody claimed the key since
 *   COMPLETED -> ABSENT     the ttl expires
 * </pre>
 * What {@link #claim} answers: ABSENT gives {@link Claimed} (do the work, then complete or abandon);
 * IN_FLIGHT with the same fingerprint gives {@link InFlight} (409); COMPLETED with the same
 * fingerprint gives {@link Replay} (the stored status and body; the caller adds
 * {@code Idempotent-Replayed: true}); another fingerprint in either state gives {@link Mismatch}
 * (422). A malformed key is an {@link IllegalArgumentException} (400).
 *
 * <p>Knobs ({@link Config}): {@code ttl} (default 24 h) is how long a response is replayed; a
 * client retrying later than that runs the operation again, and a longer ttl costs Redis memory.
 * {@code lockTimeout} (default 30 s) is how long a claim lives without complete() or abandon(). Too
 * short, and a slow but live request loses its claim while a retry runs the same operation beside
 * it: the double charge this class exists to prevent, so keep it above the longest request's
 * deadline. Too long, and after its owner crashes the key answers 409 for that long.
 *
 * <p>Fail closed: when Redis cannot be reached every method throws
 * {@link IdempotencyUnavailableException} (503) instead of running the request unprotected. Failing
 * open would turn each Redis outage into a silent window in which retries double-charge; failing
 * closed turns it into visible, retryable 503s. The price is that the protected route is only as
 * available as Redis, which the lab measures rather than hides.
 *
 * <p>This class is thread-safe: it has no mutable state. Every decision is one atomic Redis command
 * or Lua script, so Redis orders concurrent claimants, in this JVM or any other. How a key's state
 * is written into its one Redis string is {@link StoredKey}.
 */
public final class IdempotencyStore {
    public static final int MAX_KEY_LENGTH = 255;

    /** Knobs; see the class comment for what goes wrong when each is set badly. */
    public record Config(String namespace, Duration ttl, Duration lockTimeout) {
        public static final Duration DEFAULT_TTL = Duration.ofHours(24);
        public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(30);

        public Config {
            if (namespace == null || !namespace.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw new IllegalArgumentException("namespace must be 1..64 characters of [A-Za-z0-9_.-], was " + namespace);
            }
            if (ttl == null || ttl.toMillis() < 1) {
                throw new IllegalArgumentException("ttl must be at least 1 ms, was " + ttl);
            }
            if (lockTimeout == null || lockTimeout.toMillis() < 1 || lockTimeout.compareTo(ttl) > 0) {
                throw new IllegalArgumentException("lockTimeout must be 1 ms..ttl (" + ttl + "), was " + lockTimeout);
            }
        }

        public static Config defaults(String namespace) {
            return new Config(namespace, DEFAULT_TTL, DEFAULT_LOCK_TIMEOUT);
        }
    }

    /** The answer to {@link #claim}; the class comment says which state gives which. */
    public sealed interface Claim permits Claimed, Replay, InFlight, Mismatch { }

    public record Claimed(String key, String token, String fingerprint) implements Claim { }
    public record Replay(int status, String body) implements Claim { }
    public record InFlight(String key) implements Claim { }
    public record Mismatch(String key) implements Claim { }

    // Store the response if we still own the claim, or if our claim expired and nobody took the
    // key since (the response is still the right answer for a retry). Never over another claim.
    private static final String COMPLETE_IF_OWNER = """
            local v = redis.call('GET', KEYS[1])
            if v == ARGV[1] or not v then
              redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
              return 1
            end
            return 0""";

    // Compare-and-delete in one script. A plain DEL is a race: our lock expires while we are slow,
    // request B claims the key, and our DEL removes B's claim, so a third request runs beside B.
    // GET-then-DEL from here has the same hole between the two commands; a script runs atomically.
    private static final String DELETE_IF_OWNER = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0""";

    // SET NX and GET are two commands (SET NX GET needs Redis 7), so the key can vanish between
    // them; we then try again, a bounded number of times.
    private static final int CLAIM_TRIES = 3;

    private final RedisClient redis;
    private final Config config;

    public IdempotencyStore(RedisClient redis, Config config) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Claims {@code key} for the request with this fingerprint, or says why not.
     *
     * @throws IllegalArgumentException if the key is not 1..255 printable ASCII characters (400)
     * @throws IdempotencyUnavailableException if Redis cannot be reached (503)
     */
    public Claim claim(String key, String fingerprint) {
        StoredKey.requireValid(key);
        if (fingerprint == null || fingerprint.isEmpty() || fingerprint.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("fingerprint must be non-empty and single-line, was " + fingerprint);
        }
        // The token tells our claim from a later one on the same key; a random UUID is an identity,
        // not a draw that changes behaviour, so it need not be injected.
        String token = UUID.randomUUID().toString();
        String inFlight = StoredKey.inFlight(token, fingerprint);
        try {
            for (int i = 0; i < CLAIM_TRIES; i++) {
                String set = redis.set(redisKey(key), inFlight, SetParams.setParams().nx().px(config.lockTimeout().toMillis()));
                if ("OK".equals(set)) {
                    return new Claimed(key, token, fingerprint);
                }
                String stored = redis.get(redisKey(key));
                if (stored != null) {
                    return StoredKey.answer(key, stored, fingerprint);
                }
            }
            return new InFlight(key); // others keep claiming and letting go: the client should retry
        } catch (JedisException e) {
            throw new IdempotencyUnavailableException(config.namespace(), e);
        }
    }

    /**
     * Stores the response for replay for {@code ttl}. Complete only with an answer every retry
     * should get; after a transient failure (a 5xx) {@link #abandon} instead, so a retry can run.
     * Returns false if the claim was lost (lock timeout exceeded and the key claimed by another
     * request): the lock timeout is too short for this route, and the operation may have run twice.
     * If this throws because Redis went away, the key stays IN_FLIGHT until the lock times out and
     * a retry then runs the operation again; the database's unique keys are the line behind this one.
     */
    public boolean complete(Claimed claim, int status, String body) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP status 100..599, was " + status);
        }
        Objects.requireNonNull(body, "body");
        return run(COMPLETE_IF_OWNER, claim.key(), StoredKey.inFlight(claim.token(), claim.fingerprint()),
                StoredKey.completed(claim.fingerprint(), status, body), Long.toString(config.ttl().toMillis()));
    }

    /** Releases the claim so a retry can run now. Does nothing (returns false) if it is no longer ours. */
    public boolean abandon(Claimed claim) {
        return run(DELETE_IF_OWNER, claim.key(), StoredKey.inFlight(claim.token(), claim.fingerprint()));
    }

    /**
     * The request fingerprint: SHA-256 (lower-case hex) of method, path and body bytes. The '\n'
     * separators cannot occur in a method or request target, so ("POST", "/a", "b") and
     * ("POST", "/ab", "") differ. Headers are left out on purpose: a retry may change them.
     */
    public static String fingerprint(String method, String path, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((method + "\n" + path + "\n").getBytes(StandardCharsets.UTF_8));
            sha.update(body);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    String redisKey(String key) {
        return "idem:" + config.namespace() + ":" + key;
    }

    private boolean run(String script, String key, String... args) {
        try {
            return Long.valueOf(1).equals(redis.eval(script, List.of(redisKey(key)), List.of(args)));
        } catch (JedisException e) {
            throw new IdempotencyUnavailableException(config.namespace(), e);
        }
    }
}
