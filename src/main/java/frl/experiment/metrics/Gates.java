package frl.experiment.metrics;

import java.util.List;

/**
 * The validity gates a run went through (EXPERIMENTS.md, "Validity gates").
 *
 * @param warmup    how its warm-up ended
 * @param validity  its baseline's verdict
 * @param attempt   which attempt this is (1 = first; an invalid run is played again, up to a bound)
 * @param discarded why each earlier attempt was discarded ("attempt 1: invalid: baseline 97.2%")
 */
public record Gates(WarmupOutcome warmup, Validity validity, int attempt, List<String> discarded) {
    public static final Gates UNJUDGED = new Gates(WarmupOutcome.NONE, Validity.UNJUDGED, 1, List.of());

    public Gates {
        discarded = List.copyOf(discarded);
    }

    public boolean valid() {
        return validity.valid();
    }
}
