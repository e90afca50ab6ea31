package frl.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import frl.chaos.Chaos;
import frl.config.LabConfig;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The routes every service has besides its business ones: {@code GET /health} (on both
 * listeners) and the admin set on the management listener ({@code /admin/counters},
 * {@code /admin/reset}, {@code /admin/chaos}, {@code /admin/config}). One implementation, so the
 * five services cannot drift apart. A service adds its own admin routes with
 * {@link ServiceServer#admin} (orders' {@code /admin/sweep}).
 */
public final class AdminRoutes {
    private AdminRoutes() {
    }

    /**
     * @param dependencies name -> a check that returns true when that dependency answers
     *                     (e.g. "postgres" -> connection.isValid); /health is 200 only if all do
     * @param reset        what "fresh state for a run" means for this service, beyond counters and chaos
     * @param onChaos      runs after the chaos switches changed (e.g. to resize the payment processor)
     */
    public static void install(ServiceServer server, Chaos chaos, Map<String, Callable<Boolean>> dependencies,
                               Runnable reset, Runnable onChaos) {
        server.route("GET", "/health", r -> health(server, dependencies));
        server.management("GET", "/health", r -> health(server, dependencies));
        server.admin("GET", "/admin/counters", r -> Response.ok(server.counters().toJson()));
        server.admin("POST", "/admin/reset", r -> {
            server.endRun(); // first: what is still in flight sends no new work (see Downstream)
            chaos.clear();
            onChaos.run();
            reset.run();
            server.counters().reset();
            return Response.ok(server.envelope().put("reset", true));
        });
        server.admin("GET", "/admin/chaos", r -> Response.ok(chaos.describe()));
        server.admin("POST", "/admin/chaos", r -> {
            JsonNode body = r.json();
            try {
                chaos.apply(body);
            } catch (IllegalArgumentException e) { // an unknown switch or a bad value: nothing changed
                throw ApiException.badRequest(e.getMessage());
            }
            onChaos.run();
            return Response.ok(chaos.describe());
        });
        server.admin("GET", "/admin/jvm", r -> Response.ok(JvmStats.into(server.envelope(), JvmStats.fullGcAsked(r.rawQuery()))));
        server.admin("GET", "/admin/config", r -> Response.ok(configJson(server)));
        server.admin("POST", "/admin/config", r -> {
            JsonNode body = r.json();
            JsonNode d = body.get("default_config");
            if (d == null || !d.isTextual() || d.asText().isBlank()) { // blank would parse as "no change": null
                throw ApiException.badRequest("expected {\"default_config\": \"A\"..\"G\"}");
            }
            try {
                server.setDefaultConfig(server.configs().parse(d.asText(), null));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("default_config: " + e.getMessage());
            }
            return Response.ok(configJson(server));
        });
    }

    private static Response health(ServiceServer server, Map<String, Callable<Boolean>> dependencies) {
        ObjectNode body = server.envelope();
        ObjectNode deps = body.putObject("dependencies");
        boolean allUp = true;
        for (var e : dependencies.entrySet()) {
            boolean up;
            try {
                up = Boolean.TRUE.equals(e.getValue().call());
            } catch (Exception ex) {
                up = false;
            }
            deps.put(e.getKey(), up ? "up" : "down");
            allUp &= up;
        }
        body.put("status", allUp ? "up" : "down");
        return Response.of(allUp ? 200 : 503, body);
    }

    private static ObjectNode configJson(ServiceServer server) {
        ObjectNode o = server.envelope();
        o.put("default_config", String.valueOf(server.defaultConfig().name()));
        ObjectNode table = o.putObject("configs");
        for (LabConfig c : server.configs().all()) {
            table.set(String.valueOf(c.name()), Json.MAPPER.valueToTree(c.describe()));
        }
        return o;
    }
}
