package frl.http;

import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.management.JMException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What {@code GET /admin/jvm} answers: the numbers a soak watches for slow leaks, read from the
 * JVM's own management beans so no agent or GC log is needed.
 *
 * <ul>
 *   <li>{@code heap_after_gc_bytes}: the sum over heap pools of the usage the JVM recorded right
 *       after the last collection of each pool ({@link MemoryPoolMXBean#getCollectionUsage()}).
 *       Plain heap usage saws up and down with allocation; what survives collections is the live
 *       set, and a leak is a live set that keeps growing. A pool not yet collected counts 0.
 *   <li>{@code heap_used_bytes}: heap in use now, garbage included (for comparison only).
 *   <li>{@code live_threads}: platform threads alive ({@code ThreadMXBean.getThreadCount}); virtual
 *       threads are not counted, their carriers are.
 *   <li>{@code open_fds}: file descriptors open (sockets included), -1 where the OS bean cannot say.
 *   <li>{@code gc_collections}: collections so far, over every collector.
 * </ul>
 *
 * <p>Under ZGC {@code heap_after_gc_bytes} is still a sawtooth: a young collection leaves behind
 * whatever the old generation has not yet been swept of, so the number climbs between major
 * collections and drops at each, and a 10-minute soak fitted a leak to a tooth.
 * {@code GET /admin/jvm?gc=full} measures the live set itself and adds
 * <ul>
 *   <li>{@code live_heap_bytes}: the bytes of every object still reachable, from the JVM's own
 *       class histogram ({@code jcmd <pid> GC.class_histogram}: a full collection, then the live
 *       objects summed by class; {@code live_heap_method} says "class_histogram"). Heap in use
 *       after a collection would do under most collectors, but ZGC counts it in 2 MiB regions: a
 *       10-minute soak saw flat services step 20, 22, 24 MiB and fitted leaks to the steps.
 *       Should the diagnostic command be unavailable,
 *       {@link System#gc()} and heap in use after it ("heap_used_after_gc");
 *   <li>{@code gc_ms}: how long the collection and the count held this request.
 * </ul>
 * Either way the collection is full (under ZGC major, both generations) and the caller waits for
 * it; request threads are paused only for ZGC's sub-millisecond pauses, so a soak can ask once a
 * minute without moving what it measures. Any other {@code gc} value is a 400.
 *
 * <p>Stateless; each call reads the beans afresh (microseconds, or the collection's time with gc=full).
 */
final class JvmStats {
    private JvmStats() {
    }

    /**
     * Whether {@code rawQuery} (as sent, may be null) asks for a full collection: {@code gc=full}.
     * Other parameters are ignored, as every route does; a {@code gc} with any other value is a 400.
     */
    static boolean fullGcAsked(String rawQuery) {
        boolean full = false;
        if (rawQuery == null || rawQuery.isEmpty()) {
            return false;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (!name.equals("gc")) {
                continue;
            }
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (!value.equals("full")) {
                String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
                throw ApiException.badRequest("unknown gc value \"" + shown + "\": the only one is gc=full (a full collection first)");
            }
            full = true;
        }
        return full;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) { // a broken %-escape
            throw ApiException.badRequest("query is not percent-encoded: " + e.getMessage());
        }
    }

    static ObjectNode into(ObjectNode o) {
        return into(o, false);
    }

    /** The numbers; with {@code fullGc}, after a {@link System#gc()} and with {@code live_heap_bytes}, {@code gc_ms}. */
    static ObjectNode into(ObjectNode o, boolean fullGc) {
        if (fullGc) {
            long t0 = System.nanoTime();
            long live;
            try {
                live = totalBytes(classHistogram());
                o.put("live_heap_method", "class_histogram");
            } catch (JMException | RuntimeException e) {
                System.gc();
                live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                o.put("live_heap_method", "heap_used_after_gc");
            }
            o.put("live_heap_bytes", live);
            o.put("gc_ms", (System.nanoTime() - t0) / 1_000_000);
        }
        long afterGc = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage u = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            if (u != null) {
                afterGc += u.getUsed();
            }
        }
        o.put("heap_after_gc_bytes", afterGc);
        o.put("heap_used_bytes", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        o.put("live_threads", ManagementFactory.getThreadMXBean().getThreadCount());
        o.put("open_fds", ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix
                ? unix.getOpenFileDescriptorCount() : -1);
        o.put("gc_collections", ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(gc -> Math.max(0, gc.getCollectionCount())).sum());
        return o;
    }

    /** {@code GC.class_histogram} through the platform's DiagnosticCommand bean: a full collection, then live objects by class. */
    private static String classHistogram() throws JMException {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                "gcClassHistogram", new Object[]{new String[0]}, new String[]{String[].class.getName()});
    }

    /** The bytes column of the histogram's last line, {@code Total <instances> <bytes>}. */
    static long totalBytes(String histogram) {
        List<String> lines = histogram.lines().map(String::strip).filter(l -> l.startsWith("Total")).toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("no Total line in the class histogram");
        }
        String[] fields = lines.getLast().split("\\s+");
        return Long.parseLong(fields[fields.length - 1]);
    }
}
