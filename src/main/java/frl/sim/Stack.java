package frl.sim;

import frl.resilience.AdaptiveBulkhead;
import frl.resilience.Bulkhead;
import frl.resilience.RetryBudget;
import frl.resilience.RetryGate;
import frl.resilience.compose.Resilience;
import frl.resilience.retry.Retry;
import frl.resilience.Sleeper;
import frl.resilience.breaker.CircuitBreaker;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One simulated stack for one run of one configuration: the five services, their patterns, the
 * processor, the row locks, the ledger, and the event loop they all share.
 * <pre>
 *   client -&gt; gateway -&gt; orders -&gt; inventory   (row locks)
 *                               -&gt; payments    (the processor: the bottleneck)
 *                               -&gt; notifications (direct, or the outbox relay in F)
 * </pre>
 * Randomness: one {@link Draws} stream per purpose, all from the run's seed: service times,
 * injected errors, latencies, and one jitter stream per calling service (as each real service
 * seeds its own).
 *
 * <p>Not thread-safe: one run, one thread. Build a new stack for every run (fresh breakers,
 * bulkheads, queues and ledger: what {@code POST /admin/reset} gives the real stack).
 */
public final class Stack {
    private static final int SERVICE_TIMES = 0;
    private static final int ERRORS = 1;
    private static final int LATENCIES = 2;
    private static final int JITTER = 3; // 3, 4, ...: one per calling service

    /** The patterns never wait here: a wait is an event. A pattern that tried to sleep would be a bug. */
    private static final Sleeper NEVER = d -> {
        throw new IllegalStateException("a pattern tried to sleep " + d + " in virtual time; waits must be events");
    };

    final EventLoop loop = new EventLoop();
    final Knobs.Setup setup;
    final Model model;
    final Watcher watcher;
    final Delays delays;
    final Ledger ledger;
    final Processor processor;
    final RowLocks locks;
    final LockHog hog;
    private final long seed;
    private final Map<String, Draws> jitter = new HashMap<>();
    final Payments payments;
    final Inventory inventory;
    final Notifications notifications;
    final Orders orders;
    final Gateway gateway;

    public Stack(Knobs.Setup setup, Model model, long seed, Watcher watcher) {
        this.setup = setup;
        this.model = model;
        this.seed = seed;
        this.watcher = watcher;
        this.delays = new Delays(loop, new Draws(seed, LATENCIES), model);
        this.ledger = new Ledger(model.products(), model.stockEach());
        Draws serviceTimes = new Draws(seed, SERVICE_TIMES);
        double mean = model.paymentServiceMean().toNanos();
        this.processor = new Processor(loop, model.paymentSlots(),
                () -> serviceTimes.logNormalNanos(mean, model.paymentSigma()), model.paymentMaxQueueWait());
        this.locks = new RowLocks(loop, model.products());
        this.hog = new LockHog(loop, locks, model.hotProducts(), model.lockGap().toNanos());
        this.payments = new Payments(this, new Draws(seed, ERRORS));
        this.inventory = new Inventory(this);
        this.notifications = new Notifications(this);
        this.orders = new Orders(this);
        this.gateway = new Gateway(this);
        if (setup.outbox()) {
            orders.startRelay();
        }
    }

    public EventLoop loop() {
        return loop;
    }

    /** Every service's counters, in the order the harness lists services. */
    public List<Tally> tallies() {
        return List.of(gateway.tally, orders.tally, payments.tally, inventory.tally, notifications.tally);
    }

    /**
     * A caller's patterns for one downstream, built from the configuration as
     * {@code frl.http.PatternRegistry} builds them: Retry (jitter from the caller's own stream,
     * asking the downstream's own retry budget in G), hop timeout, a breaker named
     * "caller-&gt;downstream" whose transitions are counted, a bulkhead where the configuration
     * puts one, an adaptive limit where G puts one. The one place the simulator makes a breaker.
     */
    Resilience patterns(Tally caller, String downstream) {
        Resilience r = Resilience.none(loop);
        String name = caller.service + "->" + downstream;
        if (setup.retry() != null) {
            RetryGate gate = RetryGate.UNLIMITED;
            if (setup.retryBudget() != null) {
                RetryBudget budget = new RetryBudget(name, setup.retryBudget(), loop);
                caller.budget(budget);
                gate = budget;
            }
            r = r.withRetry(new Retry(setup.retry(), loop, NEVER, jitter(caller)::uniform, null, gate));
        }
        if (setup.timeouts()) {
            r = r.withHopTimeout(setup.hopTimeout());
        }
        int hop = caller.downstream(downstream);
        if (setup.breaker() != null) {
            CircuitBreaker breaker = new CircuitBreaker(name, setup.breaker(), loop);
            breaker.addListener((n, from, to) -> {
                caller.breakerTransition(hop, from, to);
                watcher.transition(n, loop.nanoTime(), from, to);
            });
            r = r.withBreaker(breaker);
        }
        int slots = setup.bulkheadFor(downstream);
        if (slots > 0) {
            r = r.withBulkhead(new Bulkhead(name, Bulkhead.Config.of(slots)));
        } else if (setup.adaptiveFor(downstream)) {
            r = r.withBulkhead(new AdaptiveBulkhead(name, setup.adaptive(), loop));
        }
        return r;
    }

    /**
     * G's compensation path to a downstream, as {@code PatternRegistry.forCompensation} builds it:
     * its own retries (jitter from the caller's stream) and hop timeout, no breaker, no bulkhead,
     * no budget. Null when the configuration releases through the forward path (A..F).
     */
    Resilience compensation(Tally caller) {
        if (setup.compensation() == null) {
            return null;
        }
        return Resilience.none(loop)
                .withRetry(new Retry(setup.compensation().retry(), loop, NEVER, jitter(caller)::uniform, null))
                .withHopTimeout(setup.compensation().timeouts().hopTimeout());
    }

    private Draws jitter(Tally caller) {
        return jitter.computeIfAbsent(caller.service, s -> new Draws(seed, JITTER + jitter.size()));
    }
}
