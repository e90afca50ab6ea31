package frl.resilience.idempotency;

import frl.resilience.idempotency.IdempotencyStore.Claim;
import frl.resilience.idempotency.IdempotencyStore.InFlight;
import frl.resilience.idempotency.IdempotencyStore.Mismatch;
import frl.resilience.idempotency.IdempotencyStore.Replay;

/**
 * What a client may send as an Idempotency-Key, and how {@link IdempotencyStore} writes a key's
 * state into Redis: one string per key, because {@code SET NX} works on strings only.
 * <pre>
 *   IN_FLIGHT   "I\n&lt;token&gt;\n&lt;fingerprint&gt;"
 *   COMPLETED   "C\n&lt;fingerprint&gt;\n&lt;status&gt;\n&lt;body&gt;"
 * </pre>
 * The token (a UUID) and the fingerprint (hex) never contain {@code '\n'}; the body comes last, so
 * it may. The store's Lua scripts compare whole values, so an owner recognises its claim by
 * rebuilding the same string. Stateless, so thread-safe.
 */
public final class StoredKey {
    private StoredKey() {
    }

    static String inFlight(String token, String fingerprint) {
        return "I\n" + token + "\n" + fingerprint;
    }

    static String completed(String fingerprint, int status, String body) {
        return "C\n" + fingerprint + "\n" + status + "\n" + body;
    }

    /** What {@link IdempotencyStore#claim} answers when {@code stored} is already there (see its table). */
    static Claim answer(String key, String stored, String fingerprint) {
        String[] f = stored.split("\n", 4);
        boolean completed = f[0].equals("C");
        if (!fingerprint.equals(completed ? f[1] : f[2])) {
            return new Mismatch(key);
        }
        return completed ? new Replay(Integer.parseInt(f[2]), f[3]) : new InFlight(key);
    }

    /** @throws IllegalArgumentException if the key is not 1..255 printable ASCII characters (HTTP 400) */
    public static void requireValid(String key) {
        if (key == null || key.isEmpty() || key.length() > IdempotencyStore.MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("Idempotency-Key must be 1.." + IdempotencyStore.MAX_KEY_LENGTH
                    + " characters, was " + (key == null ? "missing" : key.length() + " characters"));
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException(String.format(
                        "Idempotency-Key must be printable ASCII; character %d is U+%04X", i, (int) c));
            }
        }
    }
}
