package frl.services;

import com.zaxxer.hikari.HikariDataSource;
import frl.config.Env;
import frl.http.ServiceServer;
import frl.infra.Databases;

import java.net.URI;

/**
 * What the five {@code main} methods share: reading the environment, opening a pool and applying
 * a schema, and printing one line when the service is up. Each service's own Main stays a dozen
 * lines that a reader can take in at a glance.
 *
 * <p>Environment (all optional except the admin token): {@code LAB_BIND} (default 127.0.0.1),
 * {@code LAB_<SERVICE>_PORT}, {@code LAB_<SERVICE>_URL}, {@code LAB_<DB>_DB_URL} (JDBC),
 * {@code LAB_REDIS_URL}, {@code LAB_ADMIN_TOKEN}, {@code LAB_CONFIG}, {@code LAB_SEED} and the
 * {@code LAB_*} knobs of {@link frl.config.ConfigTable}.
 */
public final class ServiceMain {
    public static final int GATEWAY_PORT = 8000;
    public static final int ORDERS_PORT = 8001;
    public static final int PAYMENTS_PORT = 8002;
    public static final int INVENTORY_PORT = 8003;
    public static final int NOTIFICATIONS_PORT = 8004;

    private ServiceMain() {
    }

    public static Env env() {
        ServiceServer.configureJdkServer();
        return Env.system();
    }

    public static String bind(Env env) {
        return env.get("LAB_BIND", "127.0.0.1");
    }

    public static int port(Env env, String service, int fallback) {
        return env.port("LAB_" + service.toUpperCase() + "_PORT", fallback);
    }

    public static URI url(Env env, String service, int defaultPort) {
        return URI.create(env.get("LAB_" + service.toUpperCase() + "_URL", "http://127.0.0.1:" + defaultPort));
    }

    /** A pool on {@code LAB_<DB>_DB_URL} with the database's schema applied (idempotent). */
    public static HikariDataSource database(Env env, String db, int poolSize) throws Exception {
        String url = env.get("LAB_" + db.toUpperCase() + "_DB_URL",
                "jdbc:postgresql://127.0.0.1:" + (db.equals("inventory") ? 5433 : 5432) + "/" + db + "?user=postgres");
        HikariDataSource ds = Databases.pool(url, poolSize, db);
        Databases.applySchema(ds, "sql/" + db + ".sql");
        return ds;
    }

    public static void announce(String service, String host, int port) {
        System.out.printf("%s listening on http://%s:%d (pid %d)%n", service, host, port, ProcessHandle.current().pid());
    }

    /** Exits with one clear line instead of a stack trace when start-up fails (port taken, database down). */
    public static void fail(String service, Exception e) {
        System.err.println(service + " could not start: " + e.getMessage());
        System.exit(1);
    }
}
