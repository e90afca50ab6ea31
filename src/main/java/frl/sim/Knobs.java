package frl.sim;

import frl.config.ConfigTable;
import frl.config.Env;
import frl.config.LabConfig;
import frl.resilience.AdaptiveLimit;
import frl.resilience.LoadShedder;
import frl.resilience.RetryBudget;
import frl.resilience.retry.Retry;
import frl.resilience.breaker.CircuitBreakerConfig;
import frl.resilience.idempotency.IdempotencyStore;
import frl.services.inventory.InventoryService;
import frl.services.payments.PaymentProcessor;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place the simulator reads configuration: the configurations A-G from
 * {@link ConfigTable}, with the same {@code LAB_*} overrides the real stack takes, and the
 * {@link Model}'s knobs (the real processor's {@code LAB_PAYMENT_*}, the catalogue's
 * {@code LAB_PRODUCTS}/{@code LAB_STOCK}, and the simulator's own {@code LAB_SIM_HOP_US},
 * {@code LAB_SIM_DB_US}, {@code LAB_SIM_REDIS_US}).
 *
 * <p>Each configuration becomes a {@link Setup}: the patterns' own config records, taken from the
 * table and switched on exactly as the services switch them ({@code frl.http.PatternRegistry}):
 * retries only when more than one attempt is allowed, timeouts, breaker and shedding as their
 * layers say, bulkheads only in front of payments and inventory. A bulkhead is kept as its size:
 * the table's bulkheads reject at once, and a simulated caller must never wait on a real
 * semaphore. G's layers are the pattern records themselves: its retry budget, its adaptive limit
 * (in the bulkheads' places and at the gateway's door, where E and F shed) and its compensation
 * policy; its breaker is the table's, slow calls counted only past the hop timeout.
 *
 * <p>Immutable.
 */
public final class Knobs {

    /**
     * One configuration as the patterns see it. Null (or 0 for a bulkhead) means the layer is off.
     *
     * @param deadline     the budget the gateway starts; enforced only when {@code hopTimeout} is on
     *                     (A and B propagate it to count wasted work, as the real stack does)
     * @param retryBudget  a budget per downstream consulted before every retry (G), null for none
     * @param adaptive     adaptive limits where E and F have fixed bulkheads and shedding (G)
     * @param compensation the release's own retries, timeouts and deadline (G); null: the forward
     *                     path's patterns without a deadline, as A..F release
     */
    public record Setup(String name, String description, Retry.Policy retry, Duration hopTimeout, Duration deadline,
                        CircuitBreakerConfig breaker, int paymentsBulkhead, int inventoryBulkhead,
                        LoadShedder.Config shedding, RetryBudget.Config retryBudget, AdaptiveLimit.Config adaptive,
                        LabConfig.Compensation compensation, boolean idempotency, boolean outbox) {

        public boolean timeouts() {
            return hopTimeout != null;
        }

        /** The bulkhead size in front of a downstream, 0 for none. */
        public int bulkheadFor(String downstream) {
            return switch (downstream) {
                case "payments" -> paymentsBulkhead;
                case "inventory" -> inventoryBulkhead;
                default -> 0;
            };
        }

        /** Whether a downstream gets an adaptive limit: G puts one where E and F put a bulkhead. */
        public boolean adaptiveFor(String downstream) {
            return adaptive != null && (downstream.equals("payments") || downstream.equals("inventory"));
        }
    }

    private final ConfigTable table;
    private final Model model;

    private Knobs(ConfigTable table, Model model) {
        this.table = table;
        this.model = model;
    }

    public static Knobs defaults() {
        return fromEnv(Map.of());
    }

    /** From environment variables (use {@code System.getenv()} for the process's own). */
    public static Knobs fromEnv(Map<String, String> vars) {
        Env env = new Env(vars);
        Model model = new Model(
                env.integer("LAB_PAYMENT_SLOTS", PaymentProcessor.DEFAULT_SLOTS),
                env.millis("LAB_PAYMENT_SERVICE_MS", PaymentProcessor.DEFAULT_MEAN_SERVICE_TIME),
                env.decimal("LAB_PAYMENT_SIGMA", PaymentProcessor.DEFAULT_SIGMA),
                PaymentProcessor.MAX_QUEUE_WAIT,
                micros(env, "LAB_SIM_HOP_US", Model.DEFAULT_HOP_MEAN),
                micros(env, "LAB_SIM_DB_US", Model.DEFAULT_DB_MEAN),
                micros(env, "LAB_SIM_REDIS_US", Model.DEFAULT_REDIS_MEAN),
                Model.DEFAULT_LATENCY_SIGMA,
                env.integer("LAB_PRODUCTS", 20), // as InventoryMain seeds the catalogue
                InventoryService.HOT_PRODUCTS,
                env.integer("LAB_STOCK", Model.DEFAULT_STOCK_EACH),
                Model.DEFAULT_LOCK_GAP, Model.DEFAULT_RELAY_POLL, Model.DEFAULT_RELAY_BATCH,
                IdempotencyStore.Config.DEFAULT_LOCK_TIMEOUT);
        return new Knobs(ConfigTable.fromEnv(env), model);
    }

    private static Duration micros(Env env, String name, Duration fallback) {
        return Duration.ofNanos(1_000L * env.integer(name, (int) (fallback.toNanos() / 1_000)));
    }

    public Model model() {
        return model;
    }

    /** The same configurations in another world: a calibrated model ({@link CrossValidation}). */
    public Knobs withModel(Model other) {
        return new Knobs(table, other);
    }

    /** A configuration by letter. @throws IllegalArgumentException for an unknown one */
    public Setup setup(String name) {
        if (name == null || name.length() != 1) {
            throw new IllegalArgumentException("a configuration is one letter, A..G, was '" + name + "'");
        }
        LabConfig c = table.get(name.charAt(0));
        var bulk = c.bulkheads();
        return new Setup(String.valueOf(c.name()), c.description(),
                c.retry().maxAttempts() > 1 ? c.retry() : null,
                c.timeouts().enabled() ? c.timeouts().config().hopTimeout() : null, c.timeouts().config().budget(),
                c.breaker().enabled() ? c.breaker().config() : null,
                bulk.enabled() ? bulk.config().payments().maxConcurrent() : 0,
                bulk.enabled() ? bulk.config().inventory().maxConcurrent() : 0,
                c.shedding().enabled() ? c.shedding().config() : null,
                c.retryBudget().enabled() ? c.retryBudget().config() : null,
                c.adaptive().enabled() ? c.adaptive().config() : null,
                c.compensation().enabled() ? c.compensation().config() : null,
                c.idempotency(), c.outbox());
    }

    /** A configuration's knobs in words and numbers, for run.json. */
    public Map<String, Object> describe(String name) {
        Setup s = setup(name);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("description", s.description());
        m.put("retry", s.retry() == null ? "off" : s.retry().maxAttempts() + " attempts, " + s.retry().backoff());
        m.put("hop_timeout_ms", s.timeouts() ? s.hopTimeout().toMillis() : "off");
        m.put("deadline_ms", s.deadline().toMillis() + (s.timeouts() ? " (enforced)" : " (propagated, not enforced)"));
        m.put("breaker", s.breaker() == null ? "off" : s.breaker().toString());
        m.put("bulkheads", s.paymentsBulkhead() == 0 ? "off" : "payments " + s.paymentsBulkhead() + ", inventory " + s.inventoryBulkhead());
        m.put("shedding", s.shedding() == null ? "off" : "max in flight " + s.shedding().maxInFlight());
        m.put("retry_budget", s.retryBudget() == null ? "off" : s.retryBudget().toString());
        m.put("adaptive_limits", s.adaptive() == null ? "off" : "gateway, payments, inventory: " + s.adaptive());
        m.put("compensation", s.compensation() == null ? "forward path, no deadline"
                : s.compensation().retry().maxAttempts() + " attempts, " + s.compensation().retry().backoff()
                + ", hop timeout " + s.compensation().timeouts().hopTimeout().toMillis() + " ms, deadline "
                + s.compensation().timeouts().budget().toMillis() + " ms");
        m.put("idempotency_keys", s.idempotency());
        m.put("outbox", s.outbox());
        return m;
    }
}
