package frl.sim;

import frl.experiment.metrics.Amplification;
import frl.experiment.metrics.Audit;
import frl.experiment.metrics.AuditResult;
import frl.experiment.stack.AuditRows;
import frl.experiment.load.BinStats;
import frl.experiment.load.ClientPolicy;
import frl.experiment.stack.Counters;
import frl.experiment.stack.CpuSampler;
import frl.experiment.metrics.MttrRule;
import frl.experiment.load.Outcome;
import frl.experiment.plan.Phases;
import frl.experiment.metrics.Recovery;
import frl.experiment.load.RequestResult;
import frl.experiment.metrics.RunResult;
import frl.experiment.plan.RunSpec;
import frl.experiment.load.Schedule;
import frl.experiment.metrics.Telemetry;
import frl.experiment.load.Timeline;
import frl.experiment.metrics.TimelineRow;
import frl.experiment.metrics.WindowStats;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One run in virtual time, measured by the harness's own code: what {@code RunExecutor} does
 * against the live stack, done against a {@link Stack}.
 * <ol>
 *   <li>the arrival schedule is the harness's {@link Schedule} for the run's seed, so a simulated
 *       run and a real one of the same spec face the same arrivals;
 *   <li>counters are snapshotted at the end of warm-up, right after the fault goes on, right after
 *       it goes off, and after the drain that follows the last arrival's fate;
 *   <li>each arrival's fate goes into the harness's {@link Timeline}; windows, amplification,
 *       telemetry, the MTTR rule and the audit are the harness's functions of those numbers.
 * </ol>
 * The model's seed is the schedule seed, so every configuration of one repetition sees the same
 * arrivals and draws from the same streams (common random numbers).
 *
 * <p>Baseline validity (EXPERIMENTS.md): a run whose baseline success is below 99% or whose
 * baseline p99 is above the SLO gets a warning here and is left out of the metastability map's
 * fractions: recovery judged against a baseline that was already failing means little.
 *
 * <p>Stateless; each call builds its own stack, so runs may go in parallel on separate threads.
 */
public final class SimRun {
    public static final double VALID_BASELINE_SUCCESS = 0.99;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * A run's numbers, and what it cost.
     *
     * @param run      the harness's record of the run; null only for a run stopped early because
     *                 its baseline was invalid (see {@code skipInvalid})
     * @param events   events executed (the simulator's unit of work)
     * @param cpuNanos CPU time of the thread that ran it (machine-dependent; never in the results' numbers)
     */
    public record Result(RunResult run, boolean baselineValid, long events, double simulatedSeconds, long cpuNanos) {
    }

    private SimRun() {
    }

    /**
     * @param fault the fault switched on for the fault window ({@link Fault#NONE}: nothing is
     *              switched, though the windows and the MTTR verdict are computed as for a fault)
     */
    public static Result run(RunSpec spec, Phases phases, ClientPolicy policy, MttrRule rule, Fault fault,
                             Knobs knobs, Watcher watcher) {
        return run(spec, phases, policy, rule, fault, knobs, watcher, false);
    }

    /**
     * As {@link #run(RunSpec, Phases, ClientPolicy, MttrRule, Fault, Knobs, Watcher)}; with
     * {@code skipInvalid}, a run stops as soon as every baseline arrival's fate is known (the
     * client's worst case after the baseline ends) if its baseline is invalid, and its result has
     * no {@link RunResult} ({@code run()} is null). The verdict is the one the whole run would
     * give (windows are by intended send time); the metastability map leaves such runs out
     * anyway, and overloaded runs are the slowest to simulate.
     */
    public static Result run(RunSpec spec, Phases phases, ClientPolicy policy, MttrRule rule, Fault fault,
                             Knobs knobs, Watcher watcher, boolean skipInvalid) {
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        Stack stack = new Stack(knobs.setup(spec.config()), knobs.model(), spec.scheduleSeed(), watcher);
        EventLoop loop = stack.loop;
        Schedule schedule = Schedule.poisson(spec.rate(), Duration.ofSeconds(phases.end()), spec.scheduleSeed());
        Timeline timeline = new Timeline(schedule);
        long[] offsets = new long[schedule.size()];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = schedule.offsetNanos(i);
        }
        List<Map<String, Counters>> snapshots = new ArrayList<>(); // c0 .. c3, as RunExecutor names them
        Set<String> acked = new HashSet<>();
        long drainNanos = phases.drain() * 1_000_000_000L;
        int[] finished = {0};
        Client client = new Client(stack, offsets, policy.timeout().toNanos(), policy.resends(), policy.deadlineHeader(),
                (i, latency, status, attempts, orderId) -> {
                    Outcome o = status == 0 ? Outcome.TIMEOUT : Outcome.ofStatus(status);
                    String id = o == Outcome.SUCCESS && orderId > 0 ? Long.toString(orderId) : null;
                    timeline.record(new RequestResult(i, offsets[i], latency, o, attempts, status, id));
                    if (id != null) {
                        acked.add(id);
                    }
                    if (++finished[0] == offsets.length) { // the last fate is known: drain, then the last snapshot
                        loop.after(drainNanos, () -> {
                            snapshots.add(counters(stack));
                            loop.stop();
                        });
                    }
                });
        loop.at(seconds(phases.warmup()), () -> snapshots.add(counters(stack)));
        loop.at(seconds(phases.faultStart()), () -> {
            fault.apply(stack); // the switch first, the snapshot second, as RunExecutor does
            snapshots.add(counters(stack));
        });
        loop.at(seconds(phases.faultEnd()), () -> {
            fault.clear(stack);
            snapshots.add(counters(stack));
        });
        if (offsets.length == 0) {
            loop.at(seconds(phases.end()) + drainNanos, () -> {
                snapshots.add(counters(stack));
                loop.stop();
            });
        }
        boolean[] skipped = {false};
        if (skipInvalid) {
            loop.at(seconds(phases.faultStart()) + policy.worstCase().toNanos(), () -> {
                if (!validBaseline(WindowStats.of(timeline.snapshot(), phases.warmup(), phases.faultStart()), rule)) {
                    skipped[0] = true;
                    loop.stop();
                }
            });
        }
        client.start();
        // Every arrival finishes within the client's worst case after its intended time.
        loop.runUntil(seconds(phases.end()) + policy.worstCase().toNanos() + drainNanos + seconds(1));
        if (skipped[0]) {
            return new Result(null, false, loop.executed(), loop.nanoTime() / 1e9, THREADS.getCurrentThreadCpuTime() - cpu0);
        }
        if (snapshots.size() != 4) {
            throw new IllegalStateException("run " + spec.tag() + " ended with " + (offsets.length - finished[0])
                    + " arrivals unfinished: a request was lost inside the simulated stack");
        }
        RunResult result = measure(spec, phases, rule, fault, stack, timeline.snapshot(), snapshots, acked);
        WindowStats baseline = result.window("baseline");
        boolean valid = validBaseline(baseline, rule);
        if (!valid) {
            List<String> warnings = new ArrayList<>(result.warnings());
            warnings.add(String.format(Locale.ROOT, "invalid baseline: success %.1f%% (needs >= %.0f%%), p99 %.0f ms (SLO %.0f ms);"
                            + " the load is beyond what this configuration sustains without a fault",
                    100 * baseline.successRate(), 100 * VALID_BASELINE_SUCCESS, baseline.p99Ms(), rule.sloP99Ms()));
            result = new RunResult(result.spec(), result.phases(), result.windows(), result.amplification(), result.telemetry(),
                    result.recovery(), result.audit(), result.auditNote(), result.timeline(), result.chaosOnSecond(),
                    result.chaosOffSecond(), result.cpu(), List.copyOf(warnings));
        }
        return new Result(result, valid, loop.executed(), loop.nanoTime() / 1e9, THREADS.getCurrentThreadCpuTime() - cpu0);
    }

    /** EXPERIMENTS.md's gate: baseline success >= 99% and baseline p99 within the SLO. */
    static boolean validBaseline(WindowStats baseline, MttrRule rule) {
        return baseline.successRate() >= VALID_BASELINE_SUCCESS && baseline.p99Ms() <= rule.sloP99Ms();
    }

    private static RunResult measure(RunSpec spec, Phases phases, MttrRule rule, Fault fault, Stack stack, List<BinStats> bins,
                                     List<Map<String, Counters>> c, Set<String> acked) {
        Map<String, WindowStats> windows = new LinkedHashMap<>();
        windows.put("baseline", WindowStats.of(bins, phases.warmup(), phases.faultStart()));
        windows.put("fault", WindowStats.of(bins, phases.faultStart(), phases.faultEnd()));
        windows.put("recovery", WindowStats.of(bins, phases.faultEnd(), phases.end()));
        windows.put("measured", WindowStats.of(bins, phases.warmup(), phases.end()));
        Map<String, Amplification> amp = new LinkedHashMap<>();
        amp.put("baseline", Amplification.of(delta(c.get(1), c.get(0)), windows.get("baseline").sent()));
        amp.put("fault", Amplification.of(delta(c.get(2), c.get(1)), windows.get("fault").sent()));
        amp.put("recovery", Amplification.of(delta(c.get(3), c.get(2)), windows.get("recovery").sent()));
        amp.put("measured", Amplification.of(delta(c.get(3), c.get(0)), windows.get("measured").sent()));
        Recovery recovery = spec.scenario().injectsFault()
                ? rule.evaluate(bins, windows.get("baseline").successRate(), phases.faultEnd(), phases.end())
                : Recovery.not(Recovery.Status.NO_FAULT, phases.recovery(), "scenario none injects no fault");
        AuditResult audit = Audit.reconcile(rows(stack.ledger), acked);
        List<String> warnings = new ArrayList<>();
        if (audit.pendingOrders() > 0) {
            warnings.add(audit.pendingOrders() + " orders left PENDING by a failed compensation (the recovery sweep, after 120 s, is not simulated)");
        }
        double on = fault.injects() ? phases.faultStart() : Double.NaN;
        double off = fault.injects() ? phases.faultEnd() : Double.NaN;
        return new RunResult(spec, phases, windows, amp, Telemetry.of(delta(c.get(3), c.get(0))), recovery, audit, "",
                bins.stream().map(b -> TimelineRow.of(b, phases)).toList(), on, off, NO_CPU, List.copyOf(warnings));
    }

    /** A simulated run has no processes to sample: CPU figures are absent, not zero. */
    private static final CpuSampler.Usage NO_CPU = new CpuSampler.Usage(Double.NaN, Double.NaN, Double.NaN, Map.of(), 0);

    private static long seconds(int s) {
        return s * 1_000_000_000L;
    }

    /** What {@code GET /admin/counters} of every service would say now. */
    static Map<String, Counters> counters(Stack stack) {
        Map<String, Counters> m = new LinkedHashMap<>();
        for (Tally t : stack.tallies()) {
            Map<String, Counters.Hop> out = new LinkedHashMap<>();
            for (String d : t.downstreams()) {
                out.put(d, new Counters.Hop(t.attempts(d), t.retries(d)));
            }
            m.put(t.service(), new Counters(t.service(), t.received(), t.completedAfterDeadline(), Map.copyOf(out),
                    t.breakerTransitions(), t.bulkheadRejections(), t.shed()));
        }
        return m;
    }

    private static Map<String, Counters> delta(Map<String, Counters> later, Map<String, Counters> earlier) {
        Map<String, Counters> d = new LinkedHashMap<>();
        later.forEach((s, counters) -> d.put(s, counters.minus(earlier.getOrDefault(s, Counters.zero(s)))));
        return d;
    }

    /** The ledger as the audit loads the databases. */
    static AuditRows rows(Ledger ledger) {
        List<AuditRows.Order> orders = ledger.orders.stream()
                .map(o -> new AuditRows.Order(Long.toString(o.id), o.key, o.status)).toList();
        List<AuditRows.Charge> charges = ledger.charges.stream()
                .map(ch -> new AuditRows.Charge(ch.id(), Long.toString(ch.orderId()), ch.amountCents())).toList();
        List<AuditRows.Product> products = new ArrayList<>();
        for (int p = 0; p < ledger.stock.length; p++) {
            products.add(new AuditRows.Product(product(p), ledger.stock[p], ledger.initialStock[p]));
        }
        List<AuditRows.Reservation> reservations = ledger.reservations.stream()
                .map(r -> new AuditRows.Reservation(Long.toString(r.orderId), product(r.product), r.quantity, r.status)).toList();
        List<AuditRows.Delivery> deliveries = ledger.deliveries.stream()
                .map(d -> new AuditRows.Delivery(Long.toString(d.eventId()), Long.toString(d.orderId()), Audit.CONFIRMED_KIND)).toList();
        return new AuditRows(orders, charges, products, reservations, deliveries, ledger.outbox.size());
    }

    private static String product(int index) {
        return "prod-%03d".formatted(index + 1);
    }
}
