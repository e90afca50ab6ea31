package frl.experiment.metrics;

import frl.experiment.load.BinStats;
import frl.experiment.load.Outcome;
import frl.experiment.plan.Phases;
import frl.experiment.plan.RunSpec;
import frl.experiment.stack.AdminClient;
import frl.experiment.stack.Counters;
import frl.experiment.stack.CpuSampler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One attempt's raw observations turned into its {@link RunResult}: windows, amplification per
 * window, telemetry, the baseline's validity, the MTTR verdict, the timeline with its CPU, and a
 * warning for everything that makes the run less trustworthy. A pure function, so what a run
 * reports is tested without a stack; {@code run.RunExecutor} only gathers the observations.
 *
 * <p>Counter windows: baseline = fault start - settle end, fault = fault end - fault start,
 * recovery = end of drain - fault end, measured = end of drain - settle end.
 */
public final class RunAssembly {
    /** An admin plane slower than this under load is reported (the bar: every snapshot within 1 s). */
    public static final double ADMIN_SLOW_MS = 1000;

    /**
     * What one attempt observed.
     *
     * @param snapshots   counters at the settle's end, the fault's start, its end, and after the drain
     * @param metricsAt   /metrics texts at the settle's end and after the drain
     * @param cpuSeconds  one usage per second of the schedule, from its start
     * @param audit       the audit, or null ({@code auditNote} says why)
     * @param warnings    warnings the gathering already has (a long wait before the reset)
     */
    public record Observed(RunSpec spec, Phases phases, WarmupOutcome warmup, int attempt, List<String> discarded,
                           List<BinStats> bins, List<AdminClient.Snapshot> snapshots, List<Map<String, String>> metricsAt,
                           List<CpuSampler.Usage> cpuSeconds, CpuSampler.Usage cpu, DrainOutcome drain, AuditResult audit,
                           String auditNote, double chaosOn, double chaosOff, List<String> warnings) {
    }

    private RunAssembly() {
    }

    public static RunResult result(Observed o, MttrRule rule) {
        Phases p = o.phases();
        List<String> warnings = new ArrayList<>(o.warnings());
        Map<String, WindowStats> windows = new LinkedHashMap<>();
        windows.put("baseline", WindowStats.of(o.bins(), p.warmup(), p.faultStart()));
        windows.put("fault", WindowStats.of(o.bins(), p.faultStart(), p.faultEnd()));
        windows.put("recovery", WindowStats.of(o.bins(), p.faultEnd(), p.end()));
        windows.put("measured", WindowStats.of(o.bins(), p.warmup(), p.end()));
        List<Map<String, Counters>> c = o.snapshots().stream().map(AdminClient.Snapshot::byService).toList();
        Map<String, Amplification> amp = new LinkedHashMap<>();
        amp.put("baseline", Amplification.of(delta(c.get(1), c.get(0)), windows.get("baseline").sent()));
        amp.put("fault", Amplification.of(delta(c.get(2), c.get(1)), windows.get("fault").sent()));
        amp.put("recovery", Amplification.of(delta(c.get(3), c.get(2)), windows.get("recovery").sent()));
        amp.put("measured", Amplification.of(delta(c.get(3), c.get(0)), windows.get("measured").sent()));

        boolean complete = o.snapshots().stream().allMatch(AdminClient.Snapshot::complete);
        double slowest = o.snapshots().stream().mapToDouble(AdminClient.Snapshot::slowestMs).filter(v -> !Double.isNaN(v))
                .max().orElse(Double.NaN);
        if (!complete) {
            warnings.add("telemetry incomplete: some /admin/counters snapshots failed ("
                    + String.join("; ", o.snapshots().stream().flatMap(s -> s.failures().stream()).distinct().toList()) + ")");
        }
        if (slowest > ADMIN_SLOW_MS) {
            warnings.add(String.format(Locale.ROOT, "the admin plane answered a counters call in %.0f ms (> %.0f ms)", slowest, ADMIN_SLOW_MS));
        }
        Telemetry telemetry = Telemetry.of(delta(c.get(3), c.get(0)),
                Rejections.of(o.metricsAt().get(0), o.metricsAt().get(1), o.spec().config()), slowest, complete);

        Validity validity = Validity.of(windows.get("baseline"), rule);
        Recovery recovery = o.spec().scenario().injectsFault()
                ? rule.evaluate(o.bins(), windows.get("baseline").successRate(), p.faultEnd(), p.end())
                : Recovery.not(Recovery.Status.NO_FAULT, p.recovery(), "scenario none injects no fault");

        List<TimelineRow> rows = new ArrayList<>();
        for (BinStats b : o.bins()) {
            rows.add(TimelineRow.of(b, p, b.second() < o.cpuSeconds().size() ? o.cpuSeconds().get(b.second()) : CpuSampler.Usage.UNKNOWN));
        }
        warnings.addAll(warnings(o, windows, validity, rows));
        return new RunResult(o.spec(), p, new Gates(o.warmup(), validity, o.attempt(), o.discarded()), windows, amp, telemetry,
                recovery, o.audit(), o.auditNote(), o.drain(), List.copyOf(rows), o.chaosOn(), o.chaosOff(), o.cpu(),
                List.copyOf(warnings));
    }

    private static List<String> warnings(Observed o, Map<String, WindowStats> windows, Validity validity, List<TimelineRow> rows) {
        Phases p = o.phases();
        List<String> w = new ArrayList<>();
        AuditResult a = o.audit();
        if (a != null && a.ordersWithoutKey() > 0) {
            w.add(a.ordersWithoutKey() + " of " + a.orders() + " orders carry no client key: a re-send that became a new order"
                    + " is invisible to the per-key duplicate count (the stack records keys only where it enforces them)");
        }
        if (!o.drain().settled()) {
            w.add("drain: " + o.drain().detail() + "; those orders are reported as PENDING, not judged");
        }
        if (!o.warmup().warm()) {
            w.add(String.format(Locale.ROOT, "warm-up bound %d s reached before the stack was warm (%s)",
                    o.warmup().boundSeconds(), o.warmup().detail()));
        }
        long notSent = windows.get("measured").count(Outcome.NOT_SENT_ON_TIME);
        if (notSent > 0) {
            w.add(notSent + " arrivals not sent on time: the load driver lagged (counted as failures)");
        }
        long cpuBound = rows.stream().filter(t -> t.second() >= p.warmup() && t.cpuBound()).count();
        if (cpuBound > 0) {
            w.add(cpuBound + " CPU-bound second(s) (machine > " + Math.round(100 * TimelineRow.CPU_BOUND)
                    + "% busy): in those, the CPUs, not the simulated payment processor, may have shaped the result");
        }
        if (!Double.isNaN(o.chaosOn()) && o.chaosOn() > p.faultStart() + 1) {
            w.add(String.format(Locale.ROOT, "fault switched on at %.1f s, planned %d s", o.chaosOn(), p.faultStart()));
        }
        if (!Double.isNaN(o.chaosOff()) && o.chaosOff() > p.faultEnd() + 1) {
            w.add(String.format(Locale.ROOT, "fault removed at %.1f s, planned %d s", o.chaosOff(), p.faultEnd()));
        }
        if (!validity.valid()) {
            w.add(validity.reason() + ": no numbers are reported for this run");
        }
        return w;
    }

    /** What happened between two counter snapshots, per service; null if either is unknown. */
    static Map<String, Counters> delta(Map<String, Counters> later, Map<String, Counters> earlier) {
        if (later == null || earlier == null) {
            return null;
        }
        Map<String, Counters> d = new HashMap<>();
        later.forEach((s, c) -> d.put(s, c.minus(earlier.getOrDefault(s, Counters.zero(s)))));
        return d;
    }
}
