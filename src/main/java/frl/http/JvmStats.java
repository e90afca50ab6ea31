package frl.http;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

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
 * <p>Stateless; each call reads the beans afresh (microseconds).
 */
final class JvmStats {
    private JvmStats() {
    }

    static ObjectNode into(ObjectNode o) {
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
}
