/**
 * A virtual-time twin of the stack: the lab's five services as a deterministic discrete-event
 * simulation, driven by the real pattern classes, measured by the harness's own code.
 *
 * <p>Why. On two shared cores the real stack gives one run every few minutes: enough to show that
 * something happens, never how often, nor where the line between recovering and staying down
 * lies. Here a 150 s run at 67 requests/s takes about a tenth of a CPU second, so a cell of the
 * matrix gets fifty repetitions and a map of load x trigger gets twenty per point.
 *
 * <p>What is real and what is modelled. Every decision a pattern makes is the pattern's own:
 * {@link frl.resilience.retry.Retry} (through its event-style {@code start}/{@code Attempts}),
 * {@link frl.resilience.Backoff}, {@link frl.resilience.retry.Verdict},
 * {@link frl.resilience.breaker.CircuitBreaker}, {@link frl.resilience.Bulkhead},
 * {@link frl.resilience.LoadShedder} and {@link frl.resilience.Deadline}, and G's
 * {@link frl.resilience.RetryBudget} and {@link frl.resilience.AdaptiveBulkhead}, composed by
 * {@link frl.resilience.compose.Resilience#enter} exactly as {@code Resilience.call} composes them, on
 * one virtual {@link frl.resilience.NanoClock}. What is modelled is the machinery around them:
 * the network, the databases, the payment processor, the row locks, Redis ({@link Model} says
 * what each assumes and leaves out). The arrival schedule, the windows, amplification, the MTTR
 * rule, the audit, the statistics and the report are the harness's ({@code frl.experiment}).
 *
 * <p>Read in this order:
 * <ol>
 *   <li>Time: {@link EventLoop} (the clock and the event queue), {@link Draws} (seeded streams).
 *   <li>The calls: {@link Hop} (a call through the patterns, cut at its waits), {@link Reply},
 *       {@link Answer}, {@link Delays}.
 *   <li>The services: {@link Gateway}, {@link Orders}, {@link Payments} around {@link Processor},
 *       {@link Inventory} around {@link RowLocks} and {@link LockHog}, {@link Notifications},
 *       {@link Ledger} (the databases), {@link Client} (the open-model load), {@link Stack}
 *       (one run's world), {@link Fault} (chaos switches), {@link Tally} (counters).
 *   <li>Configuration: {@link Knobs} (the one place A-G and every {@code LAB_*} knob are read),
 *       {@link Model}.
 *   <li>Runs and results: {@link SimRun} (one run, measured), {@link Batch}, {@link Speed},
 *       {@link SimMain} ({@code make simulate}), {@link MetastabilityMap} and {@link Heatmap}
 *       ({@code make metastability-map}), {@link CrossValidation} ({@code make crossval}: the
 *       simulator against a real results folder), {@link Benchmark}.
 * </ol>
 *
 * <p>Deterministic: one run is one thread and one event loop; events at the same nanosecond run in
 * the order they were scheduled; every random draw comes from a stream seeded by the run. Same
 * seed and knobs, same results files, byte for byte, however many runs go in parallel.
 */
package frl.sim;
