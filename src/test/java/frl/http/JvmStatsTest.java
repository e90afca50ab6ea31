package frl.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import frl.config.ConfigTable;
import frl.resilience.NanoClock;
import frl.resilience.Sleeper;
import frl.services.ServiceContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What GET /admin/jvm reports, read from this JVM, and what its {@code gc} parameter accepts. */
class JvmStatsTest {
    @Test
    void reportsTheLiveHeapThreadsAndFileDescriptorsOfThisJvm() {
        System.gc(); // so every heap pool has been collected at least once
        ObjectNode o = JvmStats.into(Json.MAPPER.createObjectNode());
        long afterGc = o.path("heap_after_gc_bytes").asLong(-1), used = o.path("heap_used_bytes").asLong(-1);
        assertTrue(afterGc > 0, o.toString());
        assertTrue(used > 0, o.toString());
        assertTrue(o.path("live_threads").asInt() >= 2, o.toString());
        assertTrue(o.path("open_fds").asLong() > 3, o.toString());
        assertTrue(o.path("gc_collections").asLong() >= 1, o.toString());
        assertFalse(o.has("live_heap_bytes"), "no collection asked, no live heap: " + o);
    }

    @Test
    void aFullCollectionRunsAndItsLiveHeapLeavesOutTheGarbageMadeBeforeIt() {
        // Given 64 MiB still reachable, counted in the heap in use
        byte[][] garbage = new byte[64][];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = new byte[1 << 20];
        }
        ObjectNode before = JvmStats.into(Json.MAPPER.createObjectNode());
        long usedWithIt = before.path("heap_used_bytes").asLong();
        assertTrue(usedWithIt >= 64L << 20 && garbage.length == 64, before.toString());

        // When it becomes garbage and a full collection is asked for
        garbage = null;
        ObjectNode o = JvmStats.into(Json.MAPPER.createObjectNode(), true);

        // Then a collection ran and the live heap is at least 32 MiB under what was in use with it
        assertTrue(o.path("gc_collections").asLong() > before.path("gc_collections").asLong(), o.toString());
        long live = o.path("live_heap_bytes").asLong(-1);
        assertTrue(live > 0 && live < usedWithIt - (32L << 20), "live " + live + " vs " + usedWithIt + " before: " + o);
        assertTrue(o.path("gc_ms").asLong(-1) >= 0, o.toString());
        assertEquals("class_histogram", o.path("live_heap_method").asText(), "exact bytes, not ZGC's 2 MiB regions: " + o);
    }

    @Test
    void theLiveBytesAreTheHistogramsTotal() {
        String histogram = """
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:         12345        1048576  [B (java.base@25)
                   2:           678          54240  java.lang.String (java.base@25)
                Total         13023        1102816
                """;
        assertEquals(1_102_816, JvmStats.totalBytes(histogram));
        var e = assertThrows(IllegalArgumentException.class, () -> JvmStats.totalBytes("no histogram here"));
        assertTrue(e.getMessage().contains("Total"), e.getMessage());
    }

    @ParameterizedTest(name = "?{0} asks for no collection")
    @ValueSource(strings = {"", "x=1", "x=1&x=%00&y", "gcx=full", "%E2%82%AC=%C3"})
    void queriesWithoutGcAskForNone(String query) {
        assertFalse(JvmStats.fullGcAsked(query));
        assertFalse(JvmStats.fullGcAsked(null));
    }

    @ParameterizedTest(name = "?{0} asks for a full collection")
    @ValueSource(strings = {"gc=full", "x=1&gc=full", "gc=%66ull", "gc=full&gc=full"})
    void gcFullAsksForOne(String query) {
        assertTrue(JvmStats.fullGcAsked(query));
    }

    @ParameterizedTest(name = "?{0} is a 400")
    @ValueSource(strings = {"gc=", "gc", "gc=FULL", "gc=young", "gc=full&gc=no", "gc=%00", "gc=%E2%82", "gc=%zz"})
    void anyOtherGcValueIsABadRequest(String query) {
        ApiException e = assertThrows(ApiException.class, () -> JvmStats.fullGcAsked(query));
        assertEquals(400, e.status(), e.getMessage());
    }

    @Test
    void theRouteAnswersGcFullWithTheLiveHeapAndAnUnknownValueWithA400JsonBody() throws Exception {
        ConfigTable table = ConfigTable.defaults();
        ServiceServer server = new ServiceContext(table, table.get('F'), NanoClock.system(), Sleeper.system(),
                "jvm-stats-test-token", 1, null).server("test");
        AdminRoutes.install(server, new frl.chaos.Chaos(List.of()), Map.of(), () -> { }, () -> { });
        server.start("127.0.0.1", 0);
        try {
            HttpResponse<String> full = get(server, "/admin/jvm?gc=full");
            assertEquals(200, full.statusCode(), full.body());
            assertTrue(Json.read(full.body()).path("live_heap_bytes").asLong(-1) > 0, full.body());

            HttpResponse<String> bad = get(server, "/admin/jvm?gc=young");
            assertEquals(400, bad.statusCode(), bad.body());
            JsonNode body = Json.read(bad.body());
            assertTrue(body.toString().contains("unknown gc value \\\"young\\\""), bad.body());
        } finally {
            server.stop(Duration.ZERO);
        }
    }

    private static HttpResponse<String> get(ServiceServer server, String path) throws Exception {
        // The timeout only bounds a failure; nothing here depends on how fast the answer comes.
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.managementUrl() + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer jvm-stats-test-token").build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
