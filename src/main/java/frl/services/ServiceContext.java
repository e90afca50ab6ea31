package frl.services;

import frl.config.ConfigTable;
import frl.config.Env;
import frl.config.LabConfig;
import frl.http.PatternRegistry;
import frl.http.RunCounters;
import frl.http.ServiceMetrics;
import frl.http.ServiceServer;
import frl.http.Tracing;
import frl.resilience.NanoClock;
import frl.resilience.Sleeper;

/**
 * What every service is built from, besides its own databases: the configuration table, the
 * clock and sleeper (real in production, fake in tests), the admin token, the experiment seed and
 * where traces go ({@code OTEL_EXPORTER_OTLP_ENDPOINT}; null: tracing off).
 * Immutable.
 */
public record ServiceContext(ConfigTable configs, LabConfig defaultConfig, NanoClock clock, Sleeper sleeper,
                             String adminToken, long seed, String otlpEndpoint) {

    public static ServiceContext fromEnv(Env env) {
        ConfigTable table = ConfigTable.fromEnv(env);
        return new ServiceContext(table, table.parse(env.get("LAB_CONFIG", "F"), null), NanoClock.system(),
                Sleeper.system(), env.require("LAB_ADMIN_TOKEN"), Long.parseLong(env.get("LAB_SEED", "42")),
                env.get("OTEL_EXPORTER_OTLP_ENDPOINT", null));
    }

    /** A server for one service, wired to this context. */
    public ServiceServer server(String service) {
        ServiceServer server = new ServiceServer(service, configs, defaultConfig, clock, adminToken, new ServiceMetrics(),
                new RunCounters(service));
        server.setTracing(Tracing.fromEnv(service, otlpEndpoint));
        return server;
    }

    /** The pattern instances of {@code server}'s outgoing calls, on this context's clock, sleeper and seed. */
    public PatternRegistry patterns(ServiceServer server) {
        return new PatternRegistry(clock, sleeper, seed, server);
    }
}
