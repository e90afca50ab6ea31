package frl.fault;

import frl.experiment.metrics.AuditResult;

import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * One row of the fault suite's table, and its verdict.
 *
 * <p>The audit is of the case's own rows, after the drain and payments' reconciliation, with
 * refunded charges taken out: a refunded orphan is money given back, so it is counted in
 * {@code refunded}, not as an orphan or a duplicate.
 *
 * @param requests       arrivals scheduled during the case's load
 * @param probe          success of the last probe load of the baseline gate before the case
 *                       ({@link FaultSuite}: reset, a few seconds of load, again until it reaches
 *                       {@link #BASELINE_GATE} or the gate's time is up)
 * @param successDuring  success (201 within the client timeout over scheduled arrivals) while the
 *                       fault was on (a kill: the {@link FaultCase#MIN_FAULT_WINDOW} after it)
 * @param baseline       the same before the fault
 * @param recovered      seconds from the fault's end to the first window at 95% of the baseline;
 *                       empty: not within the load
 * @param answeredAfter  seconds from the fault's end until {@link FaultCase#answer()}'s /health
 *                       answered 200; negative: not within {@link FaultCase#ANSWER_BOUND}
 * @param audit          the audit of the case's rows, refunded charges left out
 * @param refunded       charges of the case the reconciliation refunded
 * @param drain          what the drain said
 */
public record CaseResult(FaultCase fault, long requests, double probe, double successDuring, double baseline, OptionalInt recovered,
                         double answeredAfter, AuditResult audit, long refunded, String drain) {

    /** The probe load before a case must reach this success, or the stack is still broken by the last case. */
    public static final double BASELINE_GATE = 0.95;
    /**
     * The case's own load before its fault must reach this: a stack that passed the probe and then
     * sagged under the longer load (a busy machine) gives no baseline to recover to. Lower than the
     * gate, so a few timed-out orders of 35 s do not void a case.
     */
    public static final double BASELINE_FLOOR = 0.90;

    public static final List<String> HEADER = List.of("case", "requests", "baseline (probe)", "success during fault", "time to recover",
            "duplicate charges per client key", "confirmed without charge", "orphan charges (not refunded)",
            "PENDING after drain", "notifications missing/duplicated", "stock drift", "pass");

    /**
     * Every audit column 0 after the drain, the service answering within the bound, and a valid
     * baseline: a case played on a stack the previous one left broken proves nothing about its own
     * fault (its "0 s" recovery is to a baseline of nothing), so it does not pass.
     */
    public boolean passed() {
        return auditClean() && answeredAfter >= 0 && answeredAfter <= FaultCase.ANSWER_BOUND.toSeconds() && baselineValid();
    }

    public boolean baselineValid() {
        return baselineValid(probe, baseline);
    }

    /** The probe reached {@link #BASELINE_GATE} and the load before the fault {@link #BASELINE_FLOOR}. */
    static boolean baselineValid(double probe, double baseline) {
        return probe >= BASELINE_GATE && baseline >= BASELINE_FLOOR; // NaN (no arrivals) is not valid
    }

    public boolean auditClean() {
        return audit.duplicateChargesPerKey() == 0 && audit.duplicateChargesPerOrder() == 0 && audit.confirmedWithoutCharge() == 0
                && audit.orphanCharges() == 0 && audit.pendingOrders() == 0 && audit.notificationsMissing() == 0
                && audit.notificationsDuplicated() == 0 && audit.notificationsSpurious() == 0 && audit.stockDriftUnits() == 0
                && audit.ackedNotConfirmed() == 0;
    }

    public List<String> row() {
        return List.of(fault.name(), Long.toString(requests), percent(baseline) + " (" + percent(probe) + ")", percent(successDuring),
                recovered.isPresent() ? recovered.getAsInt() + " s" : "not within the load",
                Long.toString(audit.duplicateChargesPerKey()), Long.toString(audit.confirmedWithoutCharge()),
                Long.toString(audit.orphanCharges()), Long.toString(audit.pendingOrders()),
                audit.notificationsMissing() + "/" + audit.notificationsDuplicated(), Long.toString(audit.stockDriftUnits()),
                passed() ? "yes" : "NO: " + why());
    }

    /** The CSV's extra columns beside the table's: what a reader checking a verdict needs. */
    public List<String> csvRow() {
        return List.of(fault.name(), Long.toString(requests), rate(probe), rate(successDuring), rate(baseline),
                recovered.isPresent() ? Integer.toString(recovered.getAsInt()) : "", num(answeredAfter),
                Long.toString(audit.duplicateChargesPerKey()), Long.toString(audit.duplicateChargesPerOrder()),
                Long.toString(audit.confirmedWithoutCharge()), Long.toString(audit.orphanCharges()), Long.toString(refunded),
                Long.toString(audit.pendingOrders()), Long.toString(audit.notificationsMissing()),
                Long.toString(audit.notificationsDuplicated()), Long.toString(audit.notificationsSpurious()),
                Long.toString(audit.ackedNotConfirmed()), Long.toString(audit.stockDriftUnits()), Long.toString(audit.orders()),
                Long.toString(audit.confirmedOrders()), Boolean.toString(baselineValid()), Boolean.toString(passed()));
    }

    public static final List<String> CSV_HEADER = List.of("case", "requests", "probe_success", "success_during_fault", "baseline_success",
            "recover_s", "answered_after_s", "dup_charges_per_key", "dup_charges_per_order", "confirmed_without_charge",
            "orphan_charges_not_refunded", "refunded_charges", "pending_after_drain", "notifications_missing",
            "notifications_duplicated", "notifications_spurious", "acked_not_confirmed", "stock_drift_units", "orders",
            "confirmed", "baseline_valid", "pass");

    private String why() {
        if (!auditClean()) {
            return "audit not clean (" + drain + ")";
        }
        if (!baselineValid()) {
            return "baseline invalid (probe " + percent(probe) + ", before the fault " + percent(baseline) + ")";
        }
        return answeredAfter < 0 ? fault.answer() + " did not answer within " + FaultCase.ANSWER_BOUND.toSeconds() + " s"
                : fault.answer() + " answered after " + num(answeredAfter) + " s";
    }

    static String percent(double rate) {
        return Double.isNaN(rate) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * rate);
    }

    private static String rate(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.1f", v);
    }
}
