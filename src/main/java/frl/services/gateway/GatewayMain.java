package frl.services.gateway;

import frl.config.Env;
import frl.services.ServiceContext;
import frl.services.ServiceMain;

/** Starts gateway :8000 (management :8100), the only service clients talk to. */
public final class GatewayMain {
    public static void main(String[] args) {
        try {
            Env env = ServiceMain.env();
            var service = new GatewayService(ServiceContext.fromEnv(env), ServiceMain.url(env, "orders", ServiceMain.ORDERS_PORT));
            var at = ServiceMain.listeners(env, "gateway", ServiceMain.GATEWAY_PORT);
            ServiceMain.start(service.server(), at);
            service.server().stopOnShutdown(() -> { });
            ServiceMain.announce(service.server(), at);
        } catch (Exception e) {
            ServiceMain.fail("gateway", e);
        }
    }
}
