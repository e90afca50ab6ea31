package frl.experiment.metrics;

import frl.experiment.load.Outcome;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Every per-run number the reports print, defined once: runs.csv, summary.csv, summary.md,
 * report.html and the final terminal table all read this list, so a metric cannot mean one thing
 * in one file and another elsewhere. NaN means "not measured" (for example no audit, or MTTR of
 * a run that did not recover: that run is counted in "not recovered" instead).
 *
 * <p>Windows: "fault" is the fault window; "measured" is baseline + fault + recovery (warm-up is
 * never included). Latency is milliseconds from the intended send time.
 */
public record Metric(String id, String label, String format, ToDoubleFunction<RunResult> value) {

    public static final String SUCCESS_DEFINITION =
            "success = the client got HTTP 201 (order confirmed) within the client timeout, over scheduled arrivals";

    public static final List<Metric> ALL = build();

    public static Metric byId(String id) {
        return ALL.stream().filter(m -> m.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no metric " + id));
    }

    public double of(RunResult r) {
        return value.applyAsDouble(r);
    }

    private static List<Metric> build() {
        List<Metric> m = new ArrayList<>();
        for (String w : List.of("fault", "measured")) {
            m.add(new Metric("success_" + w, "success (" + w + ")", "%.3f", r -> r.window(w).successRate()));
            m.add(new Metric("goodput_" + w, "goodput/s (" + w + ")", "%.1f", r -> r.window(w).goodputPerSecond()));
            m.add(new Metric("p50_" + w + "_ms", "p50 ms (" + w + ")", "%.0f", r -> r.window(w).p50Ms()));
            m.add(new Metric("p95_" + w + "_ms", "p95 ms (" + w + ")", "%.0f", r -> r.window(w).p95Ms()));
            m.add(new Metric("p99_" + w + "_ms", "p99 ms (" + w + ")", "%.0f", r -> r.window(w).p99Ms()));
            m.add(new Metric("p50_ok_" + w + "_ms", "p50 ms of successes (" + w + ")", "%.0f", r -> r.window(w).p50OkMs()));
            m.add(new Metric("p95_ok_" + w + "_ms", "p95 ms of successes (" + w + ")", "%.0f", r -> r.window(w).p95OkMs()));
            m.add(new Metric("p99_ok_" + w + "_ms", "p99 ms of successes (" + w + ")", "%.0f", r -> r.window(w).p99OkMs()));
            m.add(new Metric("amp_client_gateway_" + w, "client->gateway (" + w + ")", "%.2f", r -> r.amplification().get(w).clientToGateway()));
            m.add(new Metric("amp_gateway_orders_" + w, "gateway->orders (" + w + ")", "%.2f", r -> r.amplification().get(w).gatewayToOrders()));
            m.add(new Metric("amp_orders_payments_" + w, "orders->payments (" + w + ")", "%.2f", r -> r.amplification().get(w).ordersToPayments()));
            m.add(new Metric("amp_orders_inventory_" + w, "orders->inventory (" + w + ")", "%.2f", r -> r.amplification().get(w).ordersToInventory()));
        }
        m.add(new Metric("scheduled_fault", "arrivals scheduled (fault)", "%.0f", r -> r.window("fault").scheduled()));
        m.add(new Metric("goodput_baseline", "goodput/s (baseline)", "%.1f", r -> r.window("baseline").goodputPerSecond()));
        for (Outcome o : Outcome.values()) {
            if (o.isFailure()) {
                m.add(new Metric("failed_" + o.label + "_measured", "failed: " + o.label + " (measured)", "%.0f",
                        r -> r.window("measured").count(o)));
            }
        }
        m.add(new Metric("mttr_s", "MTTR s (recovered runs)", "%.0f", r -> r.recovery().seconds()));
        m.add(new Metric("wasted_work", "wasted work (attempts after deadline)", "%.0f", r -> r.telemetry().wastedWork()));
        m.add(new Metric("retries", "retries sent by services", "%.0f", r -> r.telemetry().retries()));
        m.add(new Metric("breaker_transitions", "breaker transitions", "%.0f", r -> r.telemetry().breakerTransitions()));
        m.add(new Metric("shed", "shed", "%.0f", r -> r.telemetry().shed()));
        m.add(new Metric("bulkhead_rejections", "bulkhead rejections", "%.0f", r -> r.telemetry().bulkheadRejections()));
        m.add(audit("duplicate_charges", "duplicate charges", AuditResult::duplicateCharges));
        m.add(audit("confirmed_without_charge", "confirmed, no charge", AuditResult::confirmedWithoutCharge));
        m.add(audit("orphan_charges", "orphan charges", AuditResult::orphanCharges));
        m.add(audit("stock_drift_units", "stock drift (units)", AuditResult::stockDriftUnits));
        m.add(audit("notifications_missing", "notifications missing", AuditResult::notificationsMissing));
        m.add(audit("notifications_duplicated", "notifications duplicated", AuditResult::notificationsDuplicated));
        m.add(audit("notifications_spurious", "confirmations for unconfirmed orders", AuditResult::notificationsSpurious));
        m.add(audit("acked_not_confirmed", "201 but not CONFIRMED", AuditResult::ackedNotConfirmed));
        m.add(audit("pending_orders", "orders PENDING after drain", AuditResult::pendingOrders));
        m.add(audit("leaked_reservations", "reservations of unconfirmed orders", AuditResult::leakedReservations));
        m.add(audit("outbox_unsent", "outbox unsent after drain", AuditResult::outboxUnsent));
        return List.copyOf(m);
    }

    private static Metric audit(String id, String label, ToDoubleFunction<AuditResult> f) {
        return new Metric(id, label, "%.0f", r -> r.audit() == null ? Double.NaN : f.applyAsDouble(r.audit()));
    }
}
