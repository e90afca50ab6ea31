package frl.http;

/** Names of the headers every hop understands (see docs/architecture.md). */
public final class Headers {
    public static final String CONFIG = "X-Client-Config";
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    public static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";
    public static final String REQUEST_ID = "X-Request-Id";
    public static final String DEADLINE = frl.resilience.Deadline.HEADER;
    public static final String RETRY_AFTER = "Retry-After";
    public static final String AUTHORIZATION = "Authorization";

    private Headers() {
    }
}
