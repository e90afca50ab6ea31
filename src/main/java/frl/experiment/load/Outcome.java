package frl.experiment.load;

/**
 * What became of one scheduled arrival, as the client saw it.
 *
 * <p>Success is exactly one thing: HTTP 201 (order confirmed) within the client timeout. Every
 * other fate is a failure of one named kind, so the failure columns of a bin add up with the
 * successes to the scheduled arrivals:
 * <ul>
 *   <li>{@link #TIMEOUT}: no answer within the client timeout (the connection is then abandoned);
 *   <li>{@link #HTTP_5XX}, {@link #HTTP_4XX}: an answer, but a refusal (503 shed, 504 deadline,
 *       402 declined, 409 conflict...);
 *   <li>{@link #CONNECTION}: the request could not be delivered or its answer read (refused,
 *       reset, closed early);
 *   <li>{@link #NOT_SENT_ON_TIME}: the driver could not start it within its send slack of the
 *       intended time, so it was never sent (a driver problem, reported rather than hidden);
 *   <li>{@link #OTHER_STATUS}: any other status (1xx/2xx other than 201/3xx), which the contract
 *       never sends; seeing one is a contract bug worth a column.
 * </ul>
 */
public enum Outcome {
    SUCCESS("succeeded"),
    TIMEOUT("timeout"),
    HTTP_5XX("5xx"),
    HTTP_4XX("4xx"),
    CONNECTION("connection"),
    NOT_SENT_ON_TIME("not_sent_on_time"),
    OTHER_STATUS("other_status");

    /** Column name in CSV files and summaries. */
    public final String label;

    Outcome(String label) {
        this.label = label;
    }

    /** The outcome of a response that arrived within the timeout. */
    public static Outcome ofStatus(int status) {
        if (status == 201) {
            return SUCCESS;
        }
        if (status >= 500 && status <= 599) {
            return HTTP_5XX;
        }
        if (status >= 400 && status <= 499) {
            return HTTP_4XX;
        }
        return OTHER_STATUS;
    }

    public boolean isFailure() {
        return this != SUCCESS;
    }
}
