package frl.stack;

import com.fasterxml.jackson.databind.JsonNode;
import frl.http.Json;
import frl.infra.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's control channel: its routes, refusals and state changes on stand-in components,
 * then a real Redis and a real PostgreSQL stopped and started again through it.
 */
class ControlServerTest {
    private static final String TOKEN = "control-test-token";
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    /** Records what it was asked to do; starts up. */
    static final class Recording extends Component {
        final List<String> calls = new ArrayList<>();

        Recording(String name) {
            super(name);
            markUp();
        }

        @Override
        public String url() {
            return "fake://" + name();
        }

        @Override
        public boolean controllable() {
            return true;
        }

        @Override
        protected void startServer() {
            calls.add("start");
        }

        @Override
        protected void stopServer() {
            calls.add("stop");
        }
    }

    private ControlServer serve(Component... components) throws IOException {
        ControlServer server = new ControlServer(List.of(components), TOKEN, 0);
        toClose.add(server);
        return server;
    }

    private HttpResponse<String> send(ControlServer server, String method, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) {
        return Json.read(r.body());
    }

    @Test
    void stopAndStartChangeStateOnceAndSayWhenNothingChanged() throws Exception {
        Recording redis = new Recording("redis");
        ControlServer server = serve(redis);

        // Given an UP component: stop takes it down, a second stop changes nothing
        HttpResponse<String> stop = send(server, "POST", "/infra/redis/stop", TOKEN);
        assertEquals(200, stop.statusCode(), stop.body());
        assertEquals("down", json(stop).path("state").asText());
        assertTrue(json(stop).path("changed").asBoolean());
        assertFalse(json(send(server, "POST", "/infra/redis/stop", TOKEN)).path("changed").asBoolean());

        // When it is started twice, only the first start starts anything
        assertTrue(json(send(server, "POST", "/infra/redis/start", TOKEN)).path("changed").asBoolean());
        assertFalse(json(send(server, "POST", "/infra/redis/start", TOKEN)).path("changed").asBoolean());

        // Then the server saw one stop and one start, and GET /infra shows it up
        assertEquals(List.of("stop", "start"), redis.calls);
        assertEquals("up", json(send(server, "GET", "/infra", TOKEN)).path("redis").path("state").asText());
    }

    @Test
    void refusalsAreJsonAndNameTheProblem() throws Exception {
        ControlServer server = serve(new Recording("redis"), Component.external("postgres-orders", "jdbc:postgresql://db:5432/postgres"));
        record Case(String method, String path, String token, int status, String error, String detail) {
        }
        List<Case> cases = List.of(
                new Case("GET", "/infra", null, 401, "unauthorized", "admin token"),
                new Case("POST", "/infra/redis/stop", "wrong-token", 401, "unauthorized", "admin token"),
                new Case("POST", "/infra/kafka/stop", TOKEN, 404, "unknown_component", "known: redis, postgres-orders"),
                new Case("POST", "/infra/redis/restart", TOKEN, 404, "not_found", "POST /infra/{name}/stop|start"),
                new Case("GET", "/infra/redis/stop", TOKEN, 405, "method_not_allowed", "takes POST"),
                new Case("DELETE", "/infra", TOKEN, 405, "method_not_allowed", "GET /infra"),
                new Case("POST", "/infra/postgres-orders/stop", TOKEN, 409, "external", "does not stop servers it did not start"));
        for (Case c : cases) {
            HttpResponse<String> r = send(server, c.method(), c.path(), c.token());
            assertEquals(c.status(), r.statusCode(), c + " -> " + r.body());
            assertEquals(c.error(), json(r).path("error").asText(), r.body());
            assertTrue(json(r).path("detail").asText().contains(c.detail()), c + " -> " + r.body());
        }
        assertEquals("external", json(send(server, "GET", "/infra", TOKEN)).path("postgres-orders").path("state").asText());
    }

    @Test
    void redisComesBackOnTheSamePortEmpty() throws Exception {
        RedisComponent redis = new RedisComponent("redis", 0, dir.resolve("redis.pid"));
        toClose.add(redis);
        int port = URI.create(redis.url()).getPort();
        ControlServer server = serve(redis);
        assertTrue(java.nio.file.Files.readString(dir.resolve("redis.pid")).endsWith(" 127.0.0.1:" + port + "\n"),
                "pid file names the process and its address");

        try (RedisClient client = RedisClient.create(redis.url())) {
            client.set("idem:before-the-outage", "claimed");
        }

        send(server, "POST", "/infra/redis/stop", TOKEN);
        assertFalse(listening(port), "stopped Redis refuses connections");

        send(server, "POST", "/infra/redis/start", TOKEN);
        try (RedisClient client = RedisClient.create(redis.url())) {
            assertEquals("PONG", client.ping(), "started again on the same port");
            assertEquals(null, client.get("idem:before-the-outage"), "Redis keeps nothing across a restart");
        }
    }

    @Test
    void postgresComesBackOnTheSamePortWithItsData() throws Exception {
        PostgresComponent pg = new PostgresComponent("postgres-orders", 0, dir.resolve("pg"));
        toClose.add(pg);
        PostgresServer first = pg.server();
        String url = first.adminJdbcUrl();
        try (Connection c = DriverManager.getConnection(url)) {
            c.createStatement().execute("CREATE TABLE survives (v int); INSERT INTO survives VALUES (42)");
        }
        ControlServer server = serve(pg);

        // When it is stopped, connections are refused
        assertEquals("down", json(send(server, "POST", "/infra/postgres-orders/stop", TOKEN)).path("state").asText());
        assertThrows(SQLException.class, () -> DriverManager.getConnection(url).close());

        // Then started again, the same URL reaches the same data
        assertEquals("up", json(send(server, "POST", "/infra/postgres-orders/start", TOKEN)).path("state").asText());
        try (Connection c = DriverManager.getConnection(url); ResultSet rs = c.createStatement().executeQuery("SELECT v FROM survives")) {
            assertTrue(rs.next());
            assertEquals(42, rs.getInt(1));
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return s.isConnected();
        } catch (IOException e) {
            return false;
        }
    }
}
