package frl.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** What GET /admin/jvm reports, read from this JVM. */
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
    }
}
