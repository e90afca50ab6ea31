package frl.sim;

/**
 * The open-model client in virtual time, with the load driver's rules ({@code LoadDriver}):
 * arrival {@code i} is sent at its intended time whatever happened before (Poisson offsets from
 * the harness's own {@code Schedule}); each attempt waits at most the client timeout; a timed-out
 * arrival is re-sent at once with the same Idempotency-Key, up to {@code resends} times; latency
 * runs from the intended time to the final answer or give-up. A virtual driver never lags, so
 * no arrival is ever "not sent on time".
 *
 * <p>Each attempt carries {@code X-Deadline-Remaining-Ms} = the attempt's timeout when the
 * policy says so, and orders product {@code i mod products}, as the real body does.
 *
 * <p>Not thread-safe: one run, one thread.
 */
final class Client {

    /** Told of each arrival's fate once: status 0 means every attempt timed out. */
    @FunctionalInterface
    interface Fate {
        void finished(int arrival, long latencyNanos, int status, int attempts, long orderId);
    }

    private final Stack stack;
    private final long[] offsets;
    private final long timeoutNanos;
    private final int resends;
    private final boolean deadlineHeader;
    private final Fate fate;
    private int next;

    Client(Stack stack, long[] offsets, long timeoutNanos, int resends, boolean deadlineHeader, Fate fate) {
        this.stack = stack;
        this.offsets = offsets;
        this.timeoutNanos = timeoutNanos;
        this.resends = resends;
        this.deadlineHeader = deadlineHeader;
        this.fate = fate;
    }

    /** Schedules the arrivals, one event ahead at a time (the queue stays small). */
    void start() {
        if (offsets.length > 0) {
            stack.loop.at(offsets[0], this::arrive);
        }
    }

    private void arrive() {
        int i = next++;
        if (next < offsets.length) {
            stack.loop.at(offsets[next], this::arrive);
        }
        new Arrival(i, offsets[i]).send(1);
    }

    private final class Arrival {
        private final int index;
        private final long due;
        private final String key;
        private final int product;

        Arrival(int index, long due) {
            this.index = index;
            this.due = due;
            this.key = "k" + index;
            this.product = index % stack.model.products();
        }

        void send(int attempt) {
            boolean[] over = new boolean[1];
            EventLoop.Event timer = stack.loop.after(timeoutNanos, () -> {
                over[0] = true;
                if (attempt <= resends) {
                    send(attempt + 1);
                } else {
                    fate.finished(index, stack.loop.nanoTime() - due, 0, attempt, 0);
                }
            });
            long header = deadlineHeader ? timeoutNanos / 1_000_000 : -1;
            stack.delays.hop(() -> stack.gateway.create(key, header, product, reply -> stack.delays.hop(() -> {
                if (!over[0]) {
                    over[0] = true;
                    timer.cancel();
                    fate.finished(index, stack.loop.nanoTime() - due, reply.status(), attempt, reply.orderId());
                }
            })));
        }
    }
}
