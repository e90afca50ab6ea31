package frl.services.orders;

import frl.config.Env;
import frl.resilience.idempotency.IdempotencyStore;
import frl.services.ServiceContext;
import frl.services.ServiceMain;
import redis.clients.jedis.RedisClient;

import java.net.URI;
import java.util.Map;

/** Starts orders :8001 (management :8101) with its outbox relay and recovery sweep. Knob: LAB_SWEEP_AFTER_MS (120000). */
public final class OrdersMain {
    public static void main(String[] args) {
        try {
            Env env = ServiceMain.env();
            ServiceContext ctx = ServiceContext.fromEnv(env);
            var db = ServiceMain.database(env, "orders", 24);
            RedisClient redis = RedisClient.create(env.get("LAB_REDIS_URL", "redis://127.0.0.1:6379"));
            var idempotency = new IdempotencyStore(redis, IdempotencyStore.Config.defaults("orders"));
            Map<String, URI> urls = Map.of(
                    "inventory", ServiceMain.url(env, "inventory", ServiceMain.INVENTORY_PORT),
                    "payments", ServiceMain.url(env, "payments", ServiceMain.PAYMENTS_PORT),
                    "notifications", ServiceMain.url(env, "notifications", ServiceMain.NOTIFICATIONS_PORT));
            var service = new OrdersService(ctx, db, idempotency, () -> "PONG".equals(redis.ping()), urls,
                    env.millis("LAB_SWEEP_AFTER_MS", OrdersService.DEFAULT_SWEEP_AFTER));
            var at = ServiceMain.listeners(env, "orders", ServiceMain.ORDERS_PORT);
            service.start(at);
            service.server().stopOnShutdown(() -> {
                service.close();
                redis.close();
                db.close();
            });
            ServiceMain.announce(service.server(), at);
        } catch (Exception e) {
            ServiceMain.fail("orders", e);
        }
    }
}
