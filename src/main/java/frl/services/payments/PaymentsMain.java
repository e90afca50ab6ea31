package frl.services.payments;

import frl.config.Env;
import frl.services.ServiceContext;
import frl.services.ServiceMain;

import java.time.Duration;

/** Starts payments :8002 (management :8102). Knobs: LAB_PAYMENT_SLOTS, LAB_PAYMENT_SERVICE_MS, LAB_PAYMENT_SIGMA, LAB_SEED. */
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
            var service = new PaymentsService(ctx, ledger, processor);
            var at = ServiceMain.listeners(env, "payments", ServiceMain.PAYMENTS_PORT);
            ServiceMain.start(service.server(), at);
            service.server().stopOnShutdown(ledger);
            ServiceMain.announce(service.server(), at);
        } catch (Exception e) {
            ServiceMain.fail("payments", e);
        }
    }
}
