package frl.fault;

import frl.experiment.report.Table;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The suite's table, as text for the terminal, Markdown for summary.md, and CSV. One definition
 * of the rows ({@link CaseResult#row()}), so the three can never disagree. Stateless.
 */
final class FaultSuiteReport {
    private FaultSuiteReport() {
    }

    static String text(List<CaseResult> rows) {
        return new Table(CaseResult.HEADER, rows.stream().map(CaseResult::row).toList()).text();
    }

    static String markdown(FaultSuite.Settings s, List<CaseResult> rows, List<String> skipped, double seconds) {
        StringBuilder b = new StringBuilder("# Fault suite\n\n");
        long passed = rows.stream().filter(CaseResult::passed).count();
        b.append(String.format(Locale.ROOT, """
                Configuration F under open-model load: Poisson arrivals at %.1f orders/s (`--capacity` x `--load`), \
                client timeout %d ms, %d re-send(s) of a timed-out order under the same Idempotency-Key, seed %d. \
                Each case: at least %d s of load with at least %d s before the fault and %d s after its end, then the drain \
                (at least %d s, at most %d s), payments' reconciliation (`POST /admin/reconcile`), and the audit \
                of the case's own rows. %d of %d cases passed; the suite took %.0f s.

                """, s.rate(), s.clientTimeout().toMillis(), s.resends(), s.seed(), s.minLoad().toSeconds(), s.around().toSeconds(), s.after().toSeconds(),
                s.drainMinimum().toSeconds(), s.drainBound().toSeconds(), passed, rows.size(), seconds));
        b.append("| ").append(String.join(" | ", CaseResult.HEADER)).append(" |\n|");
        CaseResult.HEADER.forEach(h -> b.append("---|"));
        b.append('\n');
        rows.forEach(r -> b.append("| ").append(String.join(" | ", r.row())).append(" |\n"));
        b.append("""

                - *baseline (probe)*: success of the case's load before its fault, and in brackets that of the last \
                probe load of the gate before the case (the services reset, %d s of load, again until >= %.0f%% or %d s \
                have passed). A case whose probe stayed under %.0f%% or whose load before the fault was under %.0f%% \
                ran on a stack still broken by the case before it: its baseline is invalid and it does not pass.
                - *success during fault*: orders confirmed (201 within the client timeout) over arrivals scheduled while \
                the fault was on; for a kill, the 10 s after it.
                - *time to recover*: from the fault's end (a kill: the kill) to the first 5 s window whose success is at \
                least 95%% of the success before the fault.
                - *pass*: every audit column 0 after the drain, and the faulted service (for Redis and the payments hop: \
                orders) answering `/health` within 30 s of the fault's end, and a valid baseline.
                - Charges payments refunded (orphans of FAILED orders) are left out of the audit columns and counted in \
                the CSV's `refunded_charges`; `dup_charges_per_order`, `notifications_spurious` and `acked_not_confirmed` \
                (a 201 the client got for an order that is not CONFIRMED) are in the CSV too and must also be 0.
                """.formatted(s.probe().toSeconds(), 100 * CaseResult.BASELINE_GATE, FaultSuite.GATE_BOUND.toSeconds(),
                100 * CaseResult.BASELINE_GATE, 100 * CaseResult.BASELINE_FLOOR));
        if (!skipped.isEmpty()) {
            b.append("\nLeft out:\n").append(skipped.stream().map(x -> "- " + x).collect(Collectors.joining("\n"))).append('\n');
        }
        b.append("\nDrains:\n");
        rows.forEach(r -> b.append("- ").append(r.fault().name()).append(": ").append(r.drain())
                .append(String.format(Locale.ROOT, "; baseline success %s (probe %s); /health answered %s", CaseResult.percent(r.baseline()),
                        CaseResult.percent(r.probe()),
                        r.answeredAfter() < 0 ? "not within 30 s" : String.format(Locale.ROOT, "%.1f s after the fault's end", r.answeredAfter())))
                .append(String.format("; %d refunded charge(s)%n", r.refunded())));
        return b.toString();
    }

    static String csv(List<CaseResult> rows) {
        StringBuilder b = new StringBuilder(String.join(",", CaseResult.CSV_HEADER)).append('\n');
        rows.forEach(r -> b.append(String.join(",", r.csvRow())).append('\n'));
        return b.toString();
    }
}
