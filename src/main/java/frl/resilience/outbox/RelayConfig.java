package frl.resilience.outbox;

import frl.resilience.Backoff;

import java.time.Duration;
import java.util.Objects;

/**
 * The knobs of an {@link OutboxRelay}.
 *
 * <ul>
 *   <li>{@code batchSize} ({@link #DEFAULT_BATCH_SIZE} 50): larger means fewer round trips but
 *       longer-held locks and more redelivery after a crash.</li>
 *   <li>{@code pollInterval} ({@link #DEFAULT_POLL_INTERVAL} 200 ms): the wait after a round that
 *       delivered nothing; longer delays events, shorter spends queries on an idle table.</li>
 *   <li>{@code retry} ({@link #DEFAULT_RETRY}: exponential from 1 s, cap 5 min, full jitter): the
 *       wait after an event's n-th failed delivery is {@code retry.delay(n, draw)}, the same
 *       {@link Backoff} the retries of a call use. A small cap hammers a consumer that is down, a
 *       large one delays recovery after it comes back. Jitter matters here as much as anywhere: a
 *       consumer outage fails every pending event in the same rounds, and without it they all fall
 *       due again in the same instant, a burst onto a consumer that has just come back.</li>
 * </ul>
 * Immutable, so thread-safe.
 */
public record RelayConfig(int batchSize, Duration pollInterval, Backoff retry) {
    public static final int DEFAULT_BATCH_SIZE = 50;
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(200);
    public static final Backoff DEFAULT_RETRY = Backoff.exponential(Duration.ofSeconds(1), Duration.ofMinutes(5),
            Backoff.DEFAULT_JITTER);

    public RelayConfig {
        Objects.requireNonNull(retry, "retry");
        if (batchSize < 1 || pollInterval == null || pollInterval.isNegative()) {
            throw new IllegalArgumentException("need batchSize >= 1 and pollInterval >= 0, was batchSize="
                    + batchSize + " pollInterval=" + pollInterval);
        }
        if (retry.base().toMillis() < 1) {
            // The delay is stored in whole milliseconds: a smaller base would retry a failing consumer every round.
            throw new IllegalArgumentException("the retry backoff needs a base of at least 1 ms, was " + retry.base());
        }
        if (retry.jitter() == Backoff.Jitter.DECORRELATED) {
            // Decorrelated jitter grows from the previous delay, which the outbox table does not keep.
            throw new IllegalArgumentException("the relay cannot use Jitter.DECORRELATED: it keeps no previous delay");
        }
    }

    public static RelayConfig defaults() {
        return new RelayConfig(DEFAULT_BATCH_SIZE, DEFAULT_POLL_INTERVAL, DEFAULT_RETRY);
    }

    /** The wait after an event's {@code failedAttempts}-th failed delivery, for a random draw in [0, 1). Pure. */
    Duration retryDelay(int failedAttempts, double draw) {
        return retry.delay(failedAttempts, null, draw);
    }
}
