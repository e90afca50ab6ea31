package frl.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import frl.config.ConfigTable;
import frl.config.Env;
import frl.http.Json;
import frl.infra.Databases;
import frl.resilience.NanoClock;
import frl.resilience.Sleeper;
import frl.resilience.idempotency.IdempotencyStore;
import frl.services.gateway.GatewayService;
import frl.services.inventory.InventoryService;
import frl.services.notifications.NotificationsService;
import frl.services.orders.OrdersService;
import frl.services.payments.PaymentProcessor;
import frl.services.payments.PaymentsService;
import frl.testing.TestInfra;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The five services in this JVM, on 127.0.0.1:0, each on a fresh database of the shared test
 * PostgreSQL and on the shared test Redis (see {@link TestInfra}): the real stack, minus the
 * separate processes. The payment processor is fast (2 ms mean) so tests do not wait on it. Each
 * service has its management listener on another free loopback port: {@link #admin} goes there.
 */
public final class LabStack implements AutoCloseable {
    public static final String TOKEN = "test-admin-token";
    public static final int STOCK = 1000;

    public final HikariDataSource ordersDb = TestInfra.freshDatabase("sql/orders.sql");
    public final HikariDataSource paymentsDb = TestInfra.freshDatabase("sql/payments.sql");
    public final HikariDataSource inventoryDb = TestInfra.freshDatabase("sql/inventory.sql");
    public final HikariDataSource notificationsDb = TestInfra.freshDatabase("sql/notifications.sql");
    public final PaymentsService payments;
    public final InventoryService inventory;
    public final NotificationsService notifications;
    public OrdersService orders;
    public final GatewayService gateway;
    public final ServiceContext ctx;
    private final Map<String, URI> urls = new LinkedHashMap<>();
    private final Map<String, URI> adminUrls = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public LabStack() throws Exception {
        this(Map.of());
    }

    /** @param env extra {@code LAB_*} knobs for the configuration table */
    public LabStack(Map<String, String> env) throws Exception {
        ConfigTable table = ConfigTable.fromEnv(new Env(env));
        ctx = new ServiceContext(table, table.get('F'), NanoClock.system(), Sleeper.system(), TOKEN, 7, null);
        Databases.seedCatalogue(inventoryDb, 20, STOCK);
        payments = new PaymentsService(ctx, paymentsDb,
                new PaymentProcessor(4, Duration.ofMillis(2), 0.5, 7, Sleeper.system()));
        urls.put("payments", start(payments.server()));
        inventory = new InventoryService(ctx, inventoryDb);
        urls.put("inventory", start(inventory.server()));
        notifications = new NotificationsService(ctx, notificationsDb);
        urls.put("notifications", start(notifications.server()));
        orders = newOrders(Duration.ofSeconds(120));
        urls.put("orders", URI.create("http://127.0.0.1:" + orders.start("127.0.0.1", 0)));
        gateway = new GatewayService(ctx, urls.get("orders"));
        urls.put("gateway", start(gateway.server()));
        for (var s : Map.of("payments", payments.server(), "inventory", inventory.server(), "notifications",
                notifications.server(), "orders", orders.server(), "gateway", gateway.server()).entrySet()) {
            adminUrls.put(s.getKey(), URI.create(s.getValue().managementUrl()));
        }
    }

    /** A new orders service on the same databases (as after a restart), not yet started. */
    public OrdersService newOrders(Duration sweepAfter) {
        String key = TestInfra.uniqueName("idem");
        return new OrdersService(ctx, ordersDb, new IdempotencyStore(TestInfra.redis(), IdempotencyStore.Config.defaults(key)),
                () -> "PONG".equals(TestInfra.redis().ping()), urls, sweepAfter);
    }

    private static URI start(frl.http.ServiceServer s) throws java.io.IOException {
        return URI.create("http://127.0.0.1:" + s.start("127.0.0.1", 0));
    }

    public URI url(String service) {
        return urls.get(service);
    }

    /** The base URL of {@code service}'s management listener ({@code /admin/*}, {@code /metrics}, {@code /health}). */
    public URI adminUrl(String service) {
        return adminUrls.get(service);
    }

    /** A request to {@code service}'s data listener; headers alternate name, value. */
    public HttpResponse<String> send(String service, String method, String path, String body, String... headers)
            throws Exception {
        return sendTo(url(service), method, path, body, headers);
    }

    /** A request to {@code service}'s management listener, without the admin token. */
    public HttpResponse<String> sendManagement(String service, String method, String path, String body, String... headers)
            throws Exception {
        return sendTo(adminUrl(service), method, path, body, headers);
    }

    private HttpResponse<String> sendTo(URI base, String method, String path, String body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An admin request (with the token) to {@code service}'s management listener. */
    public HttpResponse<String> admin(String service, String method, String path, String body) throws Exception {
        return sendManagement(service, method, path, body, "Authorization", "Bearer " + TOKEN, "Content-Type", "application/json");
    }

    /** POST /orders at the gateway with the given configuration and key (null: no key header). */
    public HttpResponse<String> order(char config, String key, String body) throws Exception {
        return key == null
                ? send("gateway", "POST", "/orders", body, "X-Client-Config", String.valueOf(config))
                : send("gateway", "POST", "/orders", body, "X-Client-Config", String.valueOf(config), "Idempotency-Key", key);
    }

    public static String orderBody(String product, int quantity, String price) {
        return "{\"customer_id\": \"customer-1\", \"items\": [{\"product_id\": \"" + product + "\", \"quantity\": "
                + quantity + ", \"unit_price\": " + price + "}]}";
    }

    public static JsonNode json(HttpResponse<String> r) {
        return Json.read(r.body());
    }

    public long count(javax.sql.DataSource db, String sql, Object... params) throws Exception {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public long stock(String product) throws Exception {
        return count(inventoryDb, "SELECT stock FROM products WHERE id = ?", product);
    }

    @Override
    public void close() {
        gateway.server().stop(Duration.ZERO);
        orders.close();
        inventory.close();
        inventory.server().stop(Duration.ZERO);
        payments.server().stop(Duration.ZERO);
        notifications.server().stop(Duration.ZERO);
    }
}
