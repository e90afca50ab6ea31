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
public record CaseResult(FaultCase fault, long requests, double successDuring, double baseline, OptionalInt recovered,
                         double answeredAfter, AuditResult audit, long refunded, String drain) {

    public static final List<String> HEADER = List.of("case", "requests", "success during fault", "time to recover",
            "duplicate charges per client key", "confirmed without charge", "orphan charges (not refunded)",
            "PENDING after drain", "notifications missing/duplicated", "stock drift", "pass");

    /** Every audit column 0 after the drain, and the service answering within the bound. */
    public boolean passed() {
        return auditClean() && answeredAfter >= 0 && answeredAfter <= FaultCase.ANSWER_BOUND.toSeconds();
    }

    public boolean auditClean() {
        return audit.duplicateChargesPerKey() == 0 && audit.duplicateChargesPerOrder() == 0 && audit.confirmedWithoutCharge() == 0
                && audit.orphanCharges() == 0 && audit.pendingOrders() == 0 && audit.notificationsMissing() == 0
                && audit.notificationsDuplicated() == 0 && audit.notificationsSpurious() == 0 && audit.stockDriftUnits() == 0
                && audit.ackedNotConfirmed() == 0;
    }

    public List<String> row() {
        return List.of(fault.name(), Long.toString(requests), percent(successDuring),
                recovered.isPresent() ? recovered.getAsInt() + " s" : "not within the load",
                Long.toString(audit.duplicateChargesPerKey()), Long.toString(audit.confirmedWithoutCharge()),
                Long.toString(audit.orphanCharges()), Long.toString(audit.pendingOrders()),
                audit.notificationsMissing() + "/" + audit.notificationsDuplicated(), Long.toString(audit.stockDriftUnits()),
                passed() ? "yes" : "NO: " + why());
    }

    /** The CSV's extra columns beside the table's: what a reader checking a verdict needs. */
    public List<String> csvRow() {
        return List.of(fault.name(), Long.toString(requests), num(successDuring), num(baseline),
                recovered.isPresent() ? Integer.toString(recovered.getAsInt()) : "", num(answeredAfter),
                Long.toString(audit.duplicateChargesPerKey()), Long.toString(audit.duplicateChargesPerOrder()),
                Long.toString(audit.confirmedWithoutCharge()), Long.toString(audit.orphanCharges()), Long.toString(refunded),
                Long.toString(audit.pendingOrders()), Long.toString(audit.notificationsMissing()),
                Long.toString(audit.notificationsDuplicated()), Long.toString(audit.notificationsSpurious()),
                Long.toString(audit.ackedNotConfirmed()), Long.toString(audit.stockDriftUnits()), Long.toString(audit.orders()),
                Long.toString(audit.confirmedOrders()), Boolean.toString(passed()));
    }

    public static final List<String> CSV_HEADER = List.of("case", "requests", "success_during_fault", "baseline_success",
            "recover_s", "answered_after_s", "dup_charges_per_key", "dup_charges_per_order", "confirmed_without_charge",
            "orphan_charges_not_refunded", "refunded_charges", "pending_after_drain", "notifications_missing",
            "notifications_duplicated", "notifications_spurious", "acked_not_confirmed", "stock_drift_units", "orders",
            "confirmed", "pass");

    private String why() {
        if (!auditClean()) {
            return "audit not clean (" + drain + ")";
        }
        return answeredAfter < 0 ? fault.answer() + " did not answer within " + FaultCase.ANSWER_BOUND.toSeconds() + " s"
                : fault.answer() + " answered after " + num(answeredAfter) + " s";
    }

    static String percent(double rate) {
        return Double.isNaN(rate) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * rate);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.1f", v);
    }
}
