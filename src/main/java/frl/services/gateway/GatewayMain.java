package frl.services.gateway;

import frl.config.Env;
import frl.services.ServiceContext;
import frl.services.ServiceMain;

/** Starts gateway :8000, the only service clients talk to. */
public final class GatewayMain {
    public static void main(String[] args) {
        try {
            Env env = ServiceMain.env();
            var service = new GatewayService(ServiceContext.fromEnv(env), ServiceMain.url(env, "orders", ServiceMain.ORDERS_PORT));
            String host = ServiceMain.bind(env);
            int port = service.server().start(host, ServiceMain.port(env, "gateway", ServiceMain.GATEWAY_PORT));
            service.server().stopOnShutdown(() -> { });
            ServiceMain.announce("gateway", host, port);
        } catch (Exception e) {
            ServiceMain.fail("gateway", e);
        }
    }
}
