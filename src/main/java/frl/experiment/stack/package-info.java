/**
 * Stage 2, stack: the system under test as the harness reaches it, and the only stage that does
 * I/O with it. {@link frl.experiment.stack.StackInfo} reads where it runs
 * ({@code .run/stack.json}); {@link frl.experiment.stack.HttpTransport} sends orders with the wire
 * contract's headers; {@link frl.experiment.stack.AdminClient} resets, switches chaos, triggers the
 * recovery sweep and reads {@link frl.experiment.stack.Counters} and {@code /metrics} ({@link
 * frl.experiment.stack.PromText}) on each service's management listener; {@link
 * frl.experiment.stack.AuditLoader} reads a run's rows ({@link frl.experiment.stack.AuditRows}) over
 * SQL; {@link frl.experiment.stack.CpuSampler} records machine and per-process CPU every second
 * (PostgreSQL and Redis found by {@link frl.experiment.stack.ProcessFinder}) and {@link
 * frl.experiment.stack.Environment} the machine and the code revision; {@link
 * frl.experiment.stack.StackJson} is how everything the stack writes is read.
 *
 * <p>May use {@code load} (a transport is a {@code load.Transport}); never a later stage. It
 * speaks HTTP and SQL only and imports no service code.
 */
package frl.experiment.stack;
