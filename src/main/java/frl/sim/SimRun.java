package frl.sim;

import frl.experiment.metrics.Audit;
import frl.experiment.metrics.AuditResult;
import frl.experiment.metrics.DrainOutcome;
import frl.experiment.metrics.RunAssembly;
import frl.experiment.metrics.Validity;
import frl.experiment.metrics.WarmupOutcome;
import frl.experiment.stack.AdminClient;
import frl.experiment.stack.AuditRows;
import frl.experiment.load.BinStats;
import frl.experiment.load.ClientPolicy;
import frl.experiment.stack.Counters;
import frl.experiment.stack.CpuSampler;
import frl.experiment.metrics.MttrRule;
import frl.experiment.load.Outcome;
import frl.experiment.plan.Phases;
import frl.experiment.load.RequestResult;
import frl.experiment.metrics.RunResult;
import frl.experiment.plan.RunSpec;
import frl.experiment.load.Schedule;
import frl.experiment.load.Timeline;
import frl.experiment.metrics.WindowStats;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
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
 * <p>The run's result is assembled by the harness's {@link RunAssembly}, so a simulated run and a
 * real one are judged by one definition: the baseline gate ({@link Validity}), the MTTR rule's
 * refusal of an invalid baseline, the warnings. What the simulation does not have is recorded as
 * absent, never as zero: CPU per second is {@link CpuSampler.Usage#UNKNOWN} (there are no
 * processes to sample), the admin plane's latency is NaN. There is no adaptive warm-up (a
 * simulated stack has no JIT to warm) and no second attempt for an invalid run: the model is
 * deterministic, so the same seed would play the same invalid run again. The drain is the
 * phases' fixed drain after the last arrival's fate is known.
 *
 * <p>Stateless; each call builds its own stack, so runs may go in parallel on separate threads.
 */
public final class SimRun {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * A run's numbers, and what it cost.
     *
     * @param run      the harness's record of the run; null only for a run stopped early because
     *                 its baseline was invalid (see {@code skipInvalid})
     * @param validity the baseline gate's verdict (the same as {@code run.gates().validity()} when
     *                 there is a run)
     * @param events   events executed (the simulator's unit of work)
     * @param cpuNanos CPU time of the thread that ran it (machine-dependent; never in the results' numbers)
     */
    public record Result(RunResult run, Validity validity, long events, double simulatedSeconds, long cpuNanos) {
        public boolean valid() {
            return validity.valid();
        }
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
    public static Result run(RunSpec spec, Phases experimentPhases, ClientPolicy policy, MttrRule rule, Fault fault,
                             Knobs knobs, Watcher watcher, boolean skipInvalid) {
        Phases phases = spec.phases(experimentPhases); // a --trigger run's fault length is its own
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
        List<Map<String, String>> metrics = new ArrayList<>(); // /metrics at the settle's end and after the drain
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
                            metrics.add(metrics(stack, spec.config()));
                            loop.stop();
                        });
                    }
                });
        loop.at(seconds(phases.warmup()), () -> {
            snapshots.add(counters(stack));
            metrics.add(metrics(stack, spec.config()));
        });
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
                metrics.add(metrics(stack, spec.config()));
                loop.stop();
            });
        }
        Validity[] skipped = {null};
        if (skipInvalid) {
            loop.at(seconds(phases.faultStart()) + policy.worstCase().toNanos(), () -> {
                Validity v = Validity.of(WindowStats.of(timeline.snapshot(), phases.warmup(), phases.faultStart()), rule);
                if (!v.valid()) {
                    skipped[0] = v;
                    loop.stop();
                }
            });
        }
        client.start();
        // Every arrival finishes within the client's worst case after its intended time.
        loop.runUntil(seconds(phases.end()) + policy.worstCase().toNanos() + drainNanos + seconds(1));
        if (skipped[0] != null) {
            return new Result(null, skipped[0], loop.executed(), loop.nanoTime() / 1e9, THREADS.getCurrentThreadCpuTime() - cpu0);
        }
        if (snapshots.size() != 4) {
            throw new IllegalStateException("run " + spec.tag() + " ended with " + (offsets.length - finished[0])
                    + " arrivals unfinished: a request was lost inside the simulated stack");
        }
        RunResult result = measure(spec, phases, rule, fault, stack, timeline.snapshot(), snapshots, metrics, acked);
        return new Result(result, result.gates().validity(), loop.executed(), loop.nanoTime() / 1e9,
                THREADS.getCurrentThreadCpuTime() - cpu0);
    }

    private static RunResult measure(RunSpec spec, Phases phases, MttrRule rule, Fault fault, Stack stack, List<BinStats> bins,
                                     List<Map<String, Counters>> c, List<Map<String, String>> metricsAt, Set<String> acked) {
        AuditResult audit = Audit.reconcile(rows(stack.ledger), acked);
        List<AdminClient.Snapshot> snapshots = c.stream().map(m -> new AdminClient.Snapshot(m, Map.of(), List.of())).toList();
        List<CpuSampler.Usage> noCpu = java.util.Collections.nCopies(bins.size(), CpuSampler.Usage.UNKNOWN);
        // A failed compensation leaves its order PENDING for the recovery sweep, which is not simulated.
        DrainOutcome drain = audit.pendingOrders() == 0
                ? new DrainOutcome(phases.drain(), true, 0, -1, 0, "fixed drain of " + phases.drain() + " s in virtual time")
                : new DrainOutcome(phases.drain(), false, audit.pendingOrders(), -1, 0, audit.pendingOrders()
                + " orders left PENDING by a failed compensation (the recovery sweep is not simulated)");
        double on = fault.injects() ? phases.faultStart() : Double.NaN;
        double off = fault.injects() ? phases.faultEnd() : Double.NaN;
        return RunAssembly.result(new RunAssembly.Observed(spec, phases, WarmupOutcome.NONE, 1, List.of(), bins, snapshots,
                metricsAt, noCpu, CpuSampler.Usage.UNKNOWN, drain, audit, "", on, off, List.of()), rule);
    }

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
                    t.breakerTransitions(), t.bulkheadRejections(), t.shed(), t.retryBudgetRefusals()));
        }
        return m;
    }

    /** What {@code GET /metrics} of every service would say now (the refusal families only). */
    static Map<String, String> metrics(Stack stack, String config) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Tally t : stack.tallies()) {
            m.put(t.service(), t.metricsText(config));
        }
        return m;
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
