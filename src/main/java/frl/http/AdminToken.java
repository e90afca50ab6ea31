package frl.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The shared secret of the admin and chaos endpoints, checked in constant time.
 *
 * <p>The failure it prevents: a comparison that stops at the first wrong byte (or at a length
 * mismatch) answers a little faster the more of the token a guess gets wrong, so a patient caller
 * can recover it byte by byte from response times. Comparing the SHA-256 digests of the token and
 * of the guess with {@link MessageDigest#isEqual} makes the work the same for every guess: both
 * sides are 32 bytes whatever the guess's length, and {@code isEqual} reads all of them.
 *
 * <p>A token shorter than {@link #MIN_LENGTH} characters is refused at start-up: 16 random hex
 * characters are 64 bits, beyond guessing over HTTP; "admin" is not.
 *
 * <p>Immutable, so thread-safe.
 */
public final class AdminToken {
    /** The shortest token a service or the stack accepts. */
    public static final int MIN_LENGTH = 16;

    private final byte[] digest;

    /** @throws IllegalArgumentException if the token is missing or shorter than {@link #MIN_LENGTH} (the message says which) */
    public AdminToken(String token) {
        if (token == null || token.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("the admin token (LAB_ADMIN_TOKEN) must be at least " + MIN_LENGTH
                    + " characters, got " + (token == null ? "none" : token.length())
                    + "; unset it and `make run-stack` makes a random one, or use e.g. `openssl rand -hex 16`");
        }
        this.digest = sha256(token);
    }

    /** True when {@code authorization} is {@code "Bearer <token>"}; null or any other form is false. Constant time. */
    public boolean admits(String authorization) {
        String given = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7).trim() : "";
        return MessageDigest.isEqual(digest, sha256(given));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
