package frl.experiment.metrics;

import frl.experiment.load.Outcome;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Every per-run number the reports print, defined once: runs.csv, summary.csv, summary.md,
 * report.html and the final terminal table all read this list, so a metric cannot mean one thing
 * in one file and another elsewhere. NaN means "not measured" (for example no audit, or MTTR of
 * a run that did not recover: that run is censored, and cells use Kaplan-Meier instead).
 *
 * <p>Windows: "fault" is the fault window; "measured" is baseline + fault + recovery (warm-up is
 * never included). Latency is milliseconds from the intended send time.
 *
 * @param summarised whether a cell reports the mean of this metric over its runs; false for MTTR,
 *                   whose mean over the runs that recovered would drop exactly the slow ones
 */
public record Metric(String id, String label, String format, ToDoubleFunction<RunResult> value, boolean summarised) {

    public static final String SUCCESS_DEFINITION =
            "success = the client got HTTP 201 (order confirmed) within the client timeout, over scheduled arrivals";

    public static final List<Metric> ALL = build();

    /** The metrics whose difference against the baseline config is reported, paired by repetition. */
    public static final List<String> PAIRED = List.of("success_fault", "goodput_fault", "p95_fault_ms",
            "amp_orders_payments_fault", "success_measured", "duplicate_charges_per_key", "wasted_work");

    public static Metric byId(String id) {
        return ALL.stream().filter(m -> m.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no metric " + id));
    }

    public double of(RunResult r) {
        return value.applyAsDouble(r);
    }

    /** The id of a refusal split: "rej_bulkhead_orders_payments". */
    public static String rejectionId(String kind, String hop) {
        return "rej_" + kind + "_" + hop.replace("->", "_");
    }

    private static List<Metric> build() {
        List<Metric> m = new ArrayList<>();
        for (String w : List.of("fault", "measured")) {
            add(m, "success_" + w, "success (" + w + ")", "%.3f", r -> r.window(w).successRate());
            add(m, "goodput_" + w, "goodput/s (" + w + ")", "%.1f", r -> r.window(w).goodputPerSecond());
            add(m, "p50_" + w + "_ms", "p50 ms (" + w + ")", "%.0f", r -> r.window(w).p50Ms());
            add(m, "p95_" + w + "_ms", "p95 ms (" + w + ")", "%.0f", r -> r.window(w).p95Ms());
            add(m, "p99_" + w + "_ms", "p99 ms (" + w + ")", "%.0f", r -> r.window(w).p99Ms());
            add(m, "p50_ok_" + w + "_ms", "p50 ms of successes (" + w + ")", "%.0f", r -> r.window(w).p50OkMs());
            add(m, "p95_ok_" + w + "_ms", "p95 ms of successes (" + w + ")", "%.0f", r -> r.window(w).p95OkMs());
            add(m, "p99_ok_" + w + "_ms", "p99 ms of successes (" + w + ")", "%.0f", r -> r.window(w).p99OkMs());
            add(m, "amp_client_gateway_" + w, "client->gateway (" + w + ")", "%.2f", r -> r.amplification().get(w).clientToGateway());
            add(m, "amp_gateway_orders_" + w, "gateway->orders (" + w + ")", "%.2f", r -> r.amplification().get(w).gatewayToOrders());
            add(m, "amp_orders_payments_" + w, "orders->payments (" + w + ")", "%.2f", r -> r.amplification().get(w).ordersToPayments());
            add(m, "amp_orders_inventory_" + w, "orders->inventory (" + w + ")", "%.2f", r -> r.amplification().get(w).ordersToInventory());
        }
        add(m, "scheduled_fault", "arrivals scheduled (fault)", "%.0f", r -> r.window("fault").scheduled());
        add(m, "success_baseline", "success (baseline)", "%.3f", r -> r.window("baseline").successRate());
        add(m, "p99_baseline_ms", "p99 ms (baseline)", "%.0f", r -> r.window("baseline").p99Ms());
        add(m, "goodput_baseline", "goodput/s (baseline)", "%.1f", r -> r.window("baseline").goodputPerSecond());
        for (Outcome o : Outcome.values()) {
            if (o.isFailure()) {
                add(m, "failed_" + o.label + "_measured", "failed: " + o.label + " (measured)", "%.0f",
                        r -> r.window("measured").count(o));
            }
        }
        m.add(new Metric("mttr_s", "MTTR s (this run; NaN if censored)", "%.0f", r -> r.recovery().seconds(), false));
        add(m, "wasted_work", "wasted work (attempts after deadline)", "%.0f", r -> r.telemetry().wastedWork());
        add(m, "retries", "retries sent by services", "%.0f", r -> r.telemetry().retries());
        add(m, "retry_budget_refusals", "retries a retry budget refused (G)", "%.0f", r -> r.telemetry().retryBudgetRefusals());
        add(m, "breaker_transitions", "breaker transitions", "%.0f", r -> r.telemetry().breakerTransitions());
        add(m, "shed", "shed", "%.0f", r -> r.telemetry().shed());
        add(m, "bulkhead_rejections", "bulkhead rejections (all)", "%.0f", r -> r.telemetry().bulkheadRejections());
        for (String kind : Rejections.KINDS) {
            for (String hop : Rejections.HOPS) {
                add(m, rejectionId(kind, hop), kind.replace('_', ' ') + " " + hop, "%.0f",
                        r -> r.telemetry().rejections().count(kind, hop));
            }
        }
        add(m, "admin_slowest_ms", "slowest counters answer ms", "%.0f", r -> r.telemetry().adminSlowestMs());
        add(m, "cpu_bound_seconds", "CPU-bound seconds (machine > 90%)", "%.0f", RunResult::cpuBoundSeconds);
        add(m, "machine_cpu_measured", "machine CPU busy (measured)", "%.2f", RunResult::machineCpuMeasured);
        add(m, "warmup_s", "warm-up s", "%.0f", r -> r.gates().warmup().seconds());
        add(m, "drain_s", "drain s", "%.0f", r -> r.drain().seconds());
        audit(m, "duplicate_charges_per_order", "duplicate charges (per order)", AuditResult::duplicateChargesPerOrder);
        audit(m, "duplicate_charges_per_key", "duplicate charges (per client key)", AuditResult::duplicateChargesPerKey);
        audit(m, "orders_without_key", "orders without a key", AuditResult::ordersWithoutKey);
        audit(m, "confirmed_without_charge", "confirmed, no charge", AuditResult::confirmedWithoutCharge);
        audit(m, "orphan_charges", "orphan charges", AuditResult::orphanCharges);
        audit(m, "stock_drift_units", "stock drift (units)", AuditResult::stockDriftUnits);
        audit(m, "notifications_missing", "notifications missing", AuditResult::notificationsMissing);
        audit(m, "notifications_duplicated", "notifications duplicated", AuditResult::notificationsDuplicated);
        audit(m, "notifications_spurious", "confirmations for unconfirmed orders", AuditResult::notificationsSpurious);
        audit(m, "acked_not_confirmed", "201 but not CONFIRMED", AuditResult::ackedNotConfirmed);
        audit(m, "pending_orders", "PENDING at drain end (not judged)", AuditResult::pendingOrders);
        audit(m, "leaked_reservations", "reservations of unconfirmed orders", AuditResult::leakedReservations);
        audit(m, "outbox_unsent", "outbox unsent after drain", AuditResult::outboxUnsent);
        return List.copyOf(m);
    }

    private static void add(List<Metric> m, String id, String label, String format, ToDoubleFunction<RunResult> f) {
        m.add(new Metric(id, label, format, f, true));
    }

    private static void audit(List<Metric> m, String id, String label, ToDoubleFunction<AuditResult> f) {
        add(m, id, label, "%.0f", r -> r.audit() == null ? Double.NaN : f.applyAsDouble(r.audit()));
    }
}
