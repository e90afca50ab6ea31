package frl.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import frl.config.LabConfig;
import frl.resilience.Bulkhead;
import frl.resilience.NanoClock;
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
 * <p>Breakers and bulkheads are kept per configuration <em>and</em> downstream, so an experiment
 * run of config D never inherits an open breaker from a run of config E. {@link #reset()} drops
 * them all (fresh state per run); the next call builds new ones.
 *
 * <p>Breaker transitions feed the metrics ({@code lab_breaker_state}, transitions counter) and the
 * run counters. Jitter draws come from one {@link SplittableRandom} seeded with the experiment
 * seed, guarded by its own lock, so a run's backoff schedule is reproducible in distribution.
 * Thread-safe: a concurrent map; building a stack twice in a race is harmless (computeIfAbsent).
 */
public final class PatternRegistry {
    private final NanoClock clock;
    private final Sleeper sleeper;
    private final ServiceServer server;
    private final Map<String, Resilience> stacks = new ConcurrentHashMap<>();
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
    }

    public Resilience forCall(LabConfig config, String downstream) {
        return stacks.computeIfAbsent(config.name() + "/" + downstream, k -> build(config, downstream));
    }

    private Resilience build(LabConfig config, String downstream) {
        String name = server.service() + "->" + downstream;
        Resilience r = Resilience.none(clock);
        if (config.retry().maxAttempts() > 1) {
            r = r.withRetry(new Retry(config.retry(), clock, sleeper, this::draw, null));
        }
        if (config.timeouts().enabled()) {
            r = r.withHopTimeout(config.timeouts().config().hopTimeout());
        }
        if (config.breaker().enabled()) {
            r = r.withBreaker(breaker(name, config));
        }
        Bulkhead.Config bulkhead = config.bulkheads().config().forDownstream(downstream);
        if (config.bulkheads().enabled() && bulkhead != null) {
            r = r.withBulkhead(new Bulkhead(name, bulkhead));
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
