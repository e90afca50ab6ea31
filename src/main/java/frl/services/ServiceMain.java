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
 * {@code LAB_<SERVICE>_PORT}, {@code LAB_<SERVICE>_ADMIN_PORT} (the management listener: default
 * the service port + {@value #ADMIN_PORT_OFFSET}, 0 = a free port), {@code LAB_ADMIN_BIND}
 * (where the management listener binds, default 127.0.0.1: admin stays off the network unless
 * asked), {@code LAB_<SERVICE>_URL}, {@code LAB_<DB>_DB_URL} (JDBC),
 * {@code LAB_REDIS_URL}, {@code LAB_ADMIN_TOKEN}, {@code LAB_CONFIG}, {@code LAB_SEED} and the
 * {@code LAB_*} knobs of {@link frl.config.ConfigTable}.
 */
public final class ServiceMain {
    public static final int GATEWAY_PORT = 8000;
    public static final int ORDERS_PORT = 8001;
    public static final int PAYMENTS_PORT = 8002;
    public static final int INVENTORY_PORT = 8003;
    public static final int NOTIFICATIONS_PORT = 8004;
    /** The management listener's port is the service port plus this (gateway 8100, orders 8101, ...). */
    public static final int ADMIN_PORT_OFFSET = 100;

    /** Where a service listens: the data listener and the management listener. */
    public record Listeners(String host, int port, String adminHost, int adminPort) {
    }

    private ServiceMain() {
    }

    public static Env env() {
        ServiceServer.configureJdkServer();
        Env env = Env.system();
        String perClient = env.get("LAB_MAX_INFLIGHT_PER_CLIENT", null); // see frl.http.ClientLimit; default off
        if (perClient != null) {
            if (!perClient.trim().matches("[0-9]{1,9}")) {
                throw new IllegalArgumentException("LAB_MAX_INFLIGHT_PER_CLIENT must be a whole number >= 0 (0 = no limit), got '"
                        + perClient + "'");
            }
            System.setProperty(ServiceServer.MAX_IN_FLIGHT_PER_CLIENT, perClient.trim());
        }
        return env;
    }

    public static String bind(Env env) {
        return env.get("LAB_BIND", "127.0.0.1");
    }

    public static int port(Env env, String service, int fallback) {
        return env.port("LAB_" + service.toUpperCase() + "_PORT", fallback);
    }

    /** Both listeners of {@code service} from the environment (see the class comment). */
    public static Listeners listeners(Env env, String service, int defaultPort) {
        int port = port(env, service, defaultPort);
        return new Listeners(bind(env), port, env.get("LAB_ADMIN_BIND", "127.0.0.1"), adminPort(env, service, port));
    }

    /** {@code LAB_<SERVICE>_ADMIN_PORT}, else the service port + {@value #ADMIN_PORT_OFFSET} (0 stays 0: a free port). */
    public static int adminPort(Env env, String service, int servicePort) {
        int fallback = servicePort == 0 ? 0 : servicePort + ADMIN_PORT_OFFSET;
        String var = "LAB_" + service.toUpperCase() + "_ADMIN_PORT";
        if (fallback > 65535 && env.get(var, null) == null) {
            throw new IllegalArgumentException(var + " must be set: the service port " + servicePort + " + "
                    + ADMIN_PORT_OFFSET + " is not a port");
        }
        return env.port(var, fallback);
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

    /** Starts both listeners of {@code server} where {@code at} says; returns the data port. */
    public static int start(frl.http.ServiceServer server, Listeners at) throws java.io.IOException {
        return server.start(at.host(), at.port(), at.adminHost(), at.adminPort());
    }

    public static void announce(frl.http.ServiceServer server, Listeners at) {
        System.out.printf("%s listening on http://%s:%d, management on %s (pid %d)%n", server.service(), at.host(),
                server.port(), server.managementUrl(), ProcessHandle.current().pid());
    }

    /** Exits with one clear line instead of a stack trace when start-up fails (port taken, database down). */
    public static void fail(String service, Exception e) {
        System.err.println(service + " could not start: " + e.getMessage());
        System.exit(1);
    }
}
