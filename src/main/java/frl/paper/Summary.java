package frl.paper;

import frl.experiment.report.ResultsCsv;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A results folder's summary.csv: one row per (configuration, load, fault length, metric), with
 * the mean over valid runs, its 95% interval and n, exactly as {@code frl.experiment.metrics}
 * computed them (bootstrap for means, paired bootstrap for {@code diff_vs_A_*}, Wilson for
 * {@code not_recovered_fraction_wilson}, Kaplan-Meier for {@code mttr_km_median_s}).
 *
 * <p>Immutable.
 */
record Summary(Path file, List<Cell> cells) {
    /** The columns this reader needs; folders from before the validity gates lack some. */
    static final List<String> COLUMNS = List.of("config", "load_fraction", "fault_seconds", "runs", "valid_runs", "status",
            "metric", "mean", "ci95_low", "ci95_high", "n");

    /** One experimental setting: a load fraction and a fault (trigger) length. */
    record Setting(String load, String faultSeconds) {
        String label() {
            return "load " + load + ", fault " + faultSeconds + " s";
        }
    }

    /** One number with its interval; {@code low}/{@code high} NaN when none could be computed. */
    record Cell(String config, Setting setting, String metric, double mean, double low, double high, int n,
                int runs, int validRuns, String status) {
        boolean hasInterval() {
            return !Double.isNaN(low) && !Double.isNaN(high);
        }
    }

    static Summary read(Path folder) {
        ResultsCsv csv = ResultsCsv.read(folder.resolve("summary.csv"));
        if (!csv.rows().isEmpty() && !csv.rows().get(0).keySet().containsAll(COLUMNS)) {
            throw new IllegalArgumentException(csv.file() + " lacks some of " + COLUMNS
                    + ": it was written before the harness had validity gates; rerun the scenario");
        }
        List<Cell> cells = new ArrayList<>();
        for (Map<String, String> r : csv.rows()) {
            cells.add(new Cell(r.get("config"), new Setting(r.get("load_fraction"), r.get("fault_seconds")), r.get("metric"),
                    ResultsCsv.num(r, "mean"), ResultsCsv.num(r, "ci95_low"), ResultsCsv.num(r, "ci95_high"),
                    (int) ResultsCsv.num(r, "n"), (int) ResultsCsv.num(r, "runs"), (int) ResultsCsv.num(r, "valid_runs"), r.get("status")));
        }
        return new Summary(csv.file(), List.copyOf(cells));
    }

    /** Settings in file order. */
    List<Setting> settings() {
        Set<Setting> s = new LinkedHashSet<>();
        cells.forEach(c -> s.add(c.setting()));
        return List.copyOf(s);
    }

    /** Configurations in name order, A first. */
    List<String> configs(Setting setting) {
        Set<String> s = new java.util.TreeSet<>();
        cells.stream().filter(c -> c.setting().equals(setting)).forEach(c -> s.add(c.config()));
        return List.copyOf(s);
    }

    /** Metrics in file order, for one setting. */
    List<String> metrics(Setting setting) {
        Set<String> s = new LinkedHashSet<>();
        cells.stream().filter(c -> c.setting().equals(setting)).forEach(c -> s.add(c.metric()));
        return List.copyOf(s);
    }

    Optional<Cell> cell(String config, Setting setting, String metric) {
        return cells.stream().filter(c -> c.config().equals(config) && c.setting().equals(setting) && c.metric().equals(metric)).findFirst();
    }

    /** Per configuration (A first), its cells of one setting keyed by metric. */
    Map<String, Map<String, Cell>> byConfig(Setting setting) {
        Map<String, Map<String, Cell>> out = new java.util.TreeMap<>();
        cells.stream().filter(c -> c.setting().equals(setting))
                .forEach(c -> out.computeIfAbsent(c.config(), k -> new LinkedHashMap<>()).put(c.metric(), c));
        return out;
    }
}
