package io.lakehouseops.promote;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.RawFiles;
import io.lakehouseops.testing.TestLakehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A dataset whose raw zone holds JSON lines (raw.format = json) promotes as an Avro one does:
 * the first partition creates the table (gated first), a later one is written first; a
 * malformed line fails the run naming its partition and leaves the table as it was.
 */
class PromoteJsonRawTest {
  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = TestLakehouse.spark();
  }

  @Test
  void jsonPartitionsArePromotedOnTheGateFirstAndTheWriteFirstPath() throws Exception {
    Path config = TestLakehouse.configWithDataset("j_events", "raw.format = json");
    writeJson("j_events", "2024-05-01", line("j1", 1, "2024-05-01", "click", "  DE "), line("j2", 2, "2024-05-01", "signup", "FR"));
    CliRun first = promote(config, "j_events", "2024-05-01");
    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.report().get("result").get("rows_inserted").asLong()).isEqualTo(2);

    writeJson("j_events", "2024-05-02", line("j3", 3, "2024-05-02", "click", ""), line("j4", 4, "2024-05-02", "purchase", "US"),
        line("j4", 4, "2024-05-02", "purchase", "US"));
    Table table = table("j_events");
    long before = table.currentSnapshot().snapshotId();
    CliRun second = promote(config, "j_events", "2024-05-02");

    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(second.report().get("result").get("rows_inserted").asLong()).as("the repeated j4 deduped").isEqualTo(2);
    table.refresh();
    // Written first: the append, then the repeated j4's position delete, published as they are.
    assertThat(table.snapshot(table.currentSnapshot().parentId()).parentId()).isEqualTo(before);
    assertThat(table.currentSnapshot().summary()).containsEntry("added-position-deletes", "1");
    List<Row> rows = spark.sql("SELECT event_id, user_id, country, CAST(event_ts AS STRING) FROM lake.curated.j_events "
        + "ORDER BY event_id").collectAsList();
    assertThat(rows).extracting(Row::toString).containsExactly(
        "[j1,1,DE,2024-05-01 09:00:00]", "[j2,2,FR,2024-05-01 09:00:00]",
        "[j3,3,null,2024-05-02 09:00:00]", "[j4,4,US,2024-05-02 09:00:00]");
  }

  @Test
  void aMalformedJsonLineFailsTheRunNamingThePartitionAndChangesNothing() throws Exception {
    Path config = TestLakehouse.configWithDataset("j_broken", "raw.format = json");
    writeJson("j_broken", "2024-05-01", line("b1", 1, "2024-05-01", "click", "DE"));
    assertThat(promote(config, "j_broken", "2024-05-01").exitCode()).isZero();
    writeJson("j_broken", "2024-05-02", line("b2", 2, "2024-05-02", "click", "DE"), "{\"event_id\": \"b3\", \"user_id\": ");
    Table table = table("j_broken");
    long before = table.currentSnapshot().snapshotId();

    CliRun run = promote(config, "j_broken", "2024-05-02");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.stderr()).contains("j_broken/dt=2024-05-02").contains("JSON");
    table.refresh();
    assertThat(table.currentSnapshot().snapshotId()).isEqualTo(before);
    assertThat(table.refs().keySet()).as("no audit branch left").noneMatch(name -> name.startsWith("audit_"));
    assertThat(spark.sql("SELECT count(*) FROM lake.curated.j_broken").first().getLong(0)).isEqualTo(1);
  }

  @Test
  void aValueOfAnotherTypeInTheFirstPartitionFailsTheRunAndCreatesNoTable() throws Exception {
    Path config = TestLakehouse.configWithDataset("j_typed", "raw.format = json");
    writeJson("j_typed", "2024-05-01", line("t1", 1, "2024-05-01", "click", "DE").replace("\"user_id\": 1", "\"user_id\": \"one\""));

    CliRun run = promote(config, "j_typed", "2024-05-01");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.stderr()).contains("j_typed/dt=2024-05-01").contains("contract's types");
    assertThat(Tables.exists(spark, new TableRef("lake", "curated", "j_typed"))).isFalse();
  }

  private static String line(String id, long userId, String date, String type, String country) {
    return "{\"event_id\": \"" + id + "\", \"user_id\": " + userId + ", \"event_type\": \"" + type
        + "\", \"country\": \"" + country + "\", \"event_ts\": \"" + date + "T09:00:00Z\", \"payload\": {\"k\": \"v\"}, "
        + "\"ingested_at\": \"" + date + "T10:00:00Z\"}";
  }

  private static void writeJson(String dataset, String date, String... lines) throws Exception {
    Path partition = RawFiles.partition(dataset, date);
    Files.createDirectories(partition);
    Files.write(partition.resolve("part-0.json"), List.of(lines));
  }

  private static CliRun promote(Path config, String dataset, String date) {
    return CliRun.of("promote", "--dataset", dataset, "--date", date, "--config", config.toString());
  }

  private static Table table(String dataset) {
    Table table = Tables.load(spark, new TableRef("lake", "curated", dataset));
    table.refresh();
    return table;
  }
}
