package frl.experiment.plan;

/**
 * A run's timeline in whole seconds, in order: warm-up (discarded from every metric), baseline
 * (the pre-fault reference for MTTR), fault, recovery (load goes on after the fault is removed),
 * then drain (no new arrivals; in-flight requests and the outbox settle before the audit).
 * Arrivals span warm-up to the end of recovery.
 *
 * <pre>
 *   0        warmup     faultStart     faultEnd          end          end+drain
 *   |--warm--|--baseline--|----fault----|----recovery-----|---drain---| audit
 * </pre>
 */
public record Phases(int warmup, int baseline, int fault, int recovery, int drain) {

    public Phases {
        if (warmup < 0 || baseline < 1 || fault < 1 || recovery < 1 || drain < 0) {
            throw new IllegalArgumentException("phases need warmup >= 0, baseline/fault/recovery >= 1, drain >= 0 seconds; were "
                    + warmup + "," + baseline + "," + fault + "," + recovery + "," + drain);
        }
    }

    /** Parses "warmup,baseline,fault,recovery,drain", e.g. "5,10,10,45,4". */
    public static Phases parse(String csv) {
        String[] p = csv.split(",");
        if (p.length != 5) {
            throw new IllegalArgumentException("--phases needs 5 comma-separated seconds (warmup,baseline,fault,recovery,drain), was " + csv);
        }
        return new Phases(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()), Integer.parseInt(p[2].trim()),
                Integer.parseInt(p[3].trim()), Integer.parseInt(p[4].trim()));
    }

    public int faultStart() {
        return warmup + baseline;
    }

    public int faultEnd() {
        return faultStart() + fault;
    }

    /** End of arrivals (first second with none). */
    public int end() {
        return faultEnd() + recovery;
    }

    public Phases withFault(int seconds) {
        return new Phases(warmup, baseline, seconds, recovery, drain);
    }

    /** Scales the four loaded phases so arrivals last {@code seconds} in total (each at least 1 s). */
    public Phases scaledTo(int seconds) {
        double f = (double) seconds / end();
        return new Phases((int) Math.round(warmup * f), Math.max(1, (int) Math.round(baseline * f)),
                Math.max(1, (int) Math.round(fault * f)), Math.max(1, (int) Math.round(recovery * f)), drain);
    }

    /** Name of the phase second {@code s} belongs to. */
    public String phaseOf(int s) {
        if (s < warmup) {
            return "warmup";
        }
        if (s < faultStart()) {
            return "baseline";
        }
        if (s < faultEnd()) {
            return "fault";
        }
        return s < end() ? "recovery" : "drain";
    }
}
