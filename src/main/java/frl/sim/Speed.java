package frl.sim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How fast the simulator went: virtual seconds per CPU second of the threads that ran the runs
 * (report writing and bootstrap intervals excluded). A benchmark figure, printed and recorded in
 * run.json; it depends on the machine, so it is never part of the results' numbers.
 *
 * @param simulatedSeconds virtual time over all runs, drains included
 * @param cpuSeconds       CPU time of the runs' threads
 * @param events           events executed over all runs
 */
record Speed(int runs, double simulatedSeconds, double cpuSeconds, long events, double wallSeconds) {

    static Speed of(List<SimRun.Result> results, double wallSeconds) {
        double simulated = 0;
        long cpu = 0;
        long events = 0;
        for (SimRun.Result r : results) {
            simulated += r.simulatedSeconds();
            cpu += r.cpuNanos();
            events += r.events();
        }
        return new Speed(results.size(), simulated, cpu / 1e9, events, wallSeconds);
    }

    /** Virtual seconds per CPU second: how many times faster than real time, per core. */
    double perCpuSecond() {
        return simulatedSeconds / cpuSeconds;
    }

    String line() {
        return String.format(Locale.ROOT, "speed: %d runs, %.0f s of virtual time in %.2f s of CPU = %.0f simulated seconds per"
                        + " CPU second (%.2f M events per CPU second); %.1f s wall clock",
                runs, simulatedSeconds, cpuSeconds, perCpuSecond(), events / cpuSeconds / 1e6, wallSeconds);
    }

    Map<String, Object> describe(int threads) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runs", runs);
        m.put("simulated_seconds", simulatedSeconds);
        m.put("cpu_seconds", cpuSeconds);
        m.put("simulated_seconds_per_cpu_second", perCpuSecond());
        m.put("events", events);
        m.put("wall_seconds", wallSeconds);
        m.put("threads", threads);
        m.put("note", "machine-dependent: CPU time of the threads that ran the runs, reports excluded");
        return m;
    }
}
