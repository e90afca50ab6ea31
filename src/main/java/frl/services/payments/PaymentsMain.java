package frl.services.payments;

import frl.config.Env;
import frl.services.ServiceContext;
import frl.services.ServiceMain;

import java.time.Duration;

/**
 * Starts payments :8002 (management :8102) and its reconciliation loop. Knobs: LAB_PAYMENT_SLOTS,
 * LAB_PAYMENT_SERVICE_MS, LAB_PAYMENT_SIGMA, LAB_SEED, LAB_RECONCILE_INTERVAL_MS (30000),
 * LAB_RECONCILE_MIN_AGE_MS (5000).
 */
public final class PaymentsMain {
    public static void main(String[] args) {
        try {
            Env env = ServiceMain.env();
            ServiceContext ctx = ServiceContext.fromEnv(env);
            var ledger = ServiceMain.database(env, "payments", 16);
            var processor = new PaymentProcessor(
                    env.integer("LAB_PAYMENT_SLOTS", PaymentProcessor.DEFAULT_SLOTS),
                    env.millis("LAB_PAYMENT_SERVICE_MS", PaymentProcessor.DEFAULT_MEAN_SERVICE_TIME),
                    env.decimal("LAB_PAYMENT_SIGMA", PaymentProcessor.DEFAULT_SIGMA), ctx.seed(), ctx.sleeper());
            var reconciliation = new Reconciliation(ledger, Reconciliation.ordersAt(
                    ServiceMain.url(env, "orders", ServiceMain.ORDERS_PORT), Duration.ofSeconds(2)),
                    env.millis("LAB_RECONCILE_MIN_AGE_MS", Reconciliation.DEFAULT_MIN_AGE));
            var service = new PaymentsService(ctx, ledger, processor).reconcileWith(reconciliation);
            var at = ServiceMain.listeners(env, "payments", ServiceMain.PAYMENTS_PORT);
            ServiceMain.start(service.server(), at);
            reconciliation.start(env.millis("LAB_RECONCILE_INTERVAL_MS", Reconciliation.DEFAULT_INTERVAL), ctx.sleeper());
            service.server().stopOnShutdown(ledger);
            ServiceMain.announce(service.server(), at);
        } catch (Exception e) {
            ServiceMain.fail("payments", e);
        }
    }
}
