/**
 * Stage 4, metrics: every number the lab reports, as pure functions of bins, counters and rows,
 * so each is tested on synthetic input. Per window: {@link frl.experiment.metrics.WindowStats}
 * (success over scheduled arrivals, goodput, percentiles), {@link
 * frl.experiment.metrics.Amplification} and {@link frl.experiment.metrics.Telemetry} (from the
 * services' counters, with {@link frl.experiment.metrics.Rejections} per hop from their metrics).
 * Per run: the validity gates ({@link frl.experiment.metrics.WarmupGate}, {@link
 * frl.experiment.metrics.Validity}), {@link frl.experiment.metrics.MttrRule} and its {@link
 * frl.experiment.metrics.Recovery} verdict, {@link frl.experiment.metrics.Audit} (rows to {@link
 * frl.experiment.metrics.AuditResult}), {@link frl.experiment.metrics.TimelineRow}, all gathered
 * in {@link frl.experiment.metrics.RunResult} by {@link frl.experiment.metrics.RunAssembly}. Over
 * runs: {@link frl.experiment.metrics.Stats} (bootstrap, paired bootstrap, Wilson) and {@link
 * frl.experiment.metrics.KaplanMeier} into {@link frl.experiment.metrics.Ci}s and {@link
 * frl.experiment.metrics.CellSummary}. {@link frl.experiment.metrics.Metric} names each per-run
 * number once for every report; {@link frl.experiment.metrics.Knee} turns a step test into a
 * capacity.
 *
 * <p>No I/O and no clock. May use {@code load}, {@code stack} (counter, row and CPU records) and
 * {@code plan}; never {@code run} or {@code report}.
 */
package frl.experiment.metrics;
