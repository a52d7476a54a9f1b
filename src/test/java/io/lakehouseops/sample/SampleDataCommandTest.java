package io.lakehouseops.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.TestLakehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SampleDataCommandTest {
  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = TestLakehouse.spark();
  }

  private static String raw(String dataset) {
    return TestLakehouse.rawZone().resolve(dataset).toString();
  }

  @Test
  void writesOneAvroPartitionPerDayWithDuplicatesAndLateEvents() {
    CliRun run = CliRun.withTestConfig("sample-data", "--dataset", "user_events",
        "--start", "2023-03-01", "--days", "3", "--rows-per-day", "500", "--seed", "7",
        "--set", "lakehouse.datasets.user_events.raw.path=" + raw("sample_a"));
    assertThat(run.exitCode()).as(run.toString()).isZero();

    for (String day : new String[] {"2023-03-01", "2023-03-02", "2023-03-03"}) {
      assertThat(Path.of(raw("sample_a"), "dt=" + day, "part-00000.avro")).isRegularFile();
    }
    Dataset<Row> rows = spark.read().format("avro").load(raw("sample_a") + "/dt=2023-03-02");
    long total = rows.count();
    long distinctKeys = rows.select("event_id").distinct().count();
    assertThat(total).isEqualTo(505);
    assertThat(total - distinctKeys).as("re-delivered duplicates").isEqualTo(5);
    long late = rows.filter(col("event_ts").lt(java.sql.Timestamp.valueOf("2023-03-02 00:00:00"))).count();
    assertThat(late).as("late events").isBetween(5L, 40L);
    assertThat(rows.filter(col("event_id").isNull()).count()).isZero();

    JsonNode result = run.report().get("result");
    assertThat(result.get("rows_written").asLong()).isEqualTo(3 * 505);
    assertThat(result.get("partitions").get(1).get("late_events").asLong()).isEqualTo(late);
  }

  @Test
  void injectsFaultsOnTheFaultDateOnly() {
    CliRun run = CliRun.withTestConfig("sample-data", "--dataset", "user_events",
        "--start", "2023-04-01", "--days", "2", "--rows-per-day", "400", "--fault-date", "2023-04-02",
        "--null-keys", "6", "--out-of-range", "4", "--volume-drop", "0.9",
        "--set", "lakehouse.datasets.user_events.raw.path=" + raw("sample_b"));
    assertThat(run.exitCode()).as(run.toString()).isZero();

    Dataset<Row> normal = spark.read().format("avro").load(raw("sample_b") + "/dt=2023-04-01");
    Dataset<Row> faulty = spark.read().format("avro").load(raw("sample_b") + "/dt=2023-04-02");
    assertThat(normal.filter(col("event_id").isNull()).count()).isZero();
    assertThat(faulty.filter(col("event_id").isNull()).count()).isEqualTo(6);
    assertThat(faulty.filter(col("user_id").lt(0)).count()).isEqualTo(4);
    assertThat(faulty.count()).as("90% volume drop").isEqualTo(40);
  }

  @Test
  void refusesToOverwriteAnExistingRawPartition() throws Exception {
    String[] args = {"sample-data", "--dataset", "user_events", "--start", "2023-05-01", "--days", "1",
        "--rows-per-day", "10", "--set", "lakehouse.datasets.user_events.raw.path=" + raw("sample_c")};
    assertThat(CliRun.withTestConfig(args).exitCode()).isZero();
    Path file = Path.of(raw("sample_c"), "dt=2023-05-01", "part-00000.avro");
    byte[] before = Files.readAllBytes(file);

    CliRun again = CliRun.withTestConfig(args);

    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.stderr()).contains("raw partition", "dt=2023-05-01 already exists and the raw zone is immutable");
    assertThat(Files.readAllBytes(file)).as("raw file untouched").isEqualTo(before);
  }

  @Test
  void dryRunWritesNothing() {
    CliRun run = CliRun.withTestConfig("sample-data", "--dataset", "user_events", "--start", "2023-06-01",
        "--days", "2", "--rows-per-day", "10", "--dry-run",
        "--set", "lakehouse.datasets.user_events.raw.path=" + raw("sample_d"));
    assertThat(run.exitCode()).isZero();
    assertThat(run.report().get("result").get("rows_written").asLong()).isEqualTo(20 + 0);
    assertThat(Path.of(raw("sample_d"))).doesNotExist();
  }
}
