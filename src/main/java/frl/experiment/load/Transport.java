package frl.experiment.load;

import java.time.Duration;

/**
 * One attempt of one arrival, sent somewhere: the only thing the load driver needs from HTTP.
 *
 * <p>Kept apart from {@link LoadDriver} so the driver's timing rules are tested with a transport
 * that answers instantly on a fake clock, and the real one ({@code stack.HttpTransport}) is tested
 * against a local server.
 *
 * <p>Contract: network failures are outcomes, never exceptions; an implementation returns within
 * about {@link Attempt#timeout()} and throws only {@link InterruptedException}. Implementations
 * are called concurrently from many threads and must be thread-safe.
 */
@FunctionalInterface
public interface Transport {

    Reply send(Attempt attempt) throws InterruptedException;

    /**
     * @param arrival        index of the scheduled arrival
     * @param idempotencyKey the arrival's key, the same on every attempt
     * @param attempt        1 for the first send, 2.. for client re-sends after a timeout
     * @param timeout        how long this attempt may wait for an answer
     */
    record Attempt(int arrival, String idempotencyKey, int attempt, Duration timeout) {
    }

    /**
     * @param outcome  how the attempt ended
     * @param status   the HTTP status, or 0 if there was no response
     * @param orderId  the {@code order_id} of a 201 body, or null
     */
    record Reply(Outcome outcome, int status, String orderId) {
        public static Reply of(Outcome outcome) {
            return new Reply(outcome, 0, null);
        }
    }
}
