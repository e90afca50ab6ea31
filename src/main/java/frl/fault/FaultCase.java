package frl.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One fault of the suite: what is broken, for how long, and when in the load.
 *
 * <p>The load lasts {@code max(minLoad, before + outage + after)}, with at least {@code before} of
 * normal service ahead of the fault (the baseline) and {@code after} behind its end (the recovery). A kill is instantaneous ({@code outage} zero): its "fault end" is the kill
 * itself, and what follows, the launcher's restart included, counts as recovery.
 *
 * @param name   the row's name in the table, e.g. {@code kill -9 payments}
 * @param kind   how the fault is made
 * @param target the service, infrastructure component, or proxy the fault hits
 * @param outage how long it lasts (zero for a kill)
 * @param answer the service whose {@code /health} must answer again within {@link #ANSWER_BOUND}
 *               of the fault's end
 */
public record FaultCase(String name, Kind kind, String target, Duration outage, String answer) {
    /** The pass criterion's bound: the service answers again within this much of the fault's end. */
    public static final Duration ANSWER_BOUND = Duration.ofSeconds(30);
    /** The shortest a case's "success during the fault" window may be (a kill's window is this long). */
    public static final Duration MIN_FAULT_WINDOW = Duration.ofSeconds(10);

    public enum Kind {
        /** SIGKILL of the service's JVM; the launcher's supervisor restarts it. */
        KILL,
        /** The launcher's control channel stops Redis or one PostgreSQL, then starts it again. */
        INFRA_STOP,
        /** Notifications' chaos switch {@code down}: every delivery refused with 503. */
        NOTIFICATIONS_DOWN,
        /** The orders -> payments proxy holds every chunk for {@link #PROXY_LATENCY}. */
        PROXY_LATENCY,
        /** The orders -> payments proxy resets every connection (RST). */
        PROXY_RESET
    }

    /** Per chunk, each way: above orders' per-attempt timeout to payments in F once a request and its answer pay it. */
    public static final Duration PROXY_LATENCY = Duration.ofMillis(300);

    public FaultCase {
        if (outage.isNegative() || (kind == Kind.KILL) != outage.isZero()) {
            throw new IllegalArgumentException("a kill has no outage and every other fault has one; " + name + " had " + outage);
        }
    }

    /** The cases: each service killed in turn, both PostgreSQL servers and Redis for {@code db}, notifications for {@code notif}, the payments hop for {@code db}. */
    public static List<FaultCase> suite(Duration db, Duration notif) {
        List<FaultCase> all = new ArrayList<>();
        for (String s : List.of("gateway", "orders", "payments", "inventory", "notifications")) {
            all.add(new FaultCase("kill -9 " + s, Kind.KILL, s, Duration.ZERO, s));
        }
        all.add(new FaultCase("PostgreSQL (orders) stopped " + db.toSeconds() + " s", Kind.INFRA_STOP, "postgres-orders", db, "orders"));
        all.add(new FaultCase("PostgreSQL (inventory) stopped " + db.toSeconds() + " s", Kind.INFRA_STOP, "postgres-inventory", db, "inventory"));
        all.add(new FaultCase("Redis stopped " + db.toSeconds() + " s", Kind.INFRA_STOP, "redis", db, "orders"));
        all.add(new FaultCase("notifications down " + notif.toSeconds() + " s", Kind.NOTIFICATIONS_DOWN, "notifications", notif, "notifications"));
        all.add(new FaultCase("payments hop +" + PROXY_LATENCY.toMillis() + " ms/chunk " + db.toSeconds() + " s", Kind.PROXY_LATENCY,
                "payments-proxy", db, "orders"));
        all.add(new FaultCase("payments hop resets " + db.toSeconds() + " s", Kind.PROXY_RESET, "payments-proxy", db, "orders"));
        return all;
    }

    public boolean needsProxy() {
        return kind == Kind.PROXY_LATENCY || kind == Kind.PROXY_RESET;
    }

    /** Seconds of load: at least {@code minLoad}, {@code before} the fault and {@code after} its end. */
    public int loadSeconds(Duration minLoad, Duration before, Duration after) {
        return (int) Math.max(minLoad.toSeconds(), before.toSeconds() + outage.toSeconds() + after.toSeconds());
    }

    /** Second of the load at which the fault starts: {@code after} left after its end, the rest before it. */
    public int faultStartSecond(Duration minLoad, Duration before, Duration after) {
        return (int) (loadSeconds(minLoad, before, after) - outage.toSeconds() - after.toSeconds());
    }
}
