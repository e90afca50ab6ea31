package frl.experiment.load;

import java.time.Duration;

/**
 * How the simulated clients behave: the client-side levers of every experiment, named so that
 * run.json records them.
 *
 * @param timeout       how long a client waits for one attempt. Default 3 s, the client timeout of
 *                      Huang et al.'s metastability reproduction (OSDI 2022). Too long and a
 *                      collapse looks like slowness; too short and healthy requests count as failures.
 * @param resends       how many times a client re-sends an arrival (same Idempotency-Key, at once)
 *                      after a TIMEOUT; 0 = never. Huang's client re-sends up to 4 times: the
 *                      sustaining effect of a retry storm. Re-sends are also what creates
 *                      duplicates for idempotency keys (config F) to prevent.
 * @param sendSlack     how late the driver may start an arrival and still send it. Later than this
 *                      the arrival counts as NOT_SENT_ON_TIME and is not sent. It measures the
 *                      driver, not the service: a non-zero count means the load machine lagged.
 * @param deadlineHeader whether to send {@code X-Deadline-Remaining-Ms} (the attempt's timeout),
 *                      which services may propagate (configs C..F) to drop work nobody waits for.
 *
 * <p>Immutable.
 */
public record ClientPolicy(Duration timeout, int resends, Duration sendSlack, boolean deadlineHeader) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
    public static final int DEFAULT_RESENDS = 0;
    public static final Duration DEFAULT_SEND_SLACK = Duration.ofMillis(100);
    public static final boolean DEFAULT_DEADLINE_HEADER = true;
    /** More re-sends than this is a typo, not an experiment (4 already means 5x load). */
    public static final int MAX_RESENDS = 10;

    public ClientPolicy {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("client timeout must be positive, was " + timeout);
        }
        if (resends < 0 || resends > MAX_RESENDS) {
            throw new IllegalArgumentException("resends must be 0.." + MAX_RESENDS + ", was " + resends);
        }
        if (sendSlack == null || sendSlack.isNegative() || sendSlack.compareTo(timeout) >= 0) {
            throw new IllegalArgumentException("send slack must be >= 0 and below the timeout " + timeout + ", was " + sendSlack);
        }
    }

    public static ClientPolicy defaults() {
        return new ClientPolicy(DEFAULT_TIMEOUT, DEFAULT_RESENDS, DEFAULT_SEND_SLACK, DEFAULT_DEADLINE_HEADER);
    }

    public ClientPolicy withTimeout(Duration t) {
        return new ClientPolicy(t, resends, sendSlack, deadlineHeader);
    }

    public ClientPolicy withResends(int n) {
        return new ClientPolicy(timeout, n, sendSlack, deadlineHeader);
    }

    /** Longest an arrival can take: every attempt times out. Drains wait at least this long. */
    public Duration worstCase() {
        return timeout.multipliedBy(resends + 1L).plus(sendSlack);
    }
}
