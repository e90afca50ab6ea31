package frl.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import frl.config.LabConfig;
import frl.resilience.AdaptiveBulkhead;
import frl.resilience.Bulkhead;
import frl.resilience.Deadline;
import frl.resilience.NanoClock;
import frl.resilience.RetryBudget;
import frl.resilience.RetryGate;
import frl.resilience.Sleeper;
import frl.resilience.breaker.CircuitBreaker;
import frl.resilience.breaker.Snapshot;
import frl.resilience.compose.Resilience;
import frl.resilience.retry.Retry;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pattern instances of one service: a {@link Resilience} stack per (configuration, downstream),
 * built on first use from the pattern records the configuration holds.
 *
 * <p>Breakers, bulkheads, adaptive limits and retry budgets are kept per configuration <em>and</em>
 * downstream, so an experiment run of config D never inherits an open breaker from a run of config
 * E, and G's budget for payments counts only G's calls to payments. {@link #reset()} drops them all
 * (fresh state per run); the next call builds new ones.
 *
 * <p>Configuration G's compensating calls get a stack of their own ({@link #forCompensation}):
 * its retries and timeouts from {@link LabConfig.Compensation}, no breaker, no bulkhead, no budget,
 * so the forward path refusing (the reason a compensation is needed) never refuses the release.
 *
 * <p>Breaker transitions feed the metrics ({@code lab_breaker_state}, transitions counter) and the
 * run counters; so do retries a budget refused ({@code lab_retry_budget_refusals_total},
 * {@code retry_budget_refusals}). Adaptive limits are read at each scrape ({@code lab_adaptive_limit}).
 * Jitter draws come from one {@link SplittableRandom} seeded with the experiment seed, guarded by
 * its own lock, so a run's backoff schedule is reproducible in distribution.
 * Thread-safe: a concurrent map; building a stack twice in a race is harmless (computeIfAbsent).
 */
public final class PatternRegistry {
    private final NanoClock clock;
    private final Sleeper sleeper;
    private final ServiceServer server;
    private final Map<String, Resilience> stacks = new ConcurrentHashMap<>();
    /** G's retry budgets, keyed as {@link #stacks}, kept apart only to be shown in {@code /status/limits}. */
    private final Map<String, RetryBudget> budgets = new ConcurrentHashMap<>();
    private final SplittableRandom random;

    /**
     * @param clock   the patterns' clock, and the retries' {@code sleeper}: real in production, fake in tests
     * @param seed    the experiment seed; each service draws from its own stream of it
     */
    public PatternRegistry(NanoClock clock, Sleeper sleeper, long seed, ServiceServer server) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.server = server;
        this.random = new SplittableRandom(seed ^ server.service().hashCode());
        server.metrics().addAdaptiveLimits(gauge -> stacks.forEach((key, r) -> {
            if (r.bulkhead() instanceof AdaptiveBulkhead a) {
                gauge.call(a.limit(), a.name(), key.substring(0, 1));
            }
        }));
    }

    public Resilience forCall(LabConfig config, String downstream) {
        return stacks.computeIfAbsent(config.name() + "/" + downstream, k -> build(config, downstream));
    }

    /**
     * The stack of a compensating call in a configuration with a compensation path (G): its own
     * retries and hop timeout, nothing that refuses. Call it with {@link #compensationDeadline}.
     */
    public Resilience forCompensation(LabConfig config, String downstream) {
        LabConfig.Compensation c = config.compensation().config();
        return stacks.computeIfAbsent(config.name() + "/" + downstream + "/compensation", k -> Resilience.none(clock)
                .withRetry(new Retry(c.retry(), clock, sleeper, this::draw, null))
                .withHopTimeout(c.timeouts().hopTimeout()));
    }

    /** A compensation's own deadline, started now: not the failed request's, which is often spent. */
    public Deadline compensationDeadline(LabConfig config) {
        return Deadline.after(config.compensation().config().timeouts().budget(), clock);
    }

    private Resilience build(LabConfig config, String downstream) {
        String name = server.service() + "->" + downstream;
        String key = config.name() + "/" + downstream;
        Resilience r = Resilience.none(clock);
        if (config.retry().maxAttempts() > 1) {
            RetryGate gate = RetryGate.UNLIMITED;
            if (config.retryBudget().enabled()) {
                gate = budgets.computeIfAbsent(key, k -> new RetryBudget(name, config.retryBudget().config(), clock));
            }
            String cfg = String.valueOf(config.name());
            r = r.withRetry(new Retry(config.retry(), clock, sleeper, this::draw, event -> {
                if (event.next() == Retry.Next.GIVE_UP_BUDGET) {
                    server.counters().retryBudgetRefusal();
                    server.metrics().retryBudgetRefusals.labelValues(downstream, cfg).inc();
                }
            }, gate));
        }
        if (config.timeouts().enabled()) {
            r = r.withHopTimeout(config.timeouts().config().hopTimeout());
        }
        if (config.breaker().enabled()) {
            r = r.withBreaker(breaker(name, config));
        }
        // The downstreams E and F give a fixed bulkhead get an adaptive one in G, in the same slot.
        Bulkhead.Config bulkhead = config.bulkheads().config().forDownstream(downstream);
        if (config.bulkheads().enabled() && bulkhead != null) {
            r = r.withBulkhead(new Bulkhead(name, bulkhead));
        } else if (config.adaptive().enabled() && bulkhead != null) {
            r = r.withBulkhead(new AdaptiveBulkhead(name, config.adaptive().config(), clock));
        }
        return r;
    }

    /** A breaker whose transitions feed the metrics and the run counters. */
    private CircuitBreaker breaker(String name, LabConfig config) {
        CircuitBreaker breaker = new CircuitBreaker(name, config.breaker().config(), clock);
        String cfg = String.valueOf(config.name());
        breaker.addListener((n, from, to) -> {
            server.counters().breakerTransition();
            server.metrics().breakerTransitions.labelValues(n, cfg, from.name(), to.name()).inc();
            server.metrics().breakerState.labelValues(n, cfg).set(switch (to) {
                case CLOSED -> 0;
                case OPEN -> 1;
                case HALF_OPEN -> 2;
            });
        });
        server.metrics().breakerState.labelValues(name, cfg).set(0);
        return breaker;
    }

    private double draw() {
        synchronized (random) {
            return random.nextDouble();
        }
    }

    /** Fresh state for a run: every breaker closed, every bulkhead empty (built anew on next use). */
    public void reset() {
        stacks.clear();
        budgets.clear();
    }

    /**
     * Every adaptive limit and retry budget built so far, keyed "config/downstream", as
     * {@code GET /status/limits} shows them.
     */
    public ObjectNode limitsJson() {
        ObjectNode o = Json.object();
        ObjectNode limits = o.putObject("adaptive_limits");
        new TreeMap<>(stacks).forEach((key, r) -> {
            if (r.bulkhead() instanceof AdaptiveBulkhead a) {
                limits.set(key, adaptiveJson(a, key.substring(0, 1)));
            }
        });
        ObjectNode budgetsJson = o.putObject("retry_budgets");
        new TreeMap<>(budgets).forEach((key, b) -> {
            RetryBudget.Snapshot s = b.snapshot();
            budgetsJson.putObject(key).put("name", s.name()).put("config", key.substring(0, 1))
                    .put("requests", s.requests()).put("retries", s.retries())
                    .put("retries_left", s.retriesLeft()).put("refusals", s.refusals());
        });
        return o;
    }

    /** One adaptive limit as {@code /status/limits} shows it (the gateway's front door uses it too). */
    public static ObjectNode adaptiveJson(AdaptiveBulkhead a, String config) {
        return Json.object().put("name", a.name()).put("config", config).put("limit", a.limit())
                .put("in_flight", a.inFlight()).put("rejections", a.rejections())
                .put("used", Math.round(a.estimate().used() * 1000) / 1000.0);
    }

    /** Every breaker built so far, keyed "config/downstream", as {@code GET /status/breakers} shows it. */
    public ObjectNode breakersJson() {
        ObjectNode o = Json.object();
        Map<String, Resilience> sorted = new TreeMap<>(stacks);
        sorted.forEach((key, r) -> {
            if (r.breaker() != null) {
                Snapshot s = r.breaker().snapshot();
                o.putObject(key).put("name", s.name()).put("config", key.substring(0, 1)).put("state", s.state().name())
                        .put("failures", s.failures()).put("calls", s.calls())
                        .put("failure_rate_percent", Math.round(s.failureRatePercent() * 10) / 10.0)
                        .put("millis_until_half_open", s.millisUntilHalfOpen());
            }
        });
        return o;
    }
}
