package io.lakehouseops.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.LakeState;
import io.lakehouseops.testing.SparkSubmitProcess;
import io.lakehouseops.testing.TestLakehouse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two promotions of different days of one dataset at the same time, each its own spark-submit
 * JVM, on the shared JDBC catalog: both publish (the later one starts its write-audit-publish
 * again on the moved main), and every row of both days is in the table once.
 */
class ConcurrentPromoteIT {
  private static final List<String> SPARK = SparkSubmitProcess.LOCAL;

  @Test
  void twoPromotionsOfDifferentDaysAtOnceBothPublishEveryRowOnce() throws Exception {
    String dataset = "c_two";
    Path config = TestLakehouse.configWithDataset(dataset, "");
    CliRun sample = CliRun.of("sample-data", "--dataset", dataset, "--start", "2024-10-01", "--days", "2",
        "--rows-per-day", "500", "--config", config.toString());
    assertThat(sample.exitCode()).as(sample.toString()).isZero();
    // The first day alone first, so both concurrent runs find the table and race only to publish.
    CliRun first = CliRun.of("promote", "--dataset", dataset, "--date", "2024-10-01", "--config", config.toString());
    assertThat(first.exitCode()).as(first.toString()).isZero();
    CliRun day3 = CliRun.of("sample-data", "--dataset", dataset, "--start", "2024-10-03", "--days", "1",
        "--rows-per-day", "500", "--seed", "7", "--config", config.toString());
    assertThat(day3.exitCode()).as(day3.toString()).isZero();
    Path raw = TestLakehouse.rawZone().resolve(dataset);
    String expected = LakeState.userEventsChecksum("(SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY "
        + "event_id ORDER BY ingested_at) AS n FROM avro.`" + raw + "`) WHERE n = 1)");

    List<Process> processes = new ArrayList<>();
    List<Path> errors = new ArrayList<>();
    for (String day : List.of("2024-10-02", "2024-10-03")) {
      Path err = Files.createTempFile("concurrent-" + day, ".err");
      errors.add(err);
      processes.add(SparkSubmitProcess.builder(SPARK, List.of("promote", "--dataset", dataset, "--date", day,
          "--config", config.toString())).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(err.toFile()).start());
    }
    for (int i = 0; i < processes.size(); i++) {
      assertThat(processes.get(i).waitFor(5, TimeUnit.MINUTES)).isTrue();
      assertThat(processes.get(i).exitValue()).as(Files.readString(errors.get(i), StandardCharsets.UTF_8)).isZero();
    }

    String table = "lake.curated." + dataset;
    LakeState.refresh(table);
    assertThat(LakeState.userEventsChecksum(table)).isEqualTo(expected);
    assertThat(LakeState.duplicateKeys(table)).isZero();
    assertThat(LakeState.missingFiles(table)).isEmpty();
  }
}
