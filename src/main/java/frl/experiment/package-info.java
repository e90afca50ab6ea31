/**
 * The experiment harness: what the lab measures and how, per {@code shared/EXPERIMENTS.md}. This
 * package holds only the entry points and their command lines; the work is done by six stages,
 * one sub-package each, read in pipeline order:
 * <ol>
 *   <li>{@link frl.experiment.load}: the open-model driver, arrivals and their fates, one-second bins;
 *   <li>{@link frl.experiment.stack}: the system under test as the harness reaches it (HTTP, admin
 *       API, databases, CPU);
 *   <li>{@link frl.experiment.plan}: scenarios, profiles, phases and the seeded run order;
 *   <li>{@link frl.experiment.metrics}: pure functions from bins, counters and rows to numbers;
 *   <li>{@link frl.experiment.run}: preflight, calibration, and one run played against the stack;
 *   <li>{@link frl.experiment.report}: the results folder.
 * </ol>
 * A stage may use the stages before it, never one after it ({@code PipelineOrderTest} checks the
 * compiled classes). Entry points: {@link frl.experiment.ExperimentMain} ({@code make experiment};
 * options in {@link frl.experiment.ExperimentOptions}), {@link frl.experiment.LoadMain}
 * ({@code make load}: the driver alone, against any URL), {@link frl.experiment.WarmupMain} (warms a
 * freshly started stack before it is declared up) and {@link frl.experiment.AuditMain}
 * ({@code make audit}: the correctness audit of the running stack's databases).
 *
 * <p>Time is a {@link frl.resilience.NanoClock} and waiting a {@link frl.resilience.Sleeper}
 * everywhere, so the driver's timing rules are tested on a fake clock; every random choice takes
 * a seed that run.json records. Outside its own packages the harness uses only those two
 * interfaces: it talks to the services over HTTP and SQL, never through their code.
 */
package frl.experiment;
