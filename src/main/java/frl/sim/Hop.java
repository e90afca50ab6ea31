package frl.sim;

import frl.resilience.BulkheadFullException;
import frl.resilience.Deadline;
import frl.resilience.DeadlineExceededException;
import frl.resilience.compose.Passage;
import frl.resilience.compose.Resilience;
import frl.resilience.retry.Attempts;
import frl.resilience.retry.Retry;
import frl.resilience.retry.Verdict;

import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One caller's calls to one downstream, through the caller's {@link Resilience} for it: the
 * simulated {@code frl.http.Downstream}. Each call is the loop {@code Resilience.call} runs,
 * <pre>
 *   Retry( CircuitBreaker( Bulkhead( Timeout( call ) ) ) )
 * </pre>
 * cut at its waits so that virtual time can pass between the steps:
 * <ol>
 *   <li>{@link Retry#start} (a spent deadline ends the call before any attempt);
 *   <li>{@link Resilience#enter}: the breaker's permission, a bulkhead slot and the attempt's
 *       timeout, {@code min(hop timeout, deadline remaining)}; a refusal is the attempt's outcome;
 *   <li>the request crosses the network, the downstream handles it, the answer crosses back, or
 *       the timeout fires first (the downstream keeps working: nobody tells it, as in the real
 *       stack, and its late answer is read by nobody);
 *   <li>{@link Passage#returned} or {@link Passage#threw} gives the slot
 *       back and tells the breaker; {@link Attempts#judge} decides; after
 *       {@link Attempts#delay()} of virtual time, {@link Attempts#resume()}.
 * </ol>
 * Every decision (retry or not, how long to wait, trip or not, admit or not) is the patterns'
 * own; this class only waits. Answers are classified by {@link Verdict#ofHttp}, a timeout is the
 * JDK's {@link HttpTimeoutException}, as in the real stack.
 *
 * <p>Counting follows Downstream: an attempt that was sent counts, a second or later one as a
 * retry; a call that ends refused by a full bulkhead counts one bulkhead rejection.
 *
 * <p>Not thread-safe: one run, one thread.
 */
final class Hop {

    /** A downstream's handler: the deadline header it receives (whole ms, -1 for none), where to answer. */
    @FunctionalInterface
    interface Endpoint {
        void handle(long deadlineHeaderMs, Consumer<Reply> respond);
    }

    /** An attempt's timeout: the class the JDK client throws, without a stack (one shared instance). */
    static final HttpTimeoutException TIMEOUT = new Timeout();

    private static final class Timeout extends HttpTimeoutException {
        Timeout() {
            super("request timed out");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // thrown by the thousand in a storm; where it came from is always this class
        }
    }

    private final EventLoop loop;
    private final Delays delays;
    private final Watcher watcher;
    private final Resilience resilience;
    private final boolean enforceDeadline;
    private final Tally tally;
    private final String downstreamName;
    private final int downstream;

    /**
     * The caller's patterns for this downstream come from {@link Stack#patterns}; deadlines are
     * enforced when the configuration has timeouts, and otherwise only propagated in the header.
     */
    Hop(Stack stack, Tally caller, String downstream) {
        this(stack, caller, downstream, stack.patterns(caller, downstream), stack.setup.timeouts());
    }

    /**
     * G's compensating calls to a downstream ({@link Stack#compensation}): their own patterns, and
     * their own deadline, always enforced. Null when the configuration has no compensation path.
     */
    static Hop compensating(Stack stack, Tally caller, String downstream) {
        Resilience own = stack.compensation(caller);
        return own == null ? null : new Hop(stack, caller, downstream, own, true);
    }

    private Hop(Stack stack, Tally caller, String downstream, Resilience resilience, boolean enforceDeadline) {
        this.loop = stack.loop;
        this.delays = stack.delays;
        this.watcher = stack.watcher;
        this.resilience = resilience;
        this.enforceDeadline = enforceDeadline;
        this.tally = caller;
        this.downstreamName = downstream;
        this.downstream = caller.downstream(downstream);
    }

    /** Calls {@code endpoint} with {@code deadline} (null: none) and hands the answer to {@code done}. */
    void call(Deadline deadline, Endpoint endpoint, Consumer<Answer> done) {
        new Call(deadline, endpoint, done).begin();
    }

    private final class Call {
        private final Deadline propagated;
        private final Deadline enforced;
        private final Endpoint endpoint;
        private final Consumer<Answer> done;
        private Attempts attempts; // null: no retry layer
        private int sent;

        Call(Deadline deadline, Endpoint endpoint, Consumer<Answer> done) {
            this.propagated = deadline;
            this.enforced = enforceDeadline ? deadline : null;
            this.endpoint = endpoint;
            this.done = done;
        }

        void begin() {
            Retry retry = resilience.retry();
            if (retry != null) {
                try {
                    attempts = retry.start(enforced);
                } catch (DeadlineExceededException spent) {
                    finish(null, spent);
                    return;
                }
            }
            attempt();
        }

        void attempt() {
            long start = loop.nanoTime();
            Passage passage;
            try {
                passage = resilience.enter(enforced);
            } catch (RuntimeException refused) { // open breaker, full bulkhead, spent deadline
                judge(null, refused, Verdict.of(refused), 0);
                return;
            } catch (InterruptedException e) {
                throw new IllegalStateException("nothing waits on a real thread in a simulation", e);
            }
            tally.sent(downstream, ++sent > 1);
            long header = propagated == null ? -1 : propagated.remaining().toMillis();
            InFlight attempt = new InFlight(passage, start);
            Duration timeout = passage.timeout();
            if (timeout != null) {
                attempt.timer = loop.after(timeout.toNanos(), attempt::timedOut);
            }
            delays.hop(() -> endpoint.handle(header, reply -> delays.hop(() -> attempt.answered(reply))));
        }

        /** One attempt on the wire: whichever of its answer and its timeout comes first ends it. */
        private final class InFlight {
            private final Passage passage;
            private final long start;
            private EventLoop.Event timer;
            private boolean over;

            InFlight(Passage passage, long start) {
                this.passage = passage;
                this.start = start;
            }

            void answered(Reply reply) {
                if (over) {
                    return; // the caller stopped waiting: an answer nobody reads
                }
                over = true;
                if (timer != null) {
                    timer.cancel();
                }
                Verdict verdict = Verdict.ofHttp(reply.status(), reply.retryAfter());
                long took = loop.nanoTime() - start;
                watcher.attempted(tally.service, downstreamName, loop.nanoTime(), verdict, null, took);
                passage.returned(verdict);
                judge(reply, null, verdict, took);
            }

            void timedOut() {
                if (over) {
                    return;
                }
                over = true;
                Verdict verdict = Verdict.of(TIMEOUT);
                long took = loop.nanoTime() - start;
                watcher.attempted(tally.service, downstreamName, loop.nanoTime(), verdict, TIMEOUT, took);
                passage.threw(TIMEOUT);
                judge(null, TIMEOUT, verdict, took);
            }
        }

        void judge(Reply reply, Throwable error, Verdict verdict, long tookNanos) {
            if (attempts == null || attempts.judge(verdict, error, tookNanos) != Retry.Next.RETRY) {
                finish(reply, error);
                return;
            }
            loop.after(attempts.delay().toNanos(), () -> {
                if (attempts.resume()) {
                    attempt();
                } else {
                    finish(reply, error); // the deadline passed during the wait
                }
            });
        }

        void finish(Reply reply, Throwable error) {
            if (error instanceof BulkheadFullException) {
                tally.bulkheadFull(downstream);
            }
            done.accept(new Answer(reply, error));
        }
    }
}
