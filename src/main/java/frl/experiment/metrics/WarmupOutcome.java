package frl.experiment.metrics;

/**
 * How a run's warm-up ended (see {@link WarmupGate}).
 *
 * @param seconds      how long the warm-up load ran
 * @param warm         the gate passed; false: the bound came first, and the baseline gate decides
 * @param boundSeconds the bound it ran under (0: no warm-up)
 * @param detail       the gate's last verdict, in words
 */
public record WarmupOutcome(double seconds, boolean warm, int boundSeconds, String detail) {
    public static final WarmupOutcome NONE = new WarmupOutcome(0, true, 0, "no adaptive warm-up");
}
