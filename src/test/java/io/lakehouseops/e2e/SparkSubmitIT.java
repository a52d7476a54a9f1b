package io.lakehouseops.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.SparkSubmitProcess;
import io.lakehouseops.testing.TestLakehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fat jar through Spark's real spark-submit entry point, on Spark's classpath only. */
class SparkSubmitIT {
  private static final List<String> SPARK = SparkSubmitProcess.LOCAL;

  @Test
  void sampleDataThenSqlRunFromTheFatJarWithoutClassOrPackages() throws Exception {
    String config = TestLakehouse.configFile().toString();
    Path report = TestLakehouse.root().resolve("reports/sample.json");

    CliRun sample = SparkSubmitProcess.run(SPARK, List.of("sample-data", "--dataset", "user_events",
        "--start", "2024-02-01", "--days", "2", "--rows-per-day", "200", "--config", config,
        "--report", report.toString(), "--dag-run-id", "manual__it"));

    assertThat(sample.exitCode()).as(sample.toString()).isZero();
    JsonNode sampleReport = sample.report();
    assertThat(sampleReport.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(sampleReport.get("dag_run_id").asText()).isEqualTo("manual__it");
    assertThat(Files.readString(report).strip()).isEqualTo(sample.stdoutLines().get(sample.stdoutLines().size() - 1));

    String raw = TestLakehouse.rawZone().resolve("user_events").toString();
    CliRun count = SparkSubmitProcess.run(SPARK, List.of("sql",
        "SELECT count(*) AS n FROM avro.`" + raw + "/dt=2024-02-01`", "--config", config));
    assertThat(count.exitCode()).as(count.toString()).isZero();
    assertThat(count.rows().get(0).get("n").asLong()).isEqualTo(202);

    CliRun iceberg = SparkSubmitProcess.run(SPARK, List.of("sql",
        "CREATE NAMESPACE IF NOT EXISTS lake.e2e", "--config", config));
    assertThat(iceberg.exitCode()).as(iceberg.toString()).isZero();
    CliRun namespaces = SparkSubmitProcess.run(SPARK, List.of("sql", "SHOW NAMESPACES IN lake",
        "--config", config));
    assertThat(namespaces.rows()).extracting(r -> r.get("namespace").asText()).contains("e2e");
  }

  @Test
  void usageErrorExitsTwoThroughSparkSubmit() throws Exception {
    CliRun run = SparkSubmitProcess.run(SPARK, List.of("promote", "--config",
        TestLakehouse.configFile().toString()));
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.stderr()).contains("lakehouse-ops: Missing required option: '--dataset=NAME'");
    assertThat(run.report().get("status").asText()).isEqualTo("FAILED");
  }
}
