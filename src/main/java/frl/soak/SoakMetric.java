package frl.soak;

/**
 * What a soak records every sample, per service (or per database, for PostgreSQL), and how much
 * growth over a day it tolerates before calling a metric's trend a leak.
 *
 * <p>The bounds are ours, chosen as "a day of this would be noticed but not fatal": a service whose
 * live heap gains 64 MiB a day stays far below its 1 GiB ceiling for a week; 16 threads, 64 file
 * descriptors or 4 database connections more per day would reach the limits within weeks. A trend
 * under the bound is called flat even when its interval excludes zero (Slope's verdict).
 *
 * <p>{@link #HEAP_AFTER_GC} is recorded but not judged: under ZGC what a young collection leaves
 * climbs until the next major one, so a 10-minute fit of it measured a tooth of the sawtooth
 * (+180 MiB/h for notifications in one soak). {@link #LIVE_HEAP} is the live set itself, read
 * after a full collection the soak asks for once a minute, and is the heap series judged.
 *
 * <p>{@link #REDIS_KEYS} is recorded but not judged: every key orders writes carries a TTL (the
 * idempotency TTL, 24 h by default), so the count climbs for a day and levels off at rate x TTL,
 * longer than any soak. What would grow for ever is a key without a TTL, which is what
 * {@link #REDIS_KEYS_WITHOUT_TTL} counts, and that one is judged.
 */
public enum SoakMetric {
    LIVE_HEAP("live_heap_mib", "MiB", "live heap: bytes of the objects still reachable after a full collection (GET /admin/jvm?gc=full: the JVM's class histogram, once a minute)", 64),
    HEAP_AFTER_GC("heap_after_gc_mib", "MiB", "heap in use after the last collection of each pool (GET /admin/jvm); not judged: "
            + "under ZGC a sawtooth between major collections", Double.NaN),
    THREADS("threads", "threads", "threads of the process (/proc/<pid>/status; a JVM's carriers and platform threads)", 16),
    OPEN_FDS("open_fds", "fds", "open file descriptors, sockets included (/proc/<pid>/fd)", 64),
    PG_CONNECTIONS("pg_connections", "connections", "sessions on the service's database (pg_stat_activity, the sampler's own left out)", 4),
    REDIS_KEYS("redis_keys", "keys", "keys in Redis (DBSIZE); not judged: each has a TTL, so it levels off after a TTL", Double.NaN),
    REDIS_KEYS_WITHOUT_TTL("redis_keys_without_ttl", "keys", "keys in Redis with no TTL (INFO keyspace: keys - expires)", 100);

    public final String id;
    public final String unit;
    public final String meaning;
    /** Largest tolerated growth over 24 h, in {@link #unit}; NaN: recorded, not judged. */
    public final double boundPerDay;

    SoakMetric(String id, String unit, String meaning, double boundPerDay) {
        this.id = id;
        this.unit = unit;
        this.meaning = meaning;
        this.boundPerDay = boundPerDay;
    }

    public boolean judged() {
        return !Double.isNaN(boundPerDay);
    }

    public static SoakMetric of(String id) {
        for (SoakMetric m : values()) {
            if (m.id.equals(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown soak metric \"" + id + "\"");
    }
}
