package frl.sim;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the simulator assumes about the world the patterns live in: every number that is not a
 * pattern's knob. The patterns' knobs come from the configuration table ({@link Knobs}); these
 * stand in for the real stack's machinery, and each names what it models.
 *
 * <ul>
 *   <li><b>The payment processor</b> (the bottleneck, as in {@code PaymentProcessor}):
 *       {@code paymentSlots} 4 x log-normal service time of mean {@code paymentServiceMean} 50 ms,
 *       {@code paymentSigma} 0.5 = 80 payments/s; a request without an enforced deadline waits at
 *       most {@code paymentMaxQueueWait} 60 s for a slot. Same defaults and same LAB_* knobs as
 *       the real processor.
 *   <li><b>The network</b>: one HTTP hop, one way, log-normal of mean {@code hopMean} 0.3 ms
 *       (sigma {@code latencySigma}). Request and answer each pay one hop.
 *   <li><b>The databases</b>: one PostgreSQL statement or transaction {@code dbMean} 0.6 ms, one
 *       Redis command {@code redisMean} 0.2 ms. With the hops this puts about 5 ms of overhead
 *       around the processor, as the real stack's baseline p50 at half load (about 50 ms over a
 *       44 ms median service time, results/20261126T195453Z-payment_errors) suggests.
 *       {@link CrossValidation} calibrates it (and the service time) from a real folder.
 *   <li><b>The catalogue</b>: {@code products} 20, each order takes 2 units of one of them
 *       (arrival i: product i mod 20, as the load driver's body does), {@code stockEach} 1,000,000;
 *       the inventory_lock fault holds the first {@code hotProducts} 5 rows' locks, pausing
 *       {@code lockGap} 100 ms between holds (the real {@code LockContention.GAP}).
 *   <li><b>The outbox relay</b> (F): polls every {@code relayPoll} 200 ms, {@code relayBatch} 50
 *       rows a round (the real {@code Notifier.RELAY}).
 *   <li><b>Idempotency keys</b> (F): an IN_FLIGHT claim lives {@code claimTimeout} 30 s.
 * </ul>
 * What the model leaves out, on purpose: CPU contention and GC pauses (the real stack shares two
 * cores with its load driver), connection-pool limits, TCP connection set-up, and the orders
 * recovery sweep (it acts after 120 s, beyond a run's drain).
 *
 * <p>Immutable.
 */
public record Model(int paymentSlots, Duration paymentServiceMean, double paymentSigma, Duration paymentMaxQueueWait,
                    Duration hopMean, Duration dbMean, Duration redisMean, double latencySigma,
                    int products, int hotProducts, int stockEach, Duration lockGap,
                    Duration relayPoll, int relayBatch, Duration claimTimeout) {

    public static final Duration DEFAULT_HOP_MEAN = Duration.ofNanos(300_000);
    public static final Duration DEFAULT_DB_MEAN = Duration.ofNanos(600_000);
    public static final Duration DEFAULT_REDIS_MEAN = Duration.ofNanos(200_000);
    public static final double DEFAULT_LATENCY_SIGMA = 0.5;
    public static final int DEFAULT_STOCK_EACH = 1_000_000;
    public static final Duration DEFAULT_LOCK_GAP = Duration.ofMillis(100);
    public static final Duration DEFAULT_RELAY_POLL = Duration.ofMillis(200);
    public static final int DEFAULT_RELAY_BATCH = 50;
    /** Units per order and price per unit, as in the load driver's default body. */
    public static final int QUANTITY = 2;
    public static final long UNIT_PRICE_CENTS = 2999;

    public Model {
        if (paymentSlots < 1 || products < 1 || hotProducts < 0 || hotProducts > products || relayBatch < 1 || stockEach < 0) {
            throw new IllegalArgumentException("need paymentSlots >= 1, products >= 1, 0 <= hotProducts <= products,"
                    + " relayBatch >= 1, stockEach >= 0; were " + paymentSlots + ", " + products + ", " + hotProducts
                    + ", " + relayBatch + ", " + stockEach);
        }
        for (Duration d : new Duration[]{paymentServiceMean, paymentMaxQueueWait, hopMean, dbMean, redisMean, relayPoll, claimTimeout}) {
            if (!d.isPositive()) {
                throw new IllegalArgumentException("model durations must be positive, one was " + d);
            }
        }
        if (paymentSigma < 0 || paymentSigma > 2 || latencySigma < 0 || latencySigma > 2) {
            throw new IllegalArgumentException("sigmas must lie in [0, 2], were " + paymentSigma + " and " + latencySigma);
        }
    }

    /**
     * This model with a measured processor and network: the mean service time that gives
     * {@code capacityPerSecond} with the same slots, and the given one-way hop mean.
     */
    public Model calibrated(double capacityPerSecond, Duration hop) {
        if (!(capacityPerSecond > 0) || !hop.isPositive()) {
            throw new IllegalArgumentException("need a positive capacity and hop latency, were " + capacityPerSecond + " and " + hop);
        }
        Duration service = Duration.ofNanos(Math.round(paymentSlots * 1e9 / capacityPerSecond));
        return new Model(paymentSlots, service, paymentSigma, paymentMaxQueueWait, hop, dbMean, redisMean, latencySigma,
                products, hotProducts, stockEach, lockGap, relayPoll, relayBatch, claimTimeout);
    }

    /** Payments per second the processor can serve: slots / mean service time. */
    public double capacity() {
        return paymentSlots / (paymentServiceMean.toNanos() / 1e9);
    }

    /** Every knob, for run.json. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("payment_slots", paymentSlots);
        m.put("payment_service_mean_ms", paymentServiceMean.toNanos() / 1e6);
        m.put("payment_service_sigma", paymentSigma);
        m.put("payment_max_queue_wait_ms", paymentMaxQueueWait.toMillis());
        m.put("capacity_per_second", capacity());
        m.put("hop_mean_ms", hopMean.toNanos() / 1e6);
        m.put("db_mean_ms", dbMean.toNanos() / 1e6);
        m.put("redis_mean_ms", redisMean.toNanos() / 1e6);
        m.put("latency_sigma", latencySigma);
        m.put("products", products);
        m.put("hot_products", hotProducts);
        m.put("stock_each", stockEach);
        m.put("lock_gap_ms", lockGap.toMillis());
        m.put("relay_poll_ms", relayPoll.toMillis());
        m.put("relay_batch", relayBatch);
        m.put("claim_timeout_ms", claimTimeout.toMillis());
        return m;
    }
}
