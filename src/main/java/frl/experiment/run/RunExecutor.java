package frl.experiment.run;

import frl.experiment.load.ClientPolicy;
import frl.experiment.load.LoadDriver;
import frl.experiment.load.Outcome;
import frl.experiment.load.ResultSink;
import frl.experiment.load.Schedule;
import frl.experiment.load.Timeline;
import frl.experiment.load.Transport;
import frl.experiment.metrics.Audit;
import frl.experiment.metrics.AuditResult;
import frl.experiment.metrics.DrainOutcome;
import frl.experiment.metrics.MttrRule;
import frl.experiment.metrics.RunAssembly;
import frl.experiment.metrics.RunResult;
import frl.experiment.metrics.WarmupGate;
import frl.experiment.metrics.WarmupOutcome;
import frl.experiment.plan.Phases;
import frl.experiment.plan.RunSpec;
import frl.experiment.plan.Scenario;
import frl.experiment.stack.AdminClient;
import frl.experiment.stack.AuditLoader;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plays one run against the live stack, and plays it again when its baseline fails the validity
 * gate. The order of one attempt is the method of EXPERIMENTS.md:
 * <ol>
 *   <li>wait for the previous run's work to drain, then {@code POST /admin/reset} on every service
 *       (fresh breakers, bulkheads, queues, caches, chaos off, stock restored, counters zeroed);
 *       each database's clock is read so the audit takes only this run's rows;
 *   <li>the adaptive warm-up ({@link Warmup}): load at the run's rate until the stack is warm, at
 *       most {@link Settings#warmupBoundSeconds()};
 *   <li>the measured schedule starts at once (no gap after the warm-up); on the same start, CPU is
 *       recorded every second, counters (and /metrics) are snapshotted at the end of the phases'
 *       warm-up seconds, chaos goes on at the fault's start and off at its end, each followed by a
 *       counters snapshot;
 *   <li>after the last arrival's fate is known, the {@link Drain} waits until nothing is PENDING or
 *       queued (bounded, sweeping through the admin plane); then the last snapshot and the audit.
 * </ol>
 * What the attempt observed becomes its result in {@link RunAssembly}, a pure function.
 *
 * <p>Validity: a run whose baseline fails {@code metrics.Validity} is discarded and played again from the
 * reset, with the same arrival schedule (so the pairing across configs holds) and fresh keys, up to
 * {@link Settings#invalidRetries()} times; the last attempt is kept, invalid or not, with the
 * reasons the others were discarded.
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
    /** Salt of the warm-up's schedule seed (derived from the run's, so every config warms up alike). */
    static final long WARMUP_SALT = 0x5741524dL;

    /**
     * The gates' levers, recorded in run.json.
     *
     * @param warmupBoundSeconds longest adaptive warm-up (0: none)
     * @param invalidRetries     how many times an invalid run is played again
     * @param drainBound         longest drain before the audit
     */
    public record Settings(int warmupBoundSeconds, int invalidRetries, Duration drainBound) {
        public static final int DEFAULT_INVALID_RETRIES = 2;

        public Settings {
            if (warmupBoundSeconds < 0 || invalidRetries < 0 || drainBound.isNegative()) {
                throw new IllegalArgumentException("warm-up bound, retries and drain bound must be >= 0; were "
                        + warmupBoundSeconds + ", " + invalidRetries + ", " + drainBound);
            }
        }
    }

    /** Reports a run's progress about once a second. */
    @FunctionalInterface
    public interface ProgressListener {
        void update(RunSpec spec, String stage, double elapsedSeconds, double plannedSeconds, double liveSuccess);
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
    private final Settings settings;

    public RunExecutor(StackInfo stack, AdminClient admin, AuditLoader audit, HttpClient http, NanoClock clock,
                       Sleeper sleeper, CpuSampler cpu, String body, String runId, Settings settings) {
        this.stack = stack;
        this.admin = admin;
        this.audit = audit;
        this.http = http;
        this.clock = clock;
        this.sleeper = sleeper;
        this.cpu = cpu;
        this.body = body;
        this.runId = runId;
        this.settings = settings;
    }

    public RunResult execute(RunSpec spec, Phases experimentPhases, ClientPolicy policy, MttrRule rule, String chaosJson,
                             ProgressListener progress) throws IOException, InterruptedException {
        Phases phases = spec.phases(experimentPhases);
        List<String> discarded = new ArrayList<>();
        for (int attempt = 1; ; attempt++) {
            RunResult r = attempt(spec, phases, policy, rule, chaosJson, progress, attempt, discarded);
            if (r.valid() || attempt > settings.invalidRetries()) {
                return r;
            }
            discarded.add("attempt " + attempt + ": " + r.gates().validity().reason()
                    + (r.gates().warmup().warm() ? "" : " (warm-up bound reached: " + r.gates().warmup().detail() + ")"));
        }
    }

    private RunResult attempt(RunSpec spec, Phases phases, ClientPolicy policy, MttrRule rule, String chaosJson,
                              ProgressListener progress, int attempt, List<String> discarded)
            throws IOException, InterruptedException {
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
        String keys = runId + "-" + spec.tag() + "-a" + attempt;
        Transport transport = new HttpTransport(http, URI.create(stack.url("gateway") + "/orders"), spec.config(), body,
                policy.deadlineHeader());
        double planned = phases.end() + phases.drain();

        Warmup.Running warm = settings.warmupBoundSeconds() == 0 ? null
                : new Warmup(transport, policy, clock, sleeper, WarmupGate.of(rule)).run(spec.rate(), settings.warmupBoundSeconds(),
                spec.scheduleSeed() ^ WARMUP_SALT, keys + "-w", s -> progress.update(spec, "warm-up", s, settings.warmupBoundSeconds(), Double.NaN));
        WarmupOutcome warmup = warm == null ? WarmupOutcome.NONE : warm.outcome();

        Schedule schedule = Schedule.poisson(spec.rate(), Duration.ofSeconds(phases.end()), spec.scheduleSeed());
        Timeline timeline = new Timeline(schedule);
        Set<String> acked = ConcurrentHashMap.newKeySet();
        ResultSink sink = ResultSink.all(timeline, r -> {
            if (r.outcome() == Outcome.SUCCESS && r.orderId() != null) {
                acked.add(r.orderId());
            }
        });
        LoadDriver driver = new LoadDriver(schedule, transport, policy, clock, sleeper, LoadDriver.VIRTUAL_THREADS, keys);

        CpuSampler.Sample cpuBefore = cpu.sample();
        long start = clock.nanoTime() + LEAD.toNanos();
        CpuSampler.Recording perSecond = cpu.record(start, sleeper);
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
        // At the fault's edges the switch comes first and the snapshot second: the switch's timing
        // is the experiment, a snapshot a few milliseconds late only moves a few attempts between
        // windows. Snapshots are taken in parallel with a short timeout for the same reason.
        waitUntil(start, phases.warmup(), spec, planned, timeline, progress);
        AdminClient.Snapshot c0 = admin.counters();
        Map<String, String> m0 = admin.metrics();
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
        AdminClient.Snapshot c1 = admin.counters();
        waitUntil(start, phases.faultEnd(), spec, planned, timeline, progress);
        if (spec.scenario().injectsFault()) {
            try {
                admin.chaos(spec.scenario().target, Scenario.CHAOS_OFF);
                chaosOff = secondsSince(start);
            } catch (IOException e) {
                chaosFailure = chaosFailure != null ? chaosFailure : e;
            }
        }
        AdminClient.Snapshot c2 = admin.counters();
        while (load.isAlive()) {
            load.join(1000);
            progress.update(spec, "run", secondsSince(start), planned, timeline.liveSuccessRate());
        }
        if (warm != null) {
            warm.awaitInFlight();
        }
        if (driverFailure[0] != null) {
            perSecond.stop();
            throw new IOException("load driver failed in run " + spec.tag(), driverFailure[0]);
        }
        if (chaosFailure != null) {
            perSecond.stop();
            throw new IOException("run " + spec.tag() + ": chaos switch failed, so this run would be mislabelled", chaosFailure);
        }
        progress.update(spec, "drain", secondsSince(start), planned, timeline.liveSuccessRate());
        DrainOutcome drain = new Drain(clock, sleeper, Duration.ofSeconds(phases.drain()),
                settings.drainBound().compareTo(Duration.ofSeconds(phases.drain())) < 0 ? Duration.ofSeconds(phases.drain())
                        : settings.drainBound()).run(probe(marks, spec.config()));
        AdminClient.Snapshot c3 = admin.counters();
        Map<String, String> m3 = admin.metrics();
        List<CpuSampler.Usage> cpuSeconds = perSecond.stop();
        CpuSampler.Usage usage = cpu.between(cpuBefore, cpu.sample());

        AuditResult auditResult = null;
        if (marks != null) {
            try {
                auditResult = Audit.reconcile(audit.load(marks, spec.config()), acked);
            } catch (SQLException e) {
                auditNote = "audit query failed: " + e.getMessage();
            }
        }
        return RunAssembly.result(new RunAssembly.Observed(spec, phases, warmup, attempt, discarded, timeline.snapshot(),
                List.of(c0, c1, c2, c3), List.of(m0, m3), cpuSeconds, usage, drain, auditResult, auditNote, chaosOn, chaosOff,
                warnings), rule);
    }

    /** The drain's view of the stack: PENDING from the run's own rows when the databases are known. */
    private Drain.Probe probe(AuditLoader.Marks marks, String config) {
        return new Drain.Probe() {
            @Override
            public long pendingOrders() throws IOException, InterruptedException {
                if (marks != null) {
                    try {
                        return audit.pendingOrders(marks, config);
                    } catch (SQLException e) {
                        throw new IOException("counting PENDING orders: " + e.getMessage(), e);
                    }
                }
                return admin.backlog().pendingOrders();
            }

            @Override
            public long paymentsQueued() throws IOException, InterruptedException {
                return admin.backlog().paymentsQueued();
            }

            @Override
            public boolean sweep() throws IOException, InterruptedException {
                return admin.sweep();
            }
        };
    }

    private void waitUntil(long start, int second, RunSpec spec, double planned, Timeline timeline,
                           ProgressListener progress) throws InterruptedException {
        long due = start + second * 1_000_000_000L;
        for (long left = due - clock.nanoTime(); left > 0; left = due - clock.nanoTime()) {
            sleeper.sleep(Duration.ofNanos(Math.min(left, 1_000_000_000L)));
            progress.update(spec, "run", secondsSince(start), planned, timeline.liveSuccessRate());
        }
    }

    private double secondsSince(long start) {
        return (clock.nanoTime() - start) / 1e9;
    }
}
