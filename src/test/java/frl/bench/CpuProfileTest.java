package frl.bench;

import frl.bench.CpuProfile.Category;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link CpuProfile#categorize} on synthetic stacks (top frame first), and the raw aggregate it writes. */
class CpuProfileTest {

    @Test
    void aSocketWriteInsideTheHttpServerIsTheServers() {
        assertEquals(Category.HTTP_SERVER, CpuProfile.categorize(List.of(
                "sun.nio.ch.SocketDispatcher.write0", "sun.nio.ch.SocketChannelImpl.write",
                "sun.net.httpserver.Request$WriteStream.write", "sun.net.httpserver.ServerImpl$Exchange.run",
                "java.lang.VirtualThread.run")));
    }

    @Test
    void theFirstLibraryFromTheTopDecides() {
        // Jackson called by our router: JSON, not the HTTP kit below it.
        assertEquals(Category.JSON, CpuProfile.categorize(List.of(
                "java.util.HashMap.get", "com.fasterxml.jackson.databind.ObjectMapper.readTree",
                "frl.http.Router.dispatch", "sun.net.httpserver.ServerImpl$Exchange.run")));
        // Jedis inside a pattern's call: Jedis, the pattern only where it runs its own code.
        assertEquals(Category.JEDIS, CpuProfile.categorize(List.of(
                "redis.clients.jedis.Connection.getOne", "frl.resilience.Retry.call", "frl.services.orders.OrdersService.place")));
        assertEquals(Category.RESILIENCE, CpuProfile.categorize(List.of(
                "frl.resilience.CircuitBreaker.execute", "frl.services.orders.OrdersService.place")));
    }

    @Test
    void ourServiceClientIsTheClientNotTheKit() {
        assertEquals(Category.HTTP_CLIENT, CpuProfile.categorize(List.of("frl.http.ServiceClient.send", "frl.http.Router.dispatch")));
        assertEquals(Category.HTTP_CLIENT, CpuProfile.categorize(List.of(
                "org.apache.hc.core5.http.impl.io.SessionInputBufferImpl.fillBuffer", "frl.http.ServiceClient.send")));
        assertEquals(Category.HTTP_KIT, CpuProfile.categorize(List.of("frl.http.Router.dispatch")));
    }

    @Test
    void pollersAndParkingAreScheduling() {
        assertEquals(Category.VIRTUAL_THREADS, CpuProfile.categorize(List.of(
                "sun.nio.ch.EPoll.wait", "sun.nio.ch.EPollPoller.poll", "sun.nio.ch.Poller.subPollerLoop", "java.lang.Thread.run")));
        assertEquals(Category.VIRTUAL_THREADS, CpuProfile.categorize(List.of(
                "java.util.concurrent.ForkJoinPool.deactivate", "java.util.concurrent.ForkJoinPool.runWorker")));
        assertEquals(Category.DATABASE, CpuProfile.categorize(List.of(
                "org.postgresql.core.v3.QueryExecutorImpl.execute", "com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeQuery")));
        assertEquals(Category.PROMETHEUS, CpuProfile.categorize(List.of("io.prometheus.metrics.core.metrics.Counter.inc")));
    }

    @Test
    void aVirtualThreadsBaseFramesAloneAreOther() {
        // Every virtual thread's stack starts with these; the services' own code above them is "other".
        assertEquals(Category.OTHER, CpuProfile.categorize(List.of(
                "frl.services.orders.OrderStore.insert", "java.lang.VirtualThread.run", "jdk.internal.vm.Continuation.enter0",
                "jdk.internal.vm.Continuation.enter")));
        assertEquals(Category.OTHER, CpuProfile.categorize(List.of()));
    }

    @Test
    void theAggregateSharesAddUpAndListTheBusiestFrames() {
        Map<Category, Long> by = new EnumMap<>(Category.class);
        by.put(Category.HTTP_SERVER, 3L);
        by.put(Category.OTHER, 1L);
        CpuProfile.Aggregate a = new CpuProfile.Aggregate("jdk.CPUTimeSample", by, Map.of("sun.nio.ch.EPoll.wait", 2L), 0);
        assertEquals(4, a.total());
        assertEquals(0.75, a.share(Category.HTTP_SERVER), 1e-9);
        assertEquals(0.0, a.share(Category.JSON), 1e-9);
        String tsv = CpuProfile.tsv(a);
        assertTrue(tsv.contains("HTTP_SERVER\t3\t0.7500"), tsv);
        assertTrue(tsv.contains("sun.nio.ch.EPoll.wait\t2\t0.5000"), tsv);
        assertTrue(Double.isNaN(new CpuProfile.Aggregate("jdk.ExecutionSample", Map.of(), Map.of(), 0).share(Category.OTHER)));
    }
}
