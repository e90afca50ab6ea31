package frl.resilience.idempotency;

/**
 * The idempotency store could not reach Redis, so it cannot tell a first request from a retry.
 * The store fails closed: the request is refused with 503 (see {@link IdempotencyStore} for why)
 * rather than run without protection against a double execution.
 */
public final class IdempotencyUnavailableException extends RuntimeException {
    private final String store;

    public IdempotencyUnavailableException(String store, Throwable cause) {
        super("idempotency store '" + store + "' unavailable, refusing the request (fail closed, 503): "
                + cause.getMessage(), cause);
        this.store = store;
    }

    /** The namespace of the store that refused. */
    public String store() {
        return store;
    }
}
