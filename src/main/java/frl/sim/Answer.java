package frl.sim;

/**
 * What a caller learns from a call through its patterns: the last attempt's reply, or the
 * exception it ended with (a timeout, or a breaker's, bulkhead's or deadline's refusal), exactly
 * what {@code Resilience.call} returns or throws in the real stack.
 */
record Answer(Reply reply, Throwable error) {

    boolean is(int status) {
        return reply != null && reply.status() == status;
    }
}
