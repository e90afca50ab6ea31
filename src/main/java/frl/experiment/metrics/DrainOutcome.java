package frl.experiment.metrics;

/**
 * How the drain after a run's last arrival ended: the audit is only as good as the settling
 * before it.
 *
 * @param seconds           how long the drain waited after the last arrival's fate was known
 * @param settled           no order PENDING and no payment queued or in progress at the end
 * @param pendingAtEnd      orders still PENDING at the end (-1: not known)
 * @param queuedAtEnd       payments still queued or in progress at the end (-1: not known)
 * @param sweeps            recovery sweeps triggered through {@code POST /admin/sweep}
 * @param detail            in words, for the warnings
 */
public record DrainOutcome(double seconds, boolean settled, long pendingAtEnd, long queuedAtEnd, int sweeps, String detail) {
    public static final DrainOutcome NONE = new DrainOutcome(0, true, -1, -1, 0, "fixed drain");
}
