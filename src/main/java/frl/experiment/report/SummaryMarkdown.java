package frl.experiment.report;

import frl.experiment.metrics.CellSummary;
import frl.experiment.metrics.Ci;
import frl.experiment.metrics.Metric;
import frl.experiment.metrics.RunResult;
import frl.experiment.plan.Scenario;
import frl.experiment.run.Experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * summary.md: the spec's table (success, P95, retry amplification) with what the method adds:
 * goodput, MTTR and the fraction of runs that did not recover, amplification at every hop, the
 * audit, confidence intervals, and the success definition stated where the numbers are. Also the
 * final table ExperimentMain prints on the terminal ({@link #mainTable}).
 *
 * <p>Where a scenario injects independent errors at rate p per payment attempt, every config must
 * satisfy success <= (1 - p) x orders->payments amplification (an order needs at least one
 * successful payment attempt); the table prints that bound beside the success rate and flags a run
 * set that exceeds it, which would mean a measurement or accounting bug.
 */
public final class SummaryMarkdown {
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
        md.append("Values are means over runs; brackets are 95% bootstrap intervals over per-run values (shown when a cell has >= 2 runs). ")
                .append("Amplification = attempts received at the hop (the service's own counter) / client requests. ")
                .append("MTTR: from fault removal until, in the ").append(exp.rule().windowSeconds()).append(" s rolling window, successes are >= ")
                .append(fmt(exp.rule().fraction(), "%.2f")).append(" x the baseline success ratio x scheduled arrivals (goodput judged against the load offered) and p99 <= ").append(fmt(exp.rule().sloP99Ms(), "%.0f"))
                .append(" ms, held ").append(exp.rule().holdSeconds()).append(" s; \"not recovered\" is a Wilson 95% interval over runs with a verdict.\n\n");
        md.append("## Correctness audit (whole run, after drain)\n\n").append(auditTable(cells).markdown()).append('\n');
        md.append("## Pattern telemetry (measured window + drain)\n\n").append(telemetryTable(cells).markdown()).append('\n');
        List<String> warnings = warnings(exp, results);
        if (!warnings.isEmpty()) {
            md.append("## Warnings\n\n");
            warnings.forEach(w -> md.append("- ").append(w).append('\n'));
            md.append('\n');
        }
        md.append("Files: run.json (every knob, seed, environment, per-run numbers), timeline.csv (per second), runs.csv, summary.csv, report.html.\n");
        return md.toString();
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
        if (exp.calibration() != null && exp.calibration().cpuBound()) {
            warnings.add("calibration: the machine's CPUs were >= 90% busy at the knee, so the measured capacity may be the CPUs', not the payment processor's");
        }
        if (exp.calibration() != null && !exp.calibration().found()) {
            warnings.add("calibration found no knee: capacity " + fmt(exp.capacity(), "%.1f") + "/s is a lower bound, so loads are below their nominal fractions");
        }
        return warnings;
    }

    static String settings(Experiment exp) {
        return "- scenario `" + exp.scenario().id + "`" + (exp.scenario().injectsFault()
                ? ": `POST " + exp.scenario().target + " /admin/chaos " + exp.chaosJson() + "` for the fault window, then `" + Scenario.CHAOS_OFF + "`"
                : ": no fault") + "\n"
                + "- timeline (s): warm-up " + exp.phases().warmup() + " (discarded), baseline " + exp.phases().baseline()
                + ", fault " + exp.phases().fault() + ", recovery " + exp.phases().recovery() + ", drain " + exp.phases().drain() + "\n"
                + "- capacity " + fmt(exp.capacity(), "%.1f") + " req/s (" + exp.capacitySource() + "); loads " + exp.loads()
                + " of capacity; " + exp.reps() + " run(s) per cell, configs interleaved\n"
                + "- client: timeout " + exp.policy().timeout().toMillis() + " ms, " + exp.policy().resends()
                + " re-send(s) on timeout with the same Idempotency-Key, send slack " + exp.policy().sendSlack().toMillis() + " ms\n"
                + "- seed " + exp.seed() + ", git " + exp.environment().getOrDefault("git_revision", "unknown")
                + (Boolean.parseBoolean(exp.environment().getOrDefault("git_dirty", "false")) ? " (uncommitted changes)" : "")
                + ", " + exp.environment().getOrDefault("jdk", "") + ", " + exp.environment().getOrDefault("cpu_count", "?") + " CPUs\n";
    }

    /** The main table: the spec's columns first, then what the method adds. */
    public static Table mainTable(Experiment exp, List<CellSummary> cells) {
        double p = Scenario.errorRate(exp.chaosJson());
        List<String> header = new ArrayList<>(List.of("Config", "Load", "Success", "P95 ms", "Retry amp. orders->payments",
                "gateway->orders", "orders->inventory", "Goodput/s", "Success (measured)", "MTTR", "Not recovered", "Wasted work"));
        if (p > 0) {
            header.add(3, "Bound (1-p) x amp");
        }
        List<List<String>> rows = new ArrayList<>();
        for (CellSummary c : cells) {
            List<String> row = new ArrayList<>(List.of(c.config(), fmt(c.loadFraction(), "%.2f") + " (" + fmt(c.rate(), "%.0f") + "/s)",
                    pct(c.metric("success_fault")), c.metric("p95_fault_ms").format("%.0f"),
                    x(c.metric("amp_orders_payments_fault")), x(c.metric("amp_gateway_orders_fault")),
                    x(c.metric("amp_orders_inventory_fault")), c.metric("goodput_fault").format("%.1f"),
                    pct(c.metric("success_measured")), c.mttrText(),
                    c.notRecovered().n() == 0 ? "n/a" : c.notRecovered().format("%.2f"), c.metric("wasted_work").format("%.0f")));
            if (p > 0) {
                row.add(3, boundCell(p, c));
            }
            rows.add(row);
        }
        return new Table(header, rows);
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
        double n = c.metric("scheduled_fault").estimate() * c.runs();
        double b = Math.min(1, bound);
        double margin = 3 * Math.sqrt(b * (1 - b) / Math.max(1, n)) + 0.01;
        return fmt(100 * bound, "%.1f%%") + (success > bound + margin ? " (success above it: check the counters)" : "");
    }

    static Table auditTable(List<CellSummary> cells) {
        List<String> ids = List.of("duplicate_charges", "confirmed_without_charge", "orphan_charges", "stock_drift_units",
                "notifications_missing", "notifications_duplicated", "notifications_spurious", "acked_not_confirmed",
                "pending_orders", "leaked_reservations", "outbox_unsent");
        return metricTable(cells, ids);
    }

    static Table telemetryTable(List<CellSummary> cells) {
        return metricTable(cells, List.of("retries", "breaker_transitions", "shed", "bulkhead_rejections",
                "failed_timeout_measured", "failed_5xx_measured", "failed_4xx_measured", "failed_connection_measured",
                "failed_not_sent_on_time_measured"));
    }

    private static Table metricTable(List<CellSummary> cells, List<String> ids) {
        List<String> header = new ArrayList<>(List.of("Config", "Load"));
        ids.forEach(id -> header.add(Metric.byId(id).label()));
        List<List<String>> rows = new ArrayList<>();
        for (CellSummary c : cells) {
            List<String> row = new ArrayList<>(List.of(c.config(), fmt(c.loadFraction(), "%.2f")));
            ids.forEach(id -> row.add(c.metric(id).format(Metric.byId(id).format())));
            rows.add(row);
        }
        return new Table(header, rows);
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
