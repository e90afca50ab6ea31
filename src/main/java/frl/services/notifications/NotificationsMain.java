package frl.services.notifications;

import frl.config.Env;
import frl.services.ServiceContext;
import frl.services.ServiceMain;

/** Starts notifications :8004 (management :8104). */
public final class NotificationsMain {
    public static void main(String[] args) {
        try {
            Env env = ServiceMain.env();
            ServiceContext ctx = ServiceContext.fromEnv(env);
            var db = ServiceMain.database(env, "notifications", 8);
            var service = new NotificationsService(ctx, db);
            var at = ServiceMain.listeners(env, "notifications", ServiceMain.NOTIFICATIONS_PORT);
            ServiceMain.start(service.server(), at);
            service.server().stopOnShutdown(db);
            ServiceMain.announce(service.server(), at);
        } catch (Exception e) {
            ServiceMain.fail("notifications", e);
        }
    }
}
