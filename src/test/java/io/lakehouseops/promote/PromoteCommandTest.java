package io.lakehouseops.promote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.faults.FaultInjection;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.RawFiles;
import io.lakehouseops.testing.TestLakehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** promote end to end, in-process through the CLI, on real Avro files and a real Iceberg catalog. */
class PromoteCommandTest {
  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = TestLakehouse.spark();
  }

  // --- helpers ---------------------------------------------------------------------------

  private static Path dataset(String name, String overrides) {
    return TestLakehouse.configWithDataset(name, overrides);
  }

  private static CliRun sample(Path config, String dataset, String start, int days, int rows, String... extra) {
    List<String> args = new ArrayList<>(List.of("sample-data", "--dataset", dataset, "--start", start,
        "--days", String.valueOf(days), "--rows-per-day", String.valueOf(rows), "--config", config.toString()));
    args.addAll(List.of(extra));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.toString()).isZero();
    return run;
  }

  private static CliRun promote(Path config, String dataset, String date, String... extra) {
    List<String> args = new ArrayList<>(List.of("promote", "--dataset", dataset, "--date", date,
        "--config", config.toString()));
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  private static long count(String sql) {
    return spark.sql(sql).collectAsList().get(0).getLong(0);
  }

  private static Long mainSnapshot(String dataset) {
    Table table = Tables.load(spark, new TableRef("lake", "curated", dataset));
    table.refresh();
    return table.currentSnapshot().snapshotId();
  }

  private static JsonNode result(CliRun run) {
    return run.report().get("result");
  }

  private static Map<String, Object> event(String id, long userId, String date, int hour) {
    Map<String, Object> row = new HashMap<>();
    row.put("event_id", id);
    row.put("user_id", userId);
    row.put("event_type", "click");
    row.put("country", "DE");
    row.put("event_ts", RawFiles.micros(date, hour));
    row.put("ingested_at", RawFiles.micros(date, hour) + 5_000_000L);
    return row;
  }

  // --- tests -----------------------------------------------------------------------------

  @Test
  void cleanPartitionIsPublishedWithLineageAndAQualityRun() {
    Path config = dataset("p_clean", "");
    sample(config, "p_clean", "2024-03-01", 1, 300);

    CliRun run = promote(config, "p_clean", "2024-03-01", "--run-id", "run-clean-1",
        "--dag-run-id", "scheduled__2024-03-01");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode result = result(run);
    assertThat(run.report().get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(result.get("rows_read").asLong()).isEqualTo(303);
    assertThat(result.get("duplicates_removed").asLong()).isEqualTo(3);
    assertThat(result.get("rows_inserted").asLong()).isEqualTo(300);
    assertThat(result.get("rules_failed").asInt()).isZero();
    assertThat(count("SELECT count(*) FROM lake.curated.p_clean")).isEqualTo(300);
    assertThat(count("SELECT count(DISTINCT event_id) FROM lake.curated.p_clean")).isEqualTo(300);

    Table table = Tables.load(spark, new TableRef("lake", "curated", "p_clean"));
    Snapshot published = table.currentSnapshot();
    assertThat(published.snapshotId()).isEqualTo(result.get("snapshot_id").asLong());
    assertThat(published.summary())
        .containsEntry("lakehouse.run-id", "run-clean-1")
        .containsEntry("lakehouse.dag-run-id", "scheduled__2024-03-01")
        .containsEntry("lakehouse.command", "promote")
        .containsKey("lakehouse.source-partition");
    assertThat(published.summary().get("lakehouse.source-partition")).endsWith("p_clean/dt=2024-03-01");
    assertThat(table.refs().keySet()).as("audit branch dropped").noneMatch(name -> name.startsWith("audit_"));
    assertThat(table.spec().fields()).extracting(f -> f.transform().toString()).containsExactly("day");
    for (Snapshot snapshot : table.snapshots()) {
      assertThat(snapshot.summary()).as("snapshot %s of the new table, %s", snapshot.snapshotId(), snapshot.operation())
          .containsEntry("lakehouse.run-id", "run-clean-1").containsEntry("lakehouse.command", "promote");
    }
    Table runsTable = Tables.load(spark, new TableRef("lake", "ops", "data_quality_runs"));
    runsTable.refresh();
    assertThat(runsTable.currentSnapshot().summary()).as("the ops row's commit")
        .containsEntry("lakehouse.run-id", "run-clean-1");

    List<Row> runs = spark.sql("SELECT status, row_count, snapshot_id, dag_run_id FROM lake.ops.data_quality_runs "
        + "WHERE run_id = 'run-clean-1'").collectAsList();
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).getString(0)).isEqualTo("passed");
    assertThat(runs.get(0).getLong(1)).isEqualTo(300);
    assertThat(runs.get(0).getLong(2)).isEqualTo(published.snapshotId());
    assertThat(runs.get(0).getString(3)).isEqualTo("scheduled__2024-03-01");
  }

  @Test
  void noVersionOfTheTableHasMainPublishedWhileItsAuditBranchIsStillThere() {
    Path config = dataset("p_one_commit", "");
    sample(config, "p_one_commit", "2024-03-21", 2, 150);

    // The first day is gated first (the table is new), the second written first to its branch.
    assertThat(promote(config, "p_one_commit", "2024-03-21").exitCode()).isZero();
    assertThat(promote(config, "p_one_commit", "2024-03-22").exitCode()).isZero();

    Table table = Tables.load(spark, new TableRef("lake", "curated", "p_one_commit"));
    table.refresh();
    TableMetadata current = ((HasTableOperations) table).operations().current();
    List<TableMetadata> versions = new ArrayList<>();
    current.previousFiles().forEach(entry -> versions.add(TableMetadataParser.read(table.io(), entry.file())));
    versions.add(current);
    // A branch is made at main's snapshot; main later at the branch's own snapshot is published.
    Map<String, Long> madeAt = new HashMap<>();
    List<String> published = new ArrayList<>();
    for (TableMetadata version : versions) {
      long main = version.currentSnapshot() == null ? -1 : version.currentSnapshot().snapshotId();
      version.refs().forEach((name, ref) -> {
        madeAt.putIfAbsent(name, ref.snapshotId());
        if (name.startsWith("audit_") && ref.snapshotId() == main && ref.snapshotId() != madeAt.get(name)) {
          published.add(name + " at " + version.metadataFileLocation());
        }
      });
    }
    // The fast-forward removes the branch in the same commit: a job dying right after it
    // leaves no stale branch, and each publish writes one metadata version fewer.
    assertThat(published).as("audit branches still there once main was moved to them").isEmpty();
    assertThat(table.refs().keySet()).as("no audit branch left").noneMatch(name -> name.startsWith("audit_"));
    assertThat(table.snapshots()).as("both days published").hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void rePromotionIsSettledFromThePublishRecordAndLeavesCuratedUnchanged() {
    Path config = dataset("p_again", "");
    sample(config, "p_again", "2024-03-02", 1, 200);
    assertThat(promote(config, "p_again", "2024-03-02").exitCode()).isZero();
    Long before = mainSnapshot("p_again");

    CliRun again = promote(config, "p_again", "2024-03-02");

    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(result(again).get("rows_inserted").asLong()).isZero();
    assertThat(result(again).get("rows_updated").asLong()).isZero();
    assertThat(again.report().get("status").asText()).isEqualTo("NOTHING_TO_DO");
    assertThat(again.report().get("message").asText()).contains("already published");
    assertThat(mainSnapshot("p_again")).isEqualTo(before);
    assertThat(count("SELECT count(*) FROM lake.curated.p_again")).isEqualTo(200);
  }

  @Test
  void lateEventsLandInTheirOwnEventDatePartitions() throws Exception {
    Path config = dataset("p_late", "");
    Schema schema = RawFiles.userEventsSchema("Event", "[\"null\",\"string\"]", "[\"null\",\"long\"]");
    List<Map<String, Object>> rows = new ArrayList<>();
    rows.add(event("on-time", 1, "2024-03-10", 9));
    Map<String, Object> late = event("late", 2, "2024-03-08", 23);
    late.put("ingested_at", RawFiles.micros("2024-03-10", 1));
    rows.add(late);
    RawFiles.write("p_late", "2024-03-10", "part-0.avro", schema, rows);

    assertThat(promote(config, "p_late", "2024-03-10").exitCode()).isZero();

    List<Row> partitions = spark.sql("SELECT partition.event_ts_day, record_count FROM lake.curated.p_late.partitions "
        + "ORDER BY 1").collectAsList();
    assertThat(partitions).extracting(r -> r.get(0).toString()).containsExactly("2024-03-08", "2024-03-10");
  }

  @Test
  void nullKeysAreQuarantinedExitThreeAndCuratedIsUnchanged() {
    Path config = dataset("p_nulls", "");
    sample(config, "p_nulls", "2024-03-03", 2, 200, "--fault-date", "2024-03-04", "--null-keys", "5");
    assertThat(promote(config, "p_nulls", "2024-03-03").exitCode()).isZero();
    Long before = mainSnapshot("p_nulls");

    CliRun run = promote(config, "p_nulls", "2024-03-04", "--run-id", "run-nulls");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
    assertThat(run.report().get("status").asText()).isEqualTo("QUALITY_FAILED");
    assertThat(result(run).get("failed_rules").toString()).contains("complete(event_id)");
    assertThat(mainSnapshot("p_nulls")).isEqualTo(before);
    assertThat(count("SELECT count(*) FROM lake.curated.p_nulls")).isEqualTo(200);
    assertThat(count("SELECT count(*) FROM lake.quarantine.p_nulls WHERE _quarantine_run_id = 'run-nulls'"))
        .isEqualTo(result(run).get("rows_quarantined").asLong()).isEqualTo(200);
    assertThat(spark.sql("SELECT _quarantine_reasons, _source_partition FROM lake.quarantine.p_nulls LIMIT 1")
        .collectAsList().get(0).getList(0)).containsExactly("complete(event_id)");
    assertThat(spark.sql("SELECT status FROM lake.ops.data_quality_runs WHERE run_id = 'run-nulls'")
        .collectAsList().get(0).getString(0)).isEqualTo("failed");
  }

  @Test
  void quarantineRowsPublishesTheGoodRowsWhenTheBadShareIsSmall() {
    Path config = dataset("p_rows", "quality.on-failure = quarantine-rows, quality.max-quarantine-fraction = 0.05");
    sample(config, "p_rows", "2024-03-05", 1, 400, "--out-of-range", "4");

    CliRun run = promote(config, "p_rows", "2024-03-05");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(result(run).get("rows_quarantined").asLong()).isEqualTo(4);
    assertThat(result(run).get("rows_inserted").asLong()).isEqualTo(396);
    assertThat(count("SELECT count(*) FROM lake.curated.p_rows WHERE user_id < 0")).isZero();
    assertThat(spark.sql("SELECT _quarantine_reasons FROM lake.quarantine.p_rows").collectAsList())
        .hasSize(4).allSatisfy(r -> assertThat(r.getList(0)).containsExactly("non-negative(user_id)"));
  }

  @Test
  void warnLevelFailureIsPublishedWithTheWarningInTheReport() throws Exception {
    Path config = dataset("p_warn", "");
    Schema schema = RawFiles.userEventsSchema("Event", "[\"null\",\"string\"]", "[\"null\",\"long\"]");
    Map<String, Object> odd = event("b", 2, "2024-03-06", 10);
    odd.put("country", "Germany");
    RawFiles.write("p_warn", "2024-03-06", "part-0.avro", schema, List.of(event("a", 1, "2024-03-06", 9), odd));

    CliRun run = promote(config, "p_warn", "2024-03-06");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(result(run).get("warnings").toString()).contains("pattern(country)");
    assertThat(run.report().get("message").asText()).contains("warnings: [pattern(country)]");
    assertThat(result(run).get("rows_inserted").asLong()).isEqualTo(2);
  }

  @Test
  void additiveSchemaChangeEvolvesTheTableAndOldRowsReadNull() throws Exception {
    Path config = dataset("p_evolve", "");
    Schema v1 = RawFiles.userEventsSchema("topLevelRecord", "[\"null\",\"string\"]", "[\"null\",\"long\"]");
    Map<String, Object> first = event("old", 1, "2024-03-07", 9);
    RawFiles.write("p_evolve", "2024-03-07", "part-0.avro", v1, List.of(first));
    assertThat(promote(config, "p_evolve", "2024-03-07").exitCode()).isZero();

    Schema v2 = RawFiles.userEventsSchema("ConnectRecord", "[\"null\",\"string\"]", "[\"null\",\"long\"]",
        "{\"name\":\"device\",\"type\":[\"null\",\"string\"],\"default\":null}");
    Map<String, Object> second = event("new", 5_000_000_000L, "2024-03-08", 9);
    second.put("device", "ios");
    RawFiles.write("p_evolve", "2024-03-08", "part-0.avro", v2, List.of(second));

    CliRun run = promote(config, "p_evolve", "2024-03-08");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(result(run).get("schema_changes").toString()).contains("add-column", "device");
    List<Row> rows = spark.sql("SELECT event_id, device, user_id FROM lake.curated.p_evolve ORDER BY event_id").collectAsList();
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).getString(0)).isEqualTo("new");
    assertThat(rows.get(0).getString(1)).isEqualTo("ios");
    assertThat(rows.get(0).getLong(2)).isEqualTo(5_000_000_000L);
    assertThat(rows.get(1).getString(0)).isEqualTo("old");
    assertThat(rows.get(1).isNullAt(1)).as("old row reads the new column as null").isTrue();
  }

  @Test
  void breakingSchemaChangeIsRejectedNamingTheField() throws Exception {
    Path config = dataset("p_break", "");
    Schema narrowed = RawFiles.userEventsSchema("Event", "[\"null\",\"string\"]", "[\"null\",\"int\"]");
    Map<String, Object> row = event("x", 1, "2024-03-09", 9);
    row.put("user_id", 1);
    RawFiles.write("p_break", "2024-03-09", "part-0.avro", narrowed, List.of(row));

    CliRun run = promote(config, "p_break", "2024-03-09");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
    assertThat(result(run).get("failed_rules").get(0).asText())
        .startsWith("schema: field user_id: narrowing from bigint to int");
    assertThat(Tables.exists(spark, new TableRef("lake", "curated", "p_break"))).isFalse();
  }

  @Test
  void anomalyBlocksANinetyPercentVolumeDropAfterFourteenNormalDays() {
    Path config = dataset("p_anomaly", "");
    sample(config, "p_anomaly", "2024-04-01", 15, 100, "--fault-date", "2024-04-15", "--volume-drop", "0.9");
    for (int day = 1; day <= 14; day++) {
      CliRun normal = promote(config, "p_anomaly", String.format("2024-04-%02d", day));
      assertThat(normal.exitCode()).as(normal.toString()).isZero();
    }

    CliRun dropped = promote(config, "p_anomaly", "2024-04-15");

    assertThat(dropped.exitCode()).as(dropped.toString()).isEqualTo(3);
    assertThat(result(dropped).get("failed_rules").toString()).contains("anomaly(row_count)");
    assertThat(result(dropped).get("anomaly_score").asDouble()).isLessThan(-5.0);
    assertThat(count("SELECT count(*) FROM lake.curated.p_anomaly WHERE to_date(ingested_at) = DATE'2024-04-15'")).isZero();
  }

  @Test
  void failureBetweenBranchWriteAndFastForwardLeavesMainUnchangedAndTheNextRunSucceeds() {
    Path config = dataset("p_crash", "");
    sample(config, "p_crash", "2024-03-11", 2, 150);
    assertThat(promote(config, "p_crash", "2024-03-11").exitCode()).isZero();
    Long before = mainSnapshot("p_crash");

    CliRun crashed;
    System.setProperty(FaultInjection.PROPERTY, "promote.before-fast-forward");
    try {
      crashed = promote(config, "p_crash", "2024-03-12");
    } finally {
      System.clearProperty(FaultInjection.PROPERTY);
    }

    assertThat(crashed.exitCode()).as(crashed.toString()).isEqualTo(1);
    assertThat(crashed.stderr()).contains("Injected fault at promote.before-fast-forward");
    assertThat(mainSnapshot("p_crash")).isEqualTo(before);
    assertThat(count("SELECT count(*) FROM lake.curated.p_crash")).isEqualTo(150);

    CliRun retried = promote(config, "p_crash", "2024-03-12");
    assertThat(retried.exitCode()).as(retried.toString()).isZero();
    assertThat(count("SELECT count(*) FROM lake.curated.p_crash")).isEqualTo(300);
    assertThat(count("SELECT count(DISTINCT event_id) FROM lake.curated.p_crash")).isEqualTo(300);
  }

  @Test
  void dryRunWritesNothingButTheSkippedQualityRun() {
    Path config = dataset("p_dry", "");
    sample(config, "p_dry", "2024-03-13", 1, 100);

    CliRun run = promote(config, "p_dry", "2024-03-13", "--dry-run", "--run-id", "run-dry");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.report().get("message").asText()).contains("dry run: the gate would pass");
    assertThat(Tables.exists(spark, new TableRef("lake", "curated", "p_dry"))).isFalse();
    assertThat(spark.sql("SELECT status FROM lake.ops.data_quality_runs WHERE run_id = 'run-dry'")
        .collectAsList().get(0).getString(0)).isEqualTo("skipped");
  }

  @Test
  void corruptAvroFileFailsNamingTheFileAndPublishesNothing() throws Exception {
    Path config = dataset("p_corrupt", "");
    sample(config, "p_corrupt", "2024-03-14", 1, 50);
    Path bad = RawFiles.partition("p_corrupt", "2024-03-14").resolve("part-00001.avro");
    Files.write(bad, "this is not avro at all".getBytes());

    CliRun run = promote(config, "p_corrupt", "2024-03-14");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.stderr()).contains("Cannot read raw file", "part-00001.avro");
    assertThat(Tables.exists(spark, new TableRef("lake", "curated", "p_corrupt"))).isFalse();
    assertThat(bad).hasContent("this is not avro at all");
  }

  @Test
  void missingPartitionIsNothingToDoOrAFailureWhenDataIsRequired() {
    Path config = dataset("p_missing", "");
    CliRun run = promote(config, "p_missing", "2024-01-01");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.report().get("status").asText()).isEqualTo("NOTHING_TO_DO");
    assertThat(run.report().get("message").asText()).contains("p_missing/dt=2024-01-01 is missing or empty");

    Path strict = dataset("p_required", "quality.require-data = true");
    CliRun failed = promote(strict, "p_required", "2024-01-01");
    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(failed.stderr()).contains("is missing or empty", "quality.require-data = true");
  }

  @Test
  void badRuleConfigurationFailsAtStartUpWithItsPath() {
    Path config = dataset("p_badrule", "quality.rules = [{ rule = completely, column = x }]");
    CliRun run = promote(config, "p_badrule", "2024-01-01");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("lakehouse.datasets.p_badrule.quality.rules[0].rule: unknown rule 'completely'");

    Path missing = dataset("p_badrule2", "quality.rules = [{ rule = range, min = 1 }]");
    CliRun run2 = promote(missing, "p_badrule2", "2024-01-01");
    assertThat(run2.exitCode()).isEqualTo(2);
    assertThat(run2.stderr()).contains("lakehouse.datasets.p_badrule2.quality.rules[0]: rule range needs 'column'");
  }

  @Test
  void badPartitionArgumentIsAUsageError() {
    CliRun run = CliRun.withTestConfig("promote", "--dataset", "user_events", "--partition", "2024-01-01");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("Invalid --partition '2024-01-01': expected dt=YYYY-MM-DD");
  }
}
