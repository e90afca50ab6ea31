/**
 * Stage 5, run: the experiment played against the live stack. {@link
 * frl.experiment.run.Preflight} sends a few uncounted requests; {@link
 * frl.experiment.run.Calibrator} measures capacity with passes of an open-loop step test (or checks
 * a given one); {@link frl.experiment.run.Warmup} loads the stack until it is warm; {@link
 * frl.experiment.run.RunExecutor} plays one run (reset, warm-up, load with the fault switched on the
 * schedule's own clock, {@link frl.experiment.run.Drain} until settled, counters, audit), again
 * while its baseline is invalid, and returns its {@code RunResult}; {@link
 * frl.experiment.run.Progress} keeps the terminal informed; {@link frl.experiment.run.Experiment}
 * records every knob of the whole experiment for run.json.
 *
 * <p>The one stage that orchestrates: it may use {@code load}, {@code stack}, {@code plan} and
 * {@code metrics}; never {@code report}.
 */
package frl.experiment.run;
