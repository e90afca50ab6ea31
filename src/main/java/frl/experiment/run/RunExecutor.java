package frl.experiment.run;

import frl.experiment.load.BinStats;
import frl.experiment.load.ClientPolicy;
import frl.experiment.load.LoadDriver;
import frl.experiment.load.Outcome;
import frl.experiment.load.ResultSink;
import frl.experiment.load.Schedule;
import frl.experiment.load.Timeline;
import frl.experiment.load.Transport;
import frl.experiment.metrics.Amplification;
import frl.experiment.metrics.Audit;
import frl.experiment.metrics.AuditResult;
import frl.experiment.metrics.MttrRule;
import frl.experiment.metrics.Recovery;
import frl.experiment.metrics.RunResult;
import frl.experiment.metrics.Telemetry;
import frl.experiment.metrics.TimelineRow;
import frl.experiment.metrics.WindowStats;
import frl.experiment.plan.Phases;
import frl.experiment.plan.RunSpec;
import frl.experiment.plan.Scenario;
import frl.experiment.stack.AdminClient;
import frl.experiment.stack.AuditLoader;
import frl.experiment.stack.Counters;
import frl.experiment.stack.CpuSampler;
import frl.experiment.stack.HttpTransport;
import frl.experiment.stack.StackInfo;
import frl.resilience.NanoClock;
import frl.resilience.Sleeper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plays one run against the live stack: reset, load with phase actions on the schedule's own
 * clock, drain, audit. The order matters and is the method of EXPERIMENTS.md:
 * <ol>
 *   <li>{@code POST /admin/reset} on every service (fresh breakers, bulkheads, queues, caches,
 *       chaos off, stock restored, counters zeroed); each database's clock is read so the audit
 *       takes only this run's rows;
 *   <li>the load driver starts the schedule; on the same start, counters are snapshotted at the end
 *       of warm-up, right after chaos goes on at the fault's start, and right after it goes off;
 *   <li>after the last arrival's fate is known, the drain waits; then the last snapshot and the audit.
 * </ol>
 * Counter windows: baseline = fault start - warm-up end, fault = fault end - fault start,
 * recovery = end of drain - fault end, measured = end of drain - warm-up end.
 *
 * <p>A failed reset or chaos call aborts with an IOException after the load has finished (no stray
 * threads): a run without its reset or its fault is not the run it would be labelled as.
 *
 * <p>Not thread-safe: runs are sequential by design (they share one stack).
 */
public final class RunExecutor {
    /**
     * The order the contract documents (docs/architecture.md), with its product spread over the
     * catalogue ({@link HttpTransport#PRODUCT}): one hot row would make inventory's row lock the
     * bottleneck instead of the payment processor, and the inventory_lock fault would hit every
     * order instead of the quarter that touch its hot products.
     */
    public static final String DEFAULT_BODY =
            "{\"customer_id\": \"customer-1\", \"items\": [{\"product_id\": \"{product}\", \"quantity\": 2, \"unit_price\": 29.99}]}";
    /** The schedule starts this long after the run's setup, so the first arrivals are not late. */
    static final Duration LEAD = Duration.ofMillis(50);

    /** Reports a run's progress about once a second. */
    @FunctionalInterface
    public interface ProgressListener {
        void update(RunSpec spec, double elapsedSeconds, double plannedSeconds, double liveSuccess);
    }

    private final StackInfo stack;
    private final AdminClient admin;
    private final AuditLoader audit; // null: no databases in stack.json
    private final HttpClient http;
    private final NanoClock clock;
    private final Sleeper sleeper;
    private final CpuSampler cpu;
    private final String body;
    private final String runId;

    public RunExecutor(StackInfo stack, AdminClient admin, AuditLoader audit, HttpClient http, NanoClock clock,
                       Sleeper sleeper, CpuSampler cpu, String body, String runId) {
        this.stack = stack;
        this.admin = admin;
        this.audit = audit;
        this.http = http;
        this.clock = clock;
        this.sleeper = sleeper;
        this.cpu = cpu;
        this.body = body;
        this.runId = runId;
    }

    public RunResult execute(RunSpec spec, Phases phases, ClientPolicy policy, MttrRule rule, String chaosJson,
                             ProgressListener progress) throws IOException, InterruptedException {
        List<String> warnings = new ArrayList<>();
        Duration settled = admin.awaitQuiet(clock, sleeper);
        if (settled.toSeconds() >= 2) {
            warnings.add("waited " + settled.toSeconds() + " s for the previous run's work to drain before the reset");
        }
        admin.resetAll();
        AuditLoader.Marks marks = null;
        String auditNote = audit == null ? "no databases in stack.json: audit not run" : "";
        if (audit != null) {
            try {
                marks = audit.markAll();
            } catch (SQLException e) {
                auditNote = "databases unreachable at reset: " + e.getMessage();
            }
        }
        Schedule schedule = Schedule.poisson(spec.rate(), Duration.ofSeconds(phases.end()), spec.scheduleSeed());
        Timeline timeline = new Timeline(schedule);
        Set<String> acked = ConcurrentHashMap.newKeySet();
        ResultSink sink = ResultSink.all(timeline, r -> {
            if (r.outcome() == Outcome.SUCCESS && r.orderId() != null) {
                acked.add(r.orderId());
            }
        });
        Transport transport = new HttpTransport(http, URI.create(stack.url("gateway") + "/orders"), spec.config(), body,
                policy.deadlineHeader());
        LoadDriver driver = new LoadDriver(schedule, transport, policy, clock, sleeper, LoadDriver.VIRTUAL_THREADS,
                runId + "-" + spec.tag());

        CpuSampler.Sample cpuBefore = cpu.sample();
        long start = clock.nanoTime() + LEAD.toNanos();
        Throwable[] driverFailure = new Throwable[1];
        Thread load = Thread.ofPlatform().name("load-dispatch").start(() -> {
            try {
                driver.run(sink, start);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                driverFailure[0] = e;
            }
        });
        double planned = phases.end() + phases.drain();
        // At the fault's edges the switch comes first and the snapshot second: the switch's timing
        // is the experiment, a snapshot a few milliseconds late only moves a few attempts between
        // windows. Snapshots are taken in parallel with a short timeout for the same reason.
        waitUntil(start, phases.warmup(), spec, planned, timeline, progress);
        Map<String, Counters> c0 = admin.countersOrNull();
        waitUntil(start, phases.faultStart(), spec, planned, timeline, progress);
        IOException chaosFailure = null;
        double chaosOn = Double.NaN, chaosOff = Double.NaN;
        if (spec.scenario().injectsFault()) {
            try {
                admin.chaos(spec.scenario().target, chaosJson);
                chaosOn = secondsSince(start);
            } catch (IOException e) {
                chaosFailure = e;
            }
        }
        Map<String, Counters> c1 = admin.countersOrNull();
        waitUntil(start, phases.faultEnd(), spec, planned, timeline, progress);
        if (spec.scenario().injectsFault()) {
            try {
                admin.chaos(spec.scenario().target, Scenario.CHAOS_OFF);
                chaosOff = secondsSince(start);
            } catch (IOException e) {
                chaosFailure = chaosFailure != null ? chaosFailure : e;
            }
        }
        Map<String, Counters> c2 = admin.countersOrNull();
        while (load.isAlive()) {
            load.join(1000);
            progress.update(spec, secondsSince(start), planned, timeline.liveSuccessRate());
        }
        if (driverFailure[0] != null) {
            throw new IOException("load driver failed in run " + spec.tag(), driverFailure[0]);
        }
        if (chaosFailure != null) {
            throw new IOException("run " + spec.tag() + ": chaos switch failed, so this run would be mislabelled", chaosFailure);
        }
        sleeper.sleep(Duration.ofSeconds(phases.drain()));
        progress.update(spec, secondsSince(start), planned, timeline.liveSuccessRate());
        Map<String, Counters> c3 = admin.countersOrNull();
        CpuSampler.Usage usage = cpu.between(cpuBefore, cpu.sample());

        List<BinStats> bins = timeline.snapshot();
        Map<String, WindowStats> windows = new LinkedHashMap<>();
        windows.put("baseline", WindowStats.of(bins, phases.warmup(), phases.faultStart()));
        windows.put("fault", WindowStats.of(bins, phases.faultStart(), phases.faultEnd()));
        windows.put("recovery", WindowStats.of(bins, phases.faultEnd(), phases.end()));
        windows.put("measured", WindowStats.of(bins, phases.warmup(), phases.end()));
        Map<String, Amplification> amp = new LinkedHashMap<>();
        amp.put("baseline", Amplification.of(delta(c1, c0), windows.get("baseline").sent()));
        amp.put("fault", Amplification.of(delta(c2, c1), windows.get("fault").sent()));
        amp.put("recovery", Amplification.of(delta(c3, c2), windows.get("recovery").sent()));
        amp.put("measured", Amplification.of(delta(c3, c0), windows.get("measured").sent()));
        if (c0 == null || c1 == null || c2 == null || c3 == null) {
            warnings.add("some /admin/counters snapshots failed: amplification and telemetry partly unknown");
        }
        Recovery recovery = spec.scenario().injectsFault()
                ? rule.evaluate(bins, windows.get("baseline").successRate(), phases.faultEnd(), phases.end())
                : Recovery.not(Recovery.Status.NO_FAULT, phases.recovery(), "scenario none injects no fault");

        AuditResult auditResult = null;
        if (marks != null) {
            try {
                auditResult = Audit.reconcile(audit.load(marks, spec.config()), acked);
                if (auditResult.pendingOrders() > 0) {
                    warnings.add(auditResult.pendingOrders() + " orders still PENDING after the drain: a longer drain would settle them");
                }
            } catch (SQLException e) {
                auditNote = "audit query failed: " + e.getMessage();
            }
        }
        long notSent = windows.get("measured").count(Outcome.NOT_SENT_ON_TIME);
        if (notSent > 0) {
            warnings.add(notSent + " arrivals not sent on time: the load driver lagged (counted as failures)");
        }
        if (usage.machineBusy() >= Calibrator.CPU_BOUND) {
            warnings.add(String.format(java.util.Locale.ROOT, "the machine's CPUs were %.0f%% busy during this run: CPU, not the"
                    + " simulated payment processor, may have shaped it", 100 * usage.machineBusy()));
        }
        if (!Double.isNaN(chaosOn) && chaosOn > phases.faultStart() + 1) {
            warnings.add(String.format(java.util.Locale.ROOT, "fault switched on at %.1f s, planned %d s", chaosOn, phases.faultStart()));
        }
        if (!Double.isNaN(chaosOff) && chaosOff > phases.faultEnd() + 1) {
            warnings.add(String.format(java.util.Locale.ROOT, "fault removed at %.1f s, planned %d s", chaosOff, phases.faultEnd()));
        }
        List<TimelineRow> rows = bins.stream().map(b -> TimelineRow.of(b, phases)).toList();
        return new RunResult(spec, phases, windows, amp, Telemetry.of(delta(c3, c0)), recovery, auditResult, auditNote,
                rows, chaosOn, chaosOff, usage, List.copyOf(warnings));
    }

    private void waitUntil(long start, int second, RunSpec spec, double planned, Timeline timeline,
                           ProgressListener progress) throws InterruptedException {
        long due = start + second * 1_000_000_000L;
        for (long left = due - clock.nanoTime(); left > 0; left = due - clock.nanoTime()) {
            sleeper.sleep(Duration.ofNanos(Math.min(left, 1_000_000_000L)));
            progress.update(spec, secondsSince(start), planned, timeline.liveSuccessRate());
        }
    }

    private double secondsSince(long start) {
        return (clock.nanoTime() - start) / 1e9;
    }

    static Map<String, Counters> delta(Map<String, Counters> later, Map<String, Counters> earlier) {
        if (later == null || earlier == null) {
            return null;
        }
        Map<String, Counters> d = new HashMap<>();
        later.forEach((s, c) -> d.put(s, c.minus(earlier.getOrDefault(s, Counters.zero(s)))));
        return d;
    }
}
