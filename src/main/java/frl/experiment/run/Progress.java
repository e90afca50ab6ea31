package frl.experiment.run;

import frl.experiment.metrics.RunResult;
import frl.experiment.plan.RunSpec;
import frl.resilience.NanoClock;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The terminal's view of an experiment: one line per run (config, scenario, load, elapsed, ETA
 * for the whole experiment, live success rate), rewritten in place while the run goes on when the
 * output is a terminal, and finished with the run's final success and MTTR verdict.
 *
 * <p>The live rate is successes over arrivals finished so far (the final figures are over
 * scheduled arrivals, and say so). ETA = runs left x mean wall time of the finished runs (the
 * planned time until one has finished), so reset, warm-up, drain, audit and retried invalid
 * attempts are counted.
 *
 * <p>Not thread-safe: called from the experiment's thread only.
 */
public final class Progress implements RunExecutor.ProgressListener {
    private final PrintStream out;
    private final int total;
    private final double plannedPerRun;
    private final boolean interactive;
    private final NanoClock clock;
    private final long started;
    private int finished;

    public Progress(PrintStream out, List<RunSpec> plan, double plannedSecondsPerRun, boolean interactive, NanoClock clock) {
        this.out = out;
        this.total = plan.size();
        this.plannedPerRun = plannedSecondsPerRun;
        this.interactive = interactive;
        this.clock = clock;
        this.started = clock.nanoTime();
    }

    /**
     * Whether stdout is a terminal, where rewriting a line with a carriage return makes sense.
     * Since JDK 22 {@code System.console()} may be non-null when output is redirected, and only
     * {@code Console.isTerminal()} (22+, so called reflectively: we compile for 21) tells.
     */
    public static boolean stdoutIsTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // JDK 21: a non-null console is a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    @Override
    public void update(RunSpec spec, String stage, double elapsedSeconds, double plannedSeconds, double liveSuccess) {
        if (!interactive) {
            return;
        }
        String line = prefix(spec) + String.format(Locale.ROOT, "  %-7s %3.0f/%3.0f s  ETA %s  live success %s", stage,
                elapsedSeconds, plannedSeconds, eta(stage.equals("run") ? Math.min(1, elapsedSeconds / plannedSeconds) : 0),
                percent(liveSuccess));
        out.print("\r" + line + "   ");
        out.flush();
    }

    /** Ends the run's line with its final numbers. */
    public void finish(RunResult r, double wallSeconds) {
        finished++;
        String line = prefix(r.spec()) + String.format(Locale.ROOT, "  %3.0f s  ETA %s  %s",
                wallSeconds, eta(0), r.valid()
                        ? String.format(Locale.ROOT, "success %s (fault window %s)  MTTR %s", percent(r.window("measured").successRate()),
                        percent(r.window("fault").successRate()), r.recovery())
                        : r.gates().validity().reason()) + (r.gates().attempt() > 1 ? "  (attempt " + r.gates().attempt() + ")" : "");
        out.println((interactive ? "\r" : "") + line + (r.warnings().isEmpty() ? "" : "  [" + r.warnings().size() + " warning(s)]"));
    }

    private String prefix(RunSpec s) {
        return String.format(Locale.ROOT, "[%2d/%d] config %s  %s  load %.2f (%.1f/s)  fault %d s  rep %d",
                s.index() + 1, total, s.config(), s.scenario().id, s.loadFraction(), s.rate(), s.faultSeconds(), s.rep());
    }

    private String eta(double currentRunDone) {
        double elapsed = (clock.nanoTime() - started) / 1e9;
        double perRun = finished == 0 ? plannedPerRun : elapsed / finished;
        double left = Math.max(0, (total - finished - currentRunDone) * perRun);
        return String.format(Locale.ROOT, "%dm%02ds", (long) left / 60, (long) left % 60);
    }

    public static String percent(double rate) {
        return Double.isNaN(rate) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * rate);
    }
}
