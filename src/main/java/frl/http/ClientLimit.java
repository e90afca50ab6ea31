package frl.http;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@code max} requests in flight per client address on a data listener.
 *
 * <p>The failure it prevents: one client (a runaway retry loop, a scraper, a slowloris that does
 * finish its headers) opening requests faster than they complete fills the server with its own work,
 * and every other client waits behind it. With a per-client cap the excess is refused at once with
 * 429 and the others keep being served. Counted per address, not per connection: a client gains
 * nothing by opening more connections.
 *
 * <p>Knob: {@code max} (0 = off, the lab's default: the load driver, and each service to the next,
 * are one loopback address, so in the lab a per-client cap would be a global concurrency limit in
 * disguise and would change what configurations A to G measure). Set too low, a legitimate client
 * with a burst is refused; too high, one client can still take the whole server.
 *
 * <p>Thread-safe: one counter per address in a {@link ConcurrentHashMap}, changed only inside
 * {@code compute}, which removes it when it falls to zero so the map holds only clients with work
 * in flight.
 */
public final class ClientLimit {
    public static final ClientLimit OFF = new ClientLimit(0);

    private final int max;
    private final ConcurrentHashMap<InetAddress, Integer> inFlight = new ConcurrentHashMap<>();

    public ClientLimit(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("requests in flight per client must be >= 0 (0 = no limit), got " + max);
        }
        this.max = max;
    }

    public int max() {
        return max;
    }

    /** Takes a place for {@code client}; false (nothing taken) when it already has {@code max} in flight. */
    public boolean tryEnter(InetAddress client) {
        if (max == 0) {
            return true;
        }
        boolean[] entered = {false};
        inFlight.compute(client, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= max) {
                return now;
            }
            entered[0] = true;
            return now + 1;
        });
        return entered[0];
    }

    /** Gives back a place taken by {@link #tryEnter}. */
    public void exit(InetAddress client) {
        if (max != 0) {
            inFlight.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Requests in flight for {@code client} now. */
    public int inFlight(InetAddress client) {
        return inFlight.getOrDefault(client, 0);
    }
}
