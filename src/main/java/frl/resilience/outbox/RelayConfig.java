package frl.resilience.outbox;

import java.time.Duration;

/**
 * The knobs of an {@link OutboxRelay}, and its retry schedule as a pure function.
 *
 * <ul>
 *   <li>{@code batchSize} (50): larger means fewer round trips but longer-held locks and more
 *       redelivery after a crash.</li>
 *   <li>{@code pollInterval} (200 ms): the wait after a round that delivered nothing; longer delays
 *       events, shorter spends queries on an idle table.</li>
 *   <li>{@code retryBase} (1 s), {@code retryCap} (5 min): the delay after the n-th failed attempt is
 *       {@code min(cap, base * 2^(n-1))}; a small cap hammers a consumer that is down, a large one
 *       delays recovery after it comes back.</li>
 * </ul>
 */
public record RelayConfig(int batchSize, Duration pollInterval, Duration retryBase, Duration retryCap) {
    public static final int DEFAULT_BATCH_SIZE = 50;
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(200);
    public static final Duration DEFAULT_RETRY_BASE = Duration.ofSeconds(1);
    public static final Duration DEFAULT_RETRY_CAP = Duration.ofMinutes(5);

    public RelayConfig {
        if (batchSize < 1 || pollInterval == null || pollInterval.isNegative()) {
            throw new IllegalArgumentException("need batchSize >= 1 and pollInterval >= 0, was batchSize="
                    + batchSize + " pollInterval=" + pollInterval);
        }
        if (retryBase == null || retryBase.toMillis() < 1 || retryCap == null
                || retryCap.compareTo(retryBase) < 0 || retryCap.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("need 1 ms <= retryBase <= retryCap <= 1 day, was retryBase="
                    + retryBase + " retryCap=" + retryCap);
        }
    }

    public static RelayConfig defaults() {
        return new RelayConfig(DEFAULT_BATCH_SIZE, DEFAULT_POLL_INTERVAL, DEFAULT_RETRY_BASE, DEFAULT_RETRY_CAP);
    }

    /** Delay after the n-th failed attempt (n >= 1): min(cap, base * 2^(n-1)). Pure. */
    static Duration retryDelay(int failedAttempts, Duration base, Duration cap) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("failedAttempts must be >= 1, was " + failedAttempts);
        }
        long ms = base.toMillis();
        for (int n = 1; n < failedAttempts && ms < cap.toMillis(); n++) {
            ms *= 2; // cannot overflow: ms < cap <= 1 day before doubling
        }
        return Duration.ofMillis(Math.min(ms, cap.toMillis()));
    }
}
