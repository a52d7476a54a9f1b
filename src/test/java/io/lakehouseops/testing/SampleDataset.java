package io.lakehouseops.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A dataset like user_events under its own name and config file, with days of sample raw data
 * promoted one by one, and runs of the command line against that config.
 */
public record SampleDataset(String name, Path config) {

  /** sample-data for the days from start, each promoted (late events reach back two days). */
  public static SampleDataset promoted(String name, String overrides, String start, int days, int rowsPerDay) {
    SampleDataset dataset = new SampleDataset(name, TestLakehouse.configWithDataset(name, overrides));
    dataset.ok("sample-data", "--dataset", name, "--start", start, "--days", String.valueOf(days),
        "--rows-per-day", String.valueOf(rowsPerDay));
    for (int d = 0; d < days; d++) {
      dataset.ok("promote", "--dataset", name, "--date", LocalDate.parse(start).plusDays(d).toString());
    }
    return dataset;
  }

  /** The command line with this dataset's config. */
  public CliRun run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--config", config.toString()));
    return CliRun.of(all.toArray(String[]::new));
  }

  /** As run, which must exit 0. */
  public CliRun ok(String... args) {
    CliRun run = run(args);
    assertThat(run.exitCode()).as(run.toString()).isZero();
    return run;
  }

  public String curated() {
    return "lake.curated." + name;
  }
}
