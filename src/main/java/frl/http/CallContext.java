package frl.http;

import frl.config.LabConfig;
import frl.resilience.Deadline;

/**
 * What an outgoing call carries from the request that caused it: the configuration (which
 * patterns wrap the call), the deadline, the request id and the idempotency key. Background work
 * (the recovery sweep, the outbox relay) makes its own. Immutable.
 *
 * @param deadline the caller's deadline, or null. Enforced (per-attempt timeouts, no attempt that
 *                 cannot finish) only when the configuration has timeouts; always propagated, so
 *                 every hop can count work finished after the caller gave up.
 */
public record CallContext(LabConfig config, Deadline deadline, String requestId, String idempotencyKey) {

    public static CallContext of(Request r) {
        return new CallContext(r.config(), r.deadline(), r.requestId(), r.header(Headers.IDEMPOTENCY_KEY));
    }

    public CallContext withDeadline(Deadline d) {
        return new CallContext(config, d, requestId, idempotencyKey);
    }
}
