/**
 * Stage 3, plan: what an experiment will do, fixed before the first request. {@link
 * frl.experiment.plan.Scenario} (the fault and where it goes), {@link frl.experiment.plan.Profile}
 * (how long and how often), {@link frl.experiment.plan.Phases} (warm-up, baseline, fault, recovery,
 * drain), and {@link frl.experiment.plan.RunPlan}, which orders the {@link
 * frl.experiment.plan.RunSpec}s: interleaved, shuffled, seeded, with common arrival schedules.
 *
 * <p>Pure values. May use {@code stack} (to read a chaos payload with its mapper) and {@code load};
 * never {@code metrics}, {@code run} or {@code report}.
 */
package frl.experiment.plan;
