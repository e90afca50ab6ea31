package frl.services.inventory;

import frl.config.Env;
import frl.infra.Databases;
import frl.services.ServiceContext;
import frl.services.ServiceMain;

/** Starts inventory :8003 (management :8103) and seeds the catalogue. Knobs: LAB_PRODUCTS (20), LAB_STOCK (1000000 each). */
public final class InventoryMain {
    public static void main(String[] args) {
        try {
            Env env = ServiceMain.env();
            ServiceContext ctx = ServiceContext.fromEnv(env);
            var db = ServiceMain.database(env, "inventory", 24);
            Databases.seedCatalogue(db, env.integer("LAB_PRODUCTS", 20), env.integer("LAB_STOCK", 1_000_000));
            var service = new InventoryService(ctx, db);
            var at = ServiceMain.listeners(env, "inventory", ServiceMain.INVENTORY_PORT);
            ServiceMain.start(service.server(), at);
            service.server().stopOnShutdown(() -> {
                service.close();
                db.close();
            });
            ServiceMain.announce(service.server(), at);
        } catch (Exception e) {
            ServiceMain.fail("inventory", e);
        }
    }
}
