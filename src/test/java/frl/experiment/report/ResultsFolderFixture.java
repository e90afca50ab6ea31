package frl.experiment.report;

import frl.experiment.plan.Phases;
import frl.experiment.run.Experiment;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The report tests' made-up experiment ({@link Fixtures}), written by the real {@link
 * ResultsWriter} into a results folder, for readers of results folders in other packages
 * ({@code frl.paper}): they test against the files the harness writes, not a copy of their format.
 */
public final class ResultsFolderFixture {
    private ResultsFolderFixture() {
    }

    /** Writes {@code <root>/<id>/} (timeline, runs and summary CSVs, run.json, ...) and returns it. */
    public static Path write(Path root, String id) throws IOException {
        var plan = Fixtures.plan();
        ResultsWriter writer = new ResultsWriter(root, id);
        Experiment exp = Fixtures.experiment(plan);
        writer.write(exp, Fixtures.results(plan), true);
        return writer.directory();
    }

    /** The fixture's phases: warm-up, baseline, fault and recovery lengths. */
    public static Phases phases() {
        return Fixtures.PHASES;
    }
}
