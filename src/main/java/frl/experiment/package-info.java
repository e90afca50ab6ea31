/**
 * The experiment harness: what the lab measures and how, per {@code shared/EXPERIMENTS.md}.
 *
 * <p>Read in this order:
 * <ol>
 *   <li>Load: {@link frl.experiment.Schedule} (seeded Poisson arrivals, precomputed),
 *       {@link frl.experiment.LoadDriver} (open model, latency from the intended send time),
 *       {@link frl.experiment.HttpTransport} (the wire contract's headers),
 *       {@link frl.experiment.Timeline} and {@link frl.experiment.Bin} (one-second bins).
 *   <li>Metrics, all pure functions: {@link frl.experiment.WindowStats} (success over scheduled,
 *       goodput, percentiles), {@link frl.experiment.MttrRule}, {@link frl.experiment.Amplification},
 *       {@link frl.experiment.Telemetry}, {@link frl.experiment.Audit}, {@link frl.experiment.Stats}
 *       (bootstrap and Wilson), {@link frl.experiment.Knee} (capacity).
 *   <li>Against the stack: {@link frl.experiment.StackInfo} (.run/stack.json),
 *       {@link frl.experiment.AdminClient}, {@link frl.experiment.AuditLoader},
 *       {@link frl.experiment.Calibrator}, {@link frl.experiment.RunExecutor} (one run's timeline).
 *   <li>The experiment: {@link frl.experiment.Scenario}, {@link frl.experiment.Profile},
 *       {@link frl.experiment.Phases}, {@link frl.experiment.RunPlan} (interleaved, seeded),
 *       {@link frl.experiment.ExperimentMain}; results by {@link frl.experiment.ResultsWriter},
 *       {@link frl.experiment.SummaryMarkdown}, {@link frl.experiment.HtmlReport},
 *       {@link frl.experiment.Svg}.
 *   <li>On its own: {@link frl.experiment.LoadMain}, the driver against any URL.
 * </ol>
 *
 * <p>Time is a {@link frl.resilience.NanoClock} and waiting a {@link frl.resilience.Sleeper}
 * everywhere, so the driver's timing rules are tested on a fake clock; every random choice takes
 * a seed that run.json records.
 */
package frl.experiment;
