package frl.resilience;

/**
 * A bulkhead had no free slot within its max wait: maps to HTTP 503. Names the bulkhead.
 *
 * <p>No stack trace: this is thrown on the hot path exactly when the system is overloaded, and
 * filling in a stack per rejection would spend CPU at the worst moment. The name says where.
 */
public class BulkheadFullException extends RuntimeException {
    private final String bulkheadName;

    public BulkheadFullException(String bulkheadName, int maxConcurrent) {
        super("bulkhead '" + bulkheadName + "' is full (" + maxConcurrent + " calls in flight)", null, false, false);
        this.bulkheadName = bulkheadName;
    }

    public String bulkheadName() {
        return bulkheadName;
    }
}
