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
 * @param run      the run the request arrived in ({@link ServiceServer#run()}), or {@link #NOT_A_RUN}
 *                 for background work. After {@code POST /admin/reset} ends that run, the request
 *                 may still read and compensate (GET, DELETE) but sends nothing that creates work
 *                 downstream (see {@link Downstream#call}).
 */
public record CallContext(LabConfig config, Deadline deadline, String requestId, String idempotencyKey, long run) {
    /** The run of background work (the recovery sweep, the outbox relay): never ended by a reset. */
    public static final long NOT_A_RUN = -1;

    /** Background work's context, tied to no run. */
    public CallContext(LabConfig config, Deadline deadline, String requestId, String idempotencyKey) {
        this(config, deadline, requestId, idempotencyKey, NOT_A_RUN);
    }

    public static CallContext of(Request r) {
        return new CallContext(r.config(), r.deadline(), r.requestId(), r.header(Headers.IDEMPOTENCY_KEY), r.run());
    }

    public CallContext withDeadline(Deadline d) {
        return new CallContext(config, d, requestId, idempotencyKey, run);
    }
}
