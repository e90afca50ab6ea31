package frl.experiment.load;

/**
 * The fate of one scheduled arrival, handed by the driver to its sinks.
 *
 * @param arrival        index in the schedule
 * @param intendedNanos  intended send time, nanoseconds after the run's start
 * @param latencyNanos   from the intended send time (not the actual one) to the final answer or
 *                       give-up; a NOT_SENT_ON_TIME arrival is charged the full client timeout
 *                       (see {@link LoadDriver})
 * @param outcome        the final outcome (a success on any attempt is a success)
 * @param attempts       attempts actually sent (0 if never sent)
 * @param status         HTTP status of the final attempt, 0 if none
 * @param orderId        order id from a 201 body, or null
 */
public record RequestResult(int arrival, long intendedNanos, long latencyNanos, Outcome outcome,
                            int attempts, int status, String orderId) {
    public boolean sent() {
        return attempts > 0;
    }
}
