package frl.experiment.run;

import frl.experiment.load.Outcome;
import frl.experiment.load.Transport;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * A few untimed requests before any measurement, for two reasons:
 * <ul>
 *   <li>The first requests of a fresh JVM load and compile the HTTP client; on a 2-core machine
 *       that can hold both carrier threads of the virtual-thread scheduler for a few hundred
 *       milliseconds, so the first scheduled arrivals would count as NOT_SENT_ON_TIME: a driver
 *       artefact charged to the service (and, in calibration, a false knee at the first step).
 *   <li>A stack that does not confirm orders at all (wrong URL, 404, every request 5xx) is
 *       better reported in one line before a 15-minute experiment than after it.
 * </ul>
 * Preflight requests are never counted in any result; run.json and the terminal say they happened.
 */
public final class Preflight {
    public static final int DEFAULT_REQUESTS = 20;

    private Preflight() {
    }

    /** Sends {@code n} requests one after another; returns how many ended in each outcome. */
    public static Map<Outcome, Integer> run(Transport transport, int n, Duration timeout, String keyPrefix)
            throws InterruptedException {
        Map<Outcome, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            Transport.Reply r = transport.send(new Transport.Attempt(i, keyPrefix + "-preflight-" + i, 1, timeout));
            outcomes.merge(r.outcome(), 1, Integer::sum);
        }
        return outcomes;
    }
}
