package frl.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Load shedding: refuse work at the front door when too much is already in flight.
 *
 * <p><b>The failure it prevents.</b> A spike doubles the arrival rate. Without a limit, every
 * request is accepted, each one gets a smaller share of the CPU, threads and connections, latency
 * climbs past every client's timeout, and the service is busy producing answers nobody waits
 * for: goodput falls to zero while throughput looks fine. Refusing the excess at once, cheaply,
 * keeps the admitted requests fast, and the refused clients are told when to come back.
 *
 * <p>Where a {@link Bulkhead} protects us from one slow <em>downstream</em>, a shedder protects
 * us from our <em>callers</em>: it sits at the gateway's entry, before any work is done.
 *
 * <p><b>States of one request:</b>
 * <pre>
 *   ARRIVE -&gt; ADMITTED   inFlight &lt; maxInFlight: inFlight + 1; release() when the response is sent
 *   ARRIVE -&gt; SHED       otherwise: tryAcquire() returns false, counted; the caller answers
 *                        503 with Retry-After = {@link #retryAfter()}
 * </pre>
 * Rejection is a return value, not an exception: shedding happens exactly when the system is
 * overloaded, and throwing (a stack trace per request) would spend the CPU it is trying to save.
 * The decision is the pure rule {@link #admits(int, int)}; this class only enforces it.
 *
 * <p><b>Knobs</b> ({@link Config}): {@link Config#DEFAULT_MAX_IN_FLIGHT} 200 (the spec's
 * {@code max_inflight}). Too high: it never fires and latency collapses first. Too low: capacity
 * sits idle while clients are refused. {@link Config#DEFAULT_RETRY_AFTER} 1 s, the shortest
 * {@code Retry-After} HTTP can express. Too long: clients stay away after the spike has passed.
 *
 * <p>Thread-safe and lock-free: the count of requests in flight ({@link InFlight}, shared with
 * {@link Bulkhead}) is updated by compare-and-set, so it can never pass the limit, even for an
 * instant. The two configs stay apart: see {@link Bulkhead} for why.
 */
public final class LoadShedder {

    public record Config(int maxInFlight, Duration retryAfter) {
        public static final int DEFAULT_MAX_IN_FLIGHT = 200;
        public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

        public Config {
            Objects.requireNonNull(retryAfter, "retryAfter");
            if (maxInFlight < 1) {
                throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
            }
            if (retryAfter.isNegative()) {
                throw new IllegalArgumentException("retryAfter must not be negative, was " + retryAfter);
            }
        }

        public static Config defaults() {
            return new Config(DEFAULT_MAX_IN_FLIGHT, DEFAULT_RETRY_AFTER);
        }

        public static Config of(int maxInFlight) {
            return new Config(maxInFlight, DEFAULT_RETRY_AFTER);
        }
    }

    private final String name;
    private final Config config;
    private final InFlight inFlight;
    private final LongAdder shed = new LongAdder();

    public LoadShedder(String name, Config config) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.inFlight = new InFlight("load shedder '" + name + "'");
    }

    /** The rule: admit while fewer than {@code maxInFlight} requests are in flight. */
    public static boolean admits(int inFlight, int maxInFlight) {
        return inFlight < maxInFlight;
    }

    /**
     * Admits the request ({@code true}: the caller must {@link #release()} once it is done) or
     * sheds it ({@code false}: answer 503 now, without doing any of the work).
     */
    public boolean tryAcquire() {
        if (inFlight.tryAdd(config.maxInFlight())) {
            return true;
        }
        shed.increment();
        return false;
    }

    /** Ends an admitted request. */
    public void release() {
        inFlight.remove();
    }

    public String name() {
        return name;
    }

    public Config config() {
        return config;
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** Requests shed since creation (or the last {@link #resetCounts()}). */
    public long shed() {
        return shed.sum();
    }

    public void resetCounts() {
        shed.reset();
    }

    /** How long a shed client should wait before trying again. */
    public Duration retryAfter() {
        return config.retryAfter();
    }
}
