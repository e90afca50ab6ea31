/**
 * {@code make paper}: the paper's figures, tables and HTML, regenerated from committed results
 * folders only. {@link frl.paper.Sources} reads the hand-edited manifest ({@code paper/sources.md}:
 * which folder backs which figure or table); {@link frl.experiment.report.ResultsCsv} reads a
 * folder's CSV files as the harness wrote them; {@link frl.paper.Figures} draws the SVG figures with the
 * report's own {@link frl.experiment.report.Svg} (and {@link frl.paper.Heatmap} for the
 * metastability map); {@link frl.paper.Tables} lays out the intervals the harness already
 * computed; {@link frl.paper.PaperHtml} renders paper.md with the figures inlined.
 *
 * <p>Nothing here computes a statistic: means, bootstrap and paired-bootstrap intervals, Wilson
 * intervals and Kaplan-Meier medians come from summary.csv and map.csv, written by
 * {@code frl.experiment.metrics}; this package only chooses, averages per second for a timeline,
 * and draws, naming every number with the harness's own {@code Metric} label. Imports
 * {@code experiment/report} and {@code experiment/metrics}; nothing imports it.
 */
package frl.paper;
