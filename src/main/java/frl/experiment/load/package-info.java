/**
 * Stage 1, load: when each request is meant to leave and what became of it. {@link
 * frl.experiment.load.Schedule} precomputes seeded Poisson arrivals; {@link
 * frl.experiment.load.LoadDriver} sends each at its intended time (open model) through a {@link
 * frl.experiment.load.Transport} under a {@link frl.experiment.load.ClientPolicy}, and reports
 * one {@link frl.experiment.load.RequestResult} per arrival, latency counted from the intended
 * send time; {@link frl.experiment.load.Timeline} files them into one-second {@link
 * frl.experiment.load.Bin}s, read as immutable {@link frl.experiment.load.BinStats}.
 *
 * <p>No network and no JSON here: the real transport lives in {@code stack}, so every timing rule
 * is tested on a fake clock. Depends on nothing else in the harness (only {@code frl.resilience}'s
 * clock and sleeper); every later stage may use it.
 */
package frl.experiment.load;
