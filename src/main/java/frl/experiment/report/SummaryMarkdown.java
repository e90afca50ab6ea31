package frl.experiment.report;

import frl.experiment.metrics.CellSummary;
import frl.experiment.metrics.Ci;
import frl.experiment.metrics.Metric;
import frl.experiment.metrics.Rejections;
import frl.experiment.metrics.RunResult;
import frl.experiment.plan.Scenario;
import frl.experiment.run.Calibrator;
import frl.experiment.run.Experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * summary.md: the spec's table (success, P95, retry amplification) with what the method adds:
 * goodput, MTTR (Kaplan-Meier over repetitions) and the fraction of runs that did not recover,
 * amplification at every hop, duplicate charges per client key, CPU-bound seconds, the audit,
 * refusals per hop, paired differences against A, confidence intervals, and the success definition
 * stated where the numbers are. Also the final table ExperimentMain prints ({@link #mainTable}).
 *
 * <p>A cell none of whose runs passed the baseline gate prints "invalid: baseline X%" instead of
 * numbers, in every table; its runs are still in runs.csv and timeline.csv, to see why.
 *
 * <p>Where a scenario injects independent errors at rate p per payment attempt, every config must
 * satisfy success <= (1 - p) x orders->payments amplification (an order needs at least one
 * successful payment attempt); the table prints that bound beside the success rate and flags a run
 * set that exceeds it, which would mean a measurement or accounting bug.
 */
public final class SummaryMarkdown {
    /** What an invalid cell prints in a column that is not its status. */
    static final String NO_NUMBER = "-";

    private SummaryMarkdown() {
    }

    public static String render(Experiment exp, List<RunResult> results, List<CellSummary> cells, boolean complete) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(exp.scenario().id).append(": configs ").append(String.join(", ", exp.configs()))
                .append(" (profile ").append(exp.profile().id()).append(")\n\n");
        if (!complete) {
            md.append("> **Partial results**: ").append(results.size()).append(" of ").append(exp.plan().size())
                    .append(" runs finished.\n\n");
        }
        md.append("**Success** = the client got HTTP 201 (order confirmed) within the client timeout (")
                .append(exp.policy().timeout().toMillis()).append(" ms), over *scheduled* arrivals")
                .append(" (open model, Poisson; latency measured from the intended send time).")
                .append(exp.policy().resends() > 0 ? " Clients re-send a timed-out order up to " + exp.policy().resends()
                        + " time(s) with the same Idempotency-Key; an arrival succeeds when any attempt gets 201 within that attempt's timeout,"
                        + " and its latency runs from the first intended send time." : "")
                .append("\n\n");
        md.append(settings(exp)).append('\n');
        md.append(exp.scenario().injectsFault() ? "## Results (fault window unless stated)\n\n"
                        : "## Results (middle window unless stated: no fault is injected in `none`)\n\n").append(mainTable(exp, cells).markdown()).append('\n');
        md.append("Values are means over valid runs; brackets are 95% bootstrap intervals over per-run values (shown when a cell has >= 2 runs). ")
                .append("A run is valid when its baseline served >= ").append(fmt(100 * exp.rule().minBaselineSuccess(), "%.0f"))
                .append("% of its arrivals with p99 <= ").append(fmt(exp.rule().sloP99Ms(), "%.0f"))
                .append(" ms; an invalid run is played again (up to ").append(exp.settings().invalidRetries())
                .append(" times) and a cell with no valid run prints \"invalid: baseline X%\" instead of numbers. ")
                .append("Amplification = attempts received at the hop (the service's own counter) / client requests. ")
                .append("MTTR: from fault removal until, in the ").append(exp.rule().windowSeconds()).append(" s rolling window, successes are >= ")
                .append(fmt(exp.rule().fraction(), "%.2f")).append(" x the baseline success ratio x scheduled arrivals (goodput judged against the load offered) and p99 <= ").append(fmt(exp.rule().sloP99Ms(), "%.0f"))
                .append(" ms, held ").append(exp.rule().holdSeconds()).append(" s. With several runs, MTTR is the Kaplan-Meier median,")
                .append(" a run that did not recover being censored at the longest MTTR its window could show; \"not recovered\" is a Wilson 95% interval over runs with a verdict.")
                .append(" Duplicate charges per key: charges beyond the first per client Idempotency-Key (a customer who pressed once and paid twice).")
                .append(" CPU-bound seconds: seconds of the measured window with the machine's CPUs > 90% busy.\n\n");
        Table versus = versusTable(cells);
        if (!versus.rows().isEmpty()) {
            md.append("## Differences against ").append(cells.get(0).baselineConfig())
                    .append(" (paired by repetition: each repetition's configs faced the same arrivals)\n\n")
                    .append(versus.markdown()).append('\n')
                    .append("Mean of (config - ").append(cells.get(0).baselineConfig())
                    .append(") over repetitions where both runs are valid, with a paired bootstrap 95% interval; an interval that excludes 0 is a difference the repetitions agree on.\n\n");
        }
        md.append("## Correctness audit (whole run, after drain)\n\n").append(auditTable(cells).markdown()).append('\n');
        md.append("Orders still PENDING when the drain ended (bound ").append(exp.settings().drainBound().toSeconds())
                .append(" s) are counted apart and left out of every other column: they are not settled, so they are not judged.\n\n");
        md.append("## Refusals by hop (measured window + drain)\n\n").append(rejectionTable(cells).markdown()).append('\n');
        md.append("From the services' Prometheus counters, filtered to the run's configuration: bulkhead rejections, breaker trips")
                .append(" (transitions to OPEN) and calls an open breaker refused, per caller->downstream. n/a: the stack does not report it.\n\n");
        md.append("## Pattern telemetry and the machine (measured window + drain)\n\n").append(telemetryTable(cells).markdown()).append('\n');
        String validity = validityLines(results);
        if (!validity.isEmpty()) {
            md.append("## Validity\n\n").append(validity).append('\n');
        }
        List<String> warnings = warnings(exp, results);
        if (!warnings.isEmpty()) {
            md.append("## Warnings\n\n");
            warnings.forEach(w -> md.append("- ").append(w).append('\n'));
            md.append('\n');
        }
        md.append("Files: run.json (every knob, seed, environment, per-run numbers), timeline.csv (per second, with CPU), runs.csv, summary.csv, report.html.\n");
        return md.toString();
    }

    /** Runs that needed more than one attempt, or stayed invalid: one line each. */
    static String validityLines(List<RunResult> results) {
        StringBuilder b = new StringBuilder();
        for (RunResult r : results) {
            if (r.gates().attempt() > 1 || !r.valid()) {
                b.append("- run ").append(r.spec().index()).append(" (").append(r.spec().tag()).append("): ")
                        .append(r.valid() ? "valid on attempt " + r.gates().attempt() : r.gates().validity().reason() + " after "
                                + r.gates().attempt() + " attempt(s)");
                if (!r.gates().discarded().isEmpty()) {
                    b.append("; discarded: ").append(String.join("; ", r.gates().discarded()));
                }
                b.append('\n');
            }
        }
        return b.toString();
    }

    /** Every warning of every run, and the calibration's, in words. */
    static List<String> warnings(Experiment exp, List<RunResult> results) {
        List<String> warnings = new ArrayList<>();
        for (RunResult r : results) {
            r.warnings().forEach(w -> warnings.add("run " + r.spec().index() + " (" + r.spec().tag() + "): " + w));
            if (r.audit() == null) {
                warnings.add("run " + r.spec().index() + " (" + r.spec().tag() + "): no audit: " + r.auditNote());
            }
        }
        Calibrator.Calibration c = exp.calibration();
        if (c != null && c.machineBound()) {
            warnings.add(machineBoundText(c));
        }
        if (c != null && !c.found()) {
            warnings.add("calibration: not every pass found a knee: capacity " + fmt(exp.capacity(), "%.1f")
                    + "/s may be a lower bound, so loads may be below their nominal fractions");
        }
        if (exp.capacityCheck() != null && !exp.capacityCheck().consistent()) {
            warnings.add(exp.capacityCheck().message());
        }
        return warnings;
    }

    public static String machineBoundText(Calibrator.Calibration c) {
        return String.format(Locale.ROOT, "calibration: the machine's CPUs were %.0f%% busy at the knee (above %.0f%%): the machine,"
                + " not the simulated payment processor, set this capacity", 100 * c.cpuAtKnee(), 100 * Calibrator.MACHINE_BOUND);
    }

    static String settings(Experiment exp) {
        String capacity = exp.calibration() != null ? exp.calibration().describe() : fmt(exp.capacity(), "%.1f") + " req/s";
        return "- scenario `" + exp.scenario().id + "`" + (exp.scenario().injectsFault()
                ? ": `POST " + exp.scenario().target + " /admin/chaos " + exp.chaosJson() + "` for the fault window, then `" + Scenario.CHAOS_OFF + "`"
                : ": no fault") + "\n"
                + "- timeline (s): adaptive warm-up (until warm, at most " + exp.settings().warmupBoundSeconds() + "), settle "
                + exp.phases().warmup() + " (discarded), baseline " + exp.phases().baseline()
                + ", fault " + (exp.sweepsTrigger() ? exp.faults() + " (trigger sweep)" : Integer.toString(exp.phases().fault()))
                + ", recovery " + exp.phases().recovery() + ", drain at least " + exp.phases().drain() + " and until settled (at most "
                + exp.settings().drainBound().toSeconds() + ")\n"
                + "- capacity " + capacity + " (" + exp.capacitySource() + "); loads " + exp.loads()
                + " of capacity; " + exp.reps() + " paired run(s) per cell, configs interleaved\n"
                + (exp.capacityCheck() != null ? "- capacity check: " + exp.capacityCheck().message() + "\n" : "")
                + "- client: timeout " + exp.policy().timeout().toMillis() + " ms, " + exp.policy().resends()
                + " re-send(s) on timeout with the same Idempotency-Key, send slack " + exp.policy().sendSlack().toMillis() + " ms\n"
                + "- seed " + exp.seed() + ", git " + exp.environment().getOrDefault("git_revision", "unknown")
                + (Boolean.parseBoolean(exp.environment().getOrDefault("git_dirty", "false")) ? " (uncommitted changes)" : "")
                + ", " + exp.environment().getOrDefault("jdk", "") + ", " + exp.environment().getOrDefault("cpu_count", "?") + " CPUs\n";
    }

    /** "0.85 (67/s)", with ", fault 10 s" when the experiment sweeps the trigger. */
    static String loadLabel(CellSummary c, boolean withFault) {
        return fmt(c.loadFraction(), "%.2f") + " (" + fmt(c.rate(), "%.0f") + "/s)" + (withFault ? ", fault " + c.faultSeconds() + " s" : "");
    }

    /** The main table: the spec's columns first, then what the method adds. */
    public static Table mainTable(Experiment exp, List<CellSummary> cells) {
        double p = Scenario.errorRate(exp.chaosJson());
        List<String> header = new ArrayList<>(List.of("Config", "Load", "Success", "P95 ms", "Retry amp. orders->payments",
                "gateway->orders", "orders->inventory", "Goodput/s", "Success (measured)", "MTTR", "Not recovered",
                "Wasted work", "Dup. charges per key", "CPU-bound s"));
        if (p > 0) {
            header.add(3, "Bound (1-p) x amp");
        }
        List<List<String>> rows = new ArrayList<>();
        for (CellSummary c : cells) {
            List<String> row;
            if (c.invalid()) {
                row = invalidRow(c, header.size(), exp.sweepsTrigger());
            } else {
                row = new ArrayList<>(List.of(c.config(), loadLabel(c, exp.sweepsTrigger()),
                        pct(c.metric("success_fault")) + partial(c), c.metric("p95_fault_ms").format("%.0f"),
                        x(c.metric("amp_orders_payments_fault")), x(c.metric("amp_gateway_orders_fault")),
                        x(c.metric("amp_orders_inventory_fault")), c.metric("goodput_fault").format("%.1f"),
                        pct(c.metric("success_measured")), c.mttrText(),
                        c.notRecovered().n() == 0 ? "n/a" : c.notRecovered().format("%.2f"), c.metric("wasted_work").format("%.0f"),
                        c.metric("duplicate_charges_per_key").format("%.1f"), c.metric("cpu_bound_seconds").format("%.0f")));
                if (p > 0) {
                    row.add(3, boundCell(p, c));
                }
            }
            rows.add(row);
        }
        return new Table(header, rows);
    }

    /** " (1 of 5 runs invalid, excluded)" when some, not all, runs of the cell were invalid. */
    private static String partial(CellSummary c) {
        return c.status().equals("valid") ? "" : " (" + c.status() + ")";
    }

    /** Config, load, the status where the first number would be, and a dash in every other column. */
    static List<String> invalidRow(CellSummary c, int columns, boolean withFault) {
        List<String> row = new ArrayList<>(List.of(c.config(), loadLabel(c, withFault), c.status()));
        while (row.size() < columns) {
            row.add(NO_NUMBER);
        }
        return row;
    }

    /**
     * The bound (1 - p) x orders->payments amplification, flagged when the measured success is
     * above it by more than sampling noise can explain: 3 binomial standard errors over the
     * cell's scheduled arrivals, plus 1 point for requests in flight across the window's edges.
     */
    static String boundCell(double p, CellSummary c) {
        double bound = (1 - p) * c.metric("amp_orders_payments_fault").estimate();
        if (Double.isNaN(bound)) {
            return "n/a";
        }
        double success = c.metric("success_fault").estimate();
        double n = c.metric("scheduled_fault").estimate() * c.validRuns();
        double b = Math.min(1, bound);
        double margin = 3 * Math.sqrt(b * (1 - b) / Math.max(1, n)) + 0.01;
        return fmt(100 * bound, "%.1f%%") + (success > bound + margin ? " (success above it: check the counters)" : "");
    }

    static Table auditTable(List<CellSummary> cells) {
        return metricTable(cells, List.of("duplicate_charges_per_order", "duplicate_charges_per_key", "orders_without_key",
                "confirmed_without_charge", "orphan_charges", "stock_drift_units", "notifications_missing",
                "notifications_duplicated", "notifications_spurious", "acked_not_confirmed", "leaked_reservations",
                "outbox_unsent", "pending_orders"));
    }

    static Table rejectionTable(List<CellSummary> cells) {
        List<String> ids = new ArrayList<>();
        for (String kind : Rejections.KINDS) {
            for (String hop : Rejections.HOPS) {
                ids.add(Metric.rejectionId(kind, hop));
            }
        }
        return metricTable(cells, ids);
    }

    static Table telemetryTable(List<CellSummary> cells) {
        return metricTable(cells, List.of("retries", "retry_budget_refusals", "breaker_transitions", "shed", "bulkhead_rejections",
                "failed_timeout_measured", "failed_5xx_measured", "failed_4xx_measured", "failed_connection_measured",
                "failed_not_sent_on_time_measured", "admin_slowest_ms", "cpu_bound_seconds", "machine_cpu_measured",
                "warmup_s", "drain_s"));
    }

    /** Per (config, load): each paired metric's difference against the baseline config. */
    static Table versusTable(List<CellSummary> cells) {
        List<String> header = new ArrayList<>(List.of("Config", "Load", "pairs"));
        Metric.PAIRED.forEach(id -> header.add("diff " + Metric.byId(id).label()));
        List<List<String>> rows = new ArrayList<>();
        boolean withFault = cells.stream().map(CellSummary::faultSeconds).distinct().count() > 1;
        for (CellSummary c : cells) {
            if (c.versus().isEmpty() || c.versus().values().stream().allMatch(ci -> ci.n() == 0)) {
                continue;
            }
            List<String> row = new ArrayList<>(List.of(c.config() + " - " + c.baselineConfig(), loadLabel(c, withFault),
                    Integer.toString(c.versus().values().stream().mapToInt(Ci::n).max().orElse(0))));
            Metric.PAIRED.forEach(id -> row.add(signed(c.versus().get(id), Metric.byId(id).format())));
            rows.add(row);
        }
        return new Table(header, rows);
    }

    private static Table metricTable(List<CellSummary> cells, List<String> ids) {
        List<String> header = new ArrayList<>(List.of("Config", "Load"));
        ids.forEach(id -> header.add(Metric.byId(id).label()));
        boolean withFault = cells.stream().map(CellSummary::faultSeconds).distinct().count() > 1;
        List<List<String>> rows = new ArrayList<>();
        for (CellSummary c : cells) {
            if (c.invalid()) {
                rows.add(invalidRow(c, header.size(), withFault));
                continue;
            }
            List<String> row = new ArrayList<>(List.of(c.config(), fmt(c.loadFraction(), "%.2f") + (withFault ? ", fault " + c.faultSeconds() + " s" : "")));
            ids.forEach(id -> row.add(c.metric(id).format(Metric.byId(id).format())));
            rows.add(row);
        }
        return new Table(header, rows);
    }

    /** "+0.120 [+0.010, +0.230]": a difference always shows its sign. */
    static String signed(Ci ci, String numberFormat) {
        if (ci == null || Double.isNaN(ci.estimate())) {
            return "n/a";
        }
        Function<Double, String> f = v -> String.format(Locale.ROOT, numberFormat.replace("%", "%+"), v);
        return ci.hasInterval() ? f.apply(ci.estimate()) + " [" + f.apply(ci.low()) + ", " + f.apply(ci.high()) + "]" : f.apply(ci.estimate());
    }

    static String pct(Ci ci) {
        if (Double.isNaN(ci.estimate())) {
            return "n/a";
        }
        String e = fmt(100 * ci.estimate(), "%.1f%%");
        return ci.hasInterval() ? e + " [" + fmt(100 * ci.low(), "%.1f") + ", " + fmt(100 * ci.high(), "%.1f") + "]" : e;
    }

    static String x(Ci ci) {
        if (Double.isNaN(ci.estimate())) {
            return "n/a";
        }
        String e = fmt(ci.estimate(), "%.2f") + "x";
        return ci.hasInterval() ? e + " [" + fmt(ci.low(), "%.2f") + ", " + fmt(ci.high(), "%.2f") + "]" : e;
    }

    static String fmt(double v, String format) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, format, v);
    }
}
