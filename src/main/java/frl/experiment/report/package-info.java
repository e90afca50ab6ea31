/**
 * Stage 6, report: the results folder, {@code results/<timestamp>-<scenario>/}. {@link
 * frl.experiment.report.ResultsWriter} writes it after every run: run.json ({@link
 * frl.experiment.report.RunJson}, through {@link frl.experiment.report.ResultsJson}), the CSV files
 * ({@link frl.experiment.report.Csv}), summary.md ({@link frl.experiment.report.SummaryMarkdown})
 * and report.html ({@link frl.experiment.report.HtmlReport} with inline {@link
 * frl.experiment.report.Svg}), their tables defined once ({@link frl.experiment.report.Table}).
 *
 * <p>The last stage: it may use every stage before it and none may use it; only the entry points
 * in {@code frl.experiment} do.
 */
package frl.experiment.report;
