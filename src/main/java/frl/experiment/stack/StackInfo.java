package frl.experiment.stack;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the running stack is: what {@code make run-stack} writes to {@code .run/stack.json} and
 * the harness reads. The expected shape (unknown fields are ignored; {@code pids} is optional):
 * <pre>{@code
 * {
 *   "services": {"gateway": "http://127.0.0.1:8000", "orders": "http://127.0.0.1:8001",
 *                "payments": "http://127.0.0.1:8002", "inventory": "http://127.0.0.1:8003",
 *                "notifications": "http://127.0.0.1:8004"},
 *   "databases": {"orders": "jdbc:postgresql://127.0.0.1:5432/orders?user=postgres",
 *                 "payments": "jdbc:postgresql://127.0.0.1:5432/payments?user=postgres",
 *                 "inventory": "jdbc:postgresql://127.0.0.1:5433/inventory?user=postgres",
 *                 "notifications": "jdbc:postgresql://127.0.0.1:5432/notifications?user=postgres"},
 *   "redis": "redis://127.0.0.1:6379",
 *   "admin_token_file": ".run/admin-token",
 *   "pids": {"gateway": 12345, "orders": 12346, "payments": 12347, "inventory": 12348, "notifications": 12349}
 * }
 * }</pre>
 * JDBC URLs carry their own credentials. A relative {@code admin_token_file} is resolved against
 * the working directory (make runs from the repository root). {@code pids}, when present, lets
 * calibration read each service's CPU time from {@code /proc/<pid>/stat}.
 *
 * <p>Immutable.
 */
public record StackInfo(Map<String, String> services, Databases databases, String redis,
                        @JsonProperty("admin_token_file") String adminTokenFile, Map<String, Long> pids,
                        Map<String, String> admin) {
    /** The five services, in the order calls flow (and the order resets are sent). */
    public static final List<String> SERVICES = List.of("gateway", "orders", "payments", "inventory", "notifications");

    /** The four databases (JDBC URLs). */
    public record Databases(String orders, String payments, String inventory, String notifications) {
        boolean complete() {
            return orders != null && payments != null && inventory != null && notifications != null;
        }
    }

    public StackInfo {
        services = services == null ? Map.of() : Map.copyOf(services);
        pids = pids == null ? Map.of() : Map.copyOf(pids);
        admin = admin == null ? Map.of() : Map.copyOf(admin);
    }

    public static StackInfo read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no stack description at " + file.toAbsolutePath()
                    + ": start the stack with `make run-stack` (it writes .run/stack.json)");
        }
        StackInfo info = StackJson.MAPPER.readValue(file.toFile(), StackInfo.class);
        for (String s : SERVICES) {
            if (info.services.get(s) == null) {
                throw new IOException(file + " has no URL for service \"" + s + "\" under \"services\"; it has " + info.services.keySet());
            }
        }
        return info;
    }

    /** Base URL of {@code service}, without a trailing slash. */
    public String url(String service) {
        String u = services.get(service);
        if (u == null) {
            throw new IllegalArgumentException("unknown service " + service + "; known: " + services.keySet());
        }
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    /** Base URL of {@code service}'s management listener ({@code "admin"}), else its service URL. */
    public String adminUrl(String service) {
        String u = admin.get(service);
        if (u == null) {
            return url(service);
        }
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    /** True when all four JDBC URLs are present, so the audit can run. */
    public boolean hasDatabases() {
        return databases != null && databases.complete();
    }

    /** The admin bearer token (file content, trimmed). */
    public String adminToken() throws IOException {
        if (adminTokenFile == null) {
            throw new IOException("stack.json has no admin_token_file");
        }
        return Files.readString(Path.of(adminTokenFile)).trim();
    }

    /** The URLs, for run.json (JDBC URLs are left out: they may carry passwords). */
    public Map<String, String> publicView() {
        Map<String, String> m = new LinkedHashMap<>();
        SERVICES.forEach(s -> m.put(s, services.get(s)));
        return m;
    }
}
