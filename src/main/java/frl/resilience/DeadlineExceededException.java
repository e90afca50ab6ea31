package frl.resilience;

/**
 * The caller's time budget is spent before the work could start (or go on): maps to HTTP 504.
 *
 * <p>Unchecked, so it passes through {@code Callable}s and lambdas untouched. {@link frl.resilience.retry.Retry} never
 * retries it: once the budget is gone, no later attempt can finish in time either.
 */
public class DeadlineExceededException extends RuntimeException {
    public DeadlineExceededException(String message) {
        super(message);
    }
}
