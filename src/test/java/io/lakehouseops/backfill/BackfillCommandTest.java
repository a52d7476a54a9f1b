package io.lakehouseops.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.TestLakehouse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** backfill in-process through the CLI, on real Avro raw partitions and a real Iceberg catalog. */
class BackfillCommandTest {
  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = TestLakehouse.spark();
  }

  // --- helpers ---------------------------------------------------------------------------

  /** A dataset like user_events with days of sample data, each day promoted. */
  static Path promotedDataset(String name, String start, int days, int rows, String... sampleFaults) {
    return promoted(TestLakehouse.configWithDataset(name, ""), name, start, days, rows, sampleFaults);
  }

  /** As promotedDataset, under a given config. */
  static Path promoted(Path config, String name, String start, int days, int rows, String... sampleFaults) {
    List<String> sample = new ArrayList<>(List.of("sample-data", "--dataset", name, "--start", start,
        "--days", String.valueOf(days), "--rows-per-day", String.valueOf(rows), "--config", config.toString()));
    sample.addAll(List.of(sampleFaults));
    CliRun generated = CliRun.of(sample.toArray(String[]::new));
    assertThat(generated.exitCode()).as(generated.toString()).isZero();
    for (int day = 0; day < days; day++) {
      String date = java.time.LocalDate.parse(start).plusDays(day).toString();
      CliRun promoted = CliRun.of("promote", "--dataset", name, "--date", date, "--config", config.toString());
      assertThat(promoted.exitCode()).as(promoted.toString()).isIn(0, 3);
    }
    return config;
  }

  static CliRun backfill(Path config, String dataset, String from, String to, String... extra) {
    List<String> args = new ArrayList<>(List.of("backfill", "--dataset", dataset, "--from", from, "--to", to,
        "--config", config.toString()));
    if (!List.of(extra).contains("--triggered-by")) {
      args.addAll(List.of("--triggered-by", "bug_fix"));
    }
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  private static long count(String sql) {
    return spark.sql(sql).collectAsList().get(0).getLong(0);
  }

  /** Row count and an order-independent checksum of every column of the rows. */
  static String checksum(String table, String where) {
    Row row = TestLakehouse.spark().sql("SELECT count(*), sum(hash(to_json(struct(*)))) FROM " + table + " WHERE " + where)
        .collectAsList().get(0);
    return row.get(0) + "/" + row.get(1);
  }

  private static List<String> dataFiles(String dataset, String where) {
    return spark.sql("SELECT file_path FROM lake.curated." + dataset + ".files WHERE " + where
        + " ORDER BY 1").collectAsList().stream().map(r -> r.getString(0)).toList();
  }

  private static List<Row> audit(String backfillId) {
    if (!Tables.exists(spark, new TableRef("lake", "ops", "backfill_audit_log"))) {
      return List.of();
    }
    return spark.sql("SELECT partition_key, status, rows_inserted, rows_updated, rows_deleted, "
        + "rows_affected, snapshot_id, triggered_by, dag_run_id, error FROM lake.ops.backfill_audit_log "
        + "WHERE backfill_id = '" + backfillId + "' ORDER BY partition_key, started_at").collectAsList();
  }

  private static Snapshot current(String dataset) {
    Table table = Tables.load(spark, new TableRef("lake", "curated", dataset));
    table.refresh();
    return table.currentSnapshot();
  }

  private static JsonNode result(CliRun run) {
    return run.report().get("result");
  }

  private static Map<String, Long> corruptedPerDay(String dataset) {
    return spark.sql("SELECT CAST(CAST(event_ts AS DATE) AS STRING), count(*) FROM lake.curated." + dataset
        + " WHERE user_id >= 1000000000 GROUP BY 1").collectAsList().stream()
        .collect(Collectors.toMap(r -> "dt=" + r.getString(0), r -> r.getLong(1)));
  }

  // --- tests -----------------------------------------------------------------------------

  @Test
  void backfillFromRawRepairsExactlyTheCorruptedRowsOfItsRangeAndLogsEveryPartition() {
    Path config = promotedDataset("b_fix", "2024-05-01", 5, 200);
    String table = "lake.curated.b_fix";
    String healthy = checksum(table, "true");
    List<String> outsideFiles = dataFiles("b_fix", "partition.event_ts_day NOT BETWEEN '2024-05-02' AND '2024-05-04'");
    // A bug wrote a wrong user_id on about 5% of the rows of three days.
    spark.sql("UPDATE " + table + " SET user_id = user_id + 1000000000 WHERE CAST(event_ts AS DATE) "
        + "BETWEEN '2024-05-02' AND '2024-05-04' AND pmod(hash(event_id), 20) = 0");
    Map<String, Long> corrupted = corruptedPerDay("b_fix");
    long corruptedRows = corrupted.values().stream().mapToLong(Long::longValue).sum();
    assertThat(corrupted).containsOnlyKeys("dt=2024-05-02", "dt=2024-05-03", "dt=2024-05-04");
    assertThat(corruptedRows).isBetween(10L, 60L);

    CliRun preview = backfill(config, "b_fix", "2024-05-02", "2024-05-04", "--backfill-id", "fix-preview",
        "--dry-run");
    assertThat(preview.exitCode()).as(preview.toString()).isZero();
    assertThat(result(preview).get("rows_updated").asLong()).isEqualTo(corruptedRows);
    assertThat(result(preview).get("snapshots")).isEmpty();
    assertThat(corruptedPerDay("b_fix")).isEqualTo(corrupted);
    assertThat(audit("fix-preview")).extracting(r -> r.getString(1)).containsExactly("dry_run", "dry_run", "dry_run");

    CliRun run = backfill(config, "b_fix", "2024-05-02", "2024-05-04", "--backfill-id", "fix-1",
        "--run-id", "run-fix-1", "--dag-run-id", "manual__fix");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode result = result(run);
    assertThat(result.get("rows_updated").asLong()).isEqualTo(corruptedRows);
    assertThat(result.get("rows_inserted").asLong()).isZero();
    assertThat(result.get("rows_deleted").asLong()).isZero();
    assertThat(result.get("partitions_done").asInt()).isEqualTo(3);
    assertThat(result.get("snapshots")).hasSize(3);
    assertThat(checksum(table, "true")).as("every row as before the corruption").isEqualTo(healthy);
    assertThat(dataFiles("b_fix", "partition.event_ts_day NOT BETWEEN '2024-05-02' AND '2024-05-04'"))
        .as("days outside the range untouched").isEqualTo(outsideFiles);

    List<Row> rows = audit("fix-1");
    assertThat(rows).extracting(r -> r.getString(0) + " " + r.getString(1) + " " + r.getLong(3) + " " + r.getLong(5))
        .containsExactly(
            "dt=2024-05-02 success " + corrupted.get("dt=2024-05-02") + " " + corrupted.get("dt=2024-05-02"),
            "dt=2024-05-03 success " + corrupted.get("dt=2024-05-03") + " " + corrupted.get("dt=2024-05-03"),
            "dt=2024-05-04 success " + corrupted.get("dt=2024-05-04") + " " + corrupted.get("dt=2024-05-04"));
    assertThat(rows).allSatisfy(r -> {
      assertThat(r.getString(7)).isEqualTo("bug_fix");
      assertThat(r.getString(8)).isEqualTo("manual__fix");
    });
    Snapshot last = current("b_fix");
    assertThat(last.snapshotId()).isEqualTo(rows.get(2).getLong(6));
    assertThat(last.summary())
        .containsEntry("lakehouse.backfill-id", "fix-1")
        .containsEntry("lakehouse.run-id", "run-fix-1")
        .containsEntry("lakehouse.dag-run-id", "manual__fix")
        .containsEntry("lakehouse.triggered-by", "bug_fix")
        .containsEntry("lakehouse.command", "backfill");

    CliRun again = backfill(config, "b_fix", "2024-05-02", "2024-05-04", "--backfill-id", "fix-2");
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(result(again).get("rows_affected").asLong()).isZero();
    assertThat(current("b_fix").snapshotId()).as("nothing to commit").isEqualTo(last.snapshotId());
    assertThat(audit("fix-2")).extracting(r -> r.getString(1) + " " + r.getLong(5))
        .containsExactly("success 0", "success 0", "success 0");

    CliRun resumed = backfill(config, "b_fix", "2024-05-02", "2024-05-04", "--backfill-id", "fix-1");
    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    assertThat(resumed.report().get("status").asText()).isEqualTo("NOTHING_TO_DO");
    assertThat(result(resumed).get("partitions_skipped").asInt()).isEqualTo(3);
    assertThat(audit("fix-1")).hasSize(3);
  }

  @Test
  void aCorrectionOfAFewRowsIsNotScoredAsTheDatesVolumeAndStaysOutOfTheAnomalyHistory() {
    // Four promoted days of about 200 rows, scored from three: the row-count history is the days' volume.
    Path config = promoted(TestLakehouse.configWithDataset("b_few", "quality.anomaly.min-history = 3"), "b_few",
        "2024-06-01", 4, 200);
    String table = "lake.curated.b_few";
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.staging");
    spark.sql("CREATE TABLE lake.staging.b_few_fixed USING iceberg AS SELECT event_id, user_id + 1 AS user_id, "
        + "event_type, country, event_ts, payload, ingested_at FROM (SELECT *, row_number() OVER (PARTITION BY "
        + "CAST(event_ts AS DATE) ORDER BY event_id) AS n FROM " + table + " WHERE event_ts >= "
        + "TIMESTAMP'2024-06-01 00:00:00' AND event_ts < TIMESTAMP'2024-06-05 00:00:00') WHERE n <= 5");

    CliRun run = backfill(config, "b_few", "2024-06-01", "2024-06-04", "--source", "staging.b_few_fixed",
        "--chunk-days", "4", "--backfill-id", "few-1");

    // Five rows a date against a history of 200 would score far past block-above.
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(result(run).get("rows_updated").asLong()).isEqualTo(20);
    assertThat(count("SELECT count(*) FROM lake.ops.quality_metrics WHERE dataset = 'b_few' AND run_id LIKE '"
        + run.report().get("run_id").asText() + "%'")).as("no baseline from the corrections").isZero();
    assertThat(count("SELECT count(*) FROM lake.ops.data_quality_runs WHERE dataset = 'b_few' AND run_id LIKE '"
        + run.report().get("run_id").asText() + "%' AND status = 'passed'")).as("the gate runs are recorded").isEqualTo(4);

    // The next whole day is judged against the days' volume, not the corrections'.
    CliRun sample = CliRun.of("sample-data", "--dataset", "b_few", "--start", "2024-06-05", "--days", "1",
        "--rows-per-day", "200", "--config", config.toString());
    assertThat(sample.exitCode()).as(sample.toString()).isZero();
    CliRun next = CliRun.of("promote", "--dataset", "b_few", "--date", "2024-06-05", "--config", config.toString());
    assertThat(next.exitCode()).as(next.toString()).isZero();
    JsonNode rowCount = result(next).get("anomalies").get(0);
    assertThat(rowCount.get("metric").asText()).isEqualTo("row_count");
    assertThat(rowCount.get("verdict").asText()).isEqualTo("ok");
    assertThat(rowCount.get("mean").asDouble()).isGreaterThan(150);
  }

  @Test
  void theAuditStopsAWriteThatRepeatsAKeyOrAddsARowAndMainStaysAsItWas() throws Exception {
    Path config = promotedDataset("b_aud", "2024-07-01", 1, 100);
    String table = "lake.curated.b_aud";
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.staging");
    spark.sql("CREATE TABLE lake.staging.b_aud_fixed USING iceberg AS SELECT event_id, user_id + 1 AS user_id, "
        + "event_type, country, event_ts, payload, ingested_at FROM " + table + " ORDER BY event_id LIMIT 3");
    String corrected = spark.sql("SELECT min(event_id) FROM lake.staging.b_aud_fixed").first().getString(0);
    String untouched = spark.sql("SELECT max(event_id) FROM " + table + " WHERE CAST(event_ts AS DATE) = "
        + "'2024-07-01' AND event_id NOT IN (SELECT event_id FROM lake.staging.b_aud_fixed)").first().getString(0);
    String before = checksum(table, "true");
    long touched = count("SELECT count(*) FROM " + table + " WHERE CAST(event_ts AS DATE) IN "
        + "(SELECT CAST(event_ts AS DATE) FROM lake.staging.b_aud_fixed)");

    // Another writer adds a row to the audit branch between the MERGE and the audit: a second
    // row of a corrected key (the keys the audit checks one by one), then a second row of a
    // key the correction does not touch (which only the row count can tell).
    for (String key : List.of(corrected, untouched)) {
      CliRun run = withRowAddedToTheAuditBranch(table, key, () -> backfill(config, "b_aud", "2024-07-01",
          "2024-07-01", "--source", "staging.b_aud_fixed"));
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertThat(run.report().get("error").get("message").asText()).contains(key.equals(corrected)
          ? "found 1 keys more than once"
          : "counted " + (touched + 1) + " rows in the touched event dates, expected " + touched);
      assertThat(checksum(table, "true")).as("main unchanged").isEqualTo(before);
    }
  }

  /** Runs the job paused after its write to the audit branch, copies the key's row into that branch, then lets it go on. */
  static CliRun withRowAddedToTheAuditBranch(String table, String key,
      java.util.function.Supplier<CliRun> job) throws Exception {
    SparkSession spark = TestLakehouse.spark(); // also from other test classes
    Path release = java.nio.file.Files.createTempFile("release", ".flag");
    java.nio.file.Files.delete(release);
    System.setProperty(io.lakehouseops.faults.FaultInjection.PROPERTY, "promote.after-branch-write");
    System.setProperty(io.lakehouseops.faults.FaultInjection.MODE, "pause");
    System.setProperty(io.lakehouseops.faults.FaultInjection.RELEASE, release.toString());
    try {
      java.util.concurrent.CompletableFuture<CliRun> running = java.util.concurrent.CompletableFuture.supplyAsync(job);
      Table iceberg = Tables.load(spark, TableRef.parse(table, "lake", "the test table"));
      String branch = null;
      for (int i = 0; i < 600 && branch == null; i++) {
        Thread.sleep(100);
        iceberg.refresh();
        long main = iceberg.currentSnapshot().snapshotId();
        branch = iceberg.refs().entrySet().stream().filter(e -> e.getKey().startsWith("audit_")
            && e.getValue().snapshotId() != main).map(Map.Entry::getKey).findFirst().orElse(null);
      }
      assertThat(branch).as("the job wrote to an audit branch").isNotNull();
      String onBranch = table + ".`branch_" + branch + "`";
      spark.sql("INSERT INTO " + onBranch + " SELECT * FROM " + onBranch + " WHERE event_id = '" + key + "'");
      java.nio.file.Files.createFile(release);
      return running.get(5, java.util.concurrent.TimeUnit.MINUTES);
    } finally {
      System.clearProperty(io.lakehouseops.faults.FaultInjection.PROPERTY);
      System.clearProperty(io.lakehouseops.faults.FaultInjection.MODE);
      System.clearProperty(io.lakehouseops.faults.FaultInjection.RELEASE);
      java.nio.file.Files.deleteIfExists(release);
    }
  }

  @Test
  void deleteMissingWithAStagingTableRemovesAbsentRowsOnlyInsideTheRange() {
    Path config = promotedDataset("b_del", "2024-05-10", 3, 100);
    String table = "lake.curated.b_del";
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.staging");
    // The corrected source lacks ten rows of every day; only the range's day may lose them.
    spark.sql("CREATE TABLE lake.staging.b_del_fixed USING iceberg AS SELECT * FROM " + table
        + " WHERE event_id NOT IN (SELECT event_id FROM (SELECT event_id, row_number() OVER "
        + "(PARTITION BY CAST(event_ts AS DATE) ORDER BY event_id) AS n FROM " + table + ") WHERE n <= 10)");
    long day2Rows = count("SELECT count(*) FROM " + table + " WHERE CAST(event_ts AS DATE) = '2024-05-11'");
    String day1 = checksum(table, "CAST(event_ts AS DATE) = '2024-05-10'");
    String day3 = checksum(table, "CAST(event_ts AS DATE) = '2024-05-12'");

    CliRun kept = backfill(config, "b_del", "2024-05-11", "2024-05-11", "--source", "staging.b_del_fixed");
    assertThat(kept.exitCode()).as(kept.toString()).isZero();
    assertThat(result(kept).get("rows_affected").asLong()).as("without --delete-missing").isZero();

    CliRun run = backfill(config, "b_del", "2024-05-11", "2024-05-11", "--source", "staging.b_del_fixed",
        "--delete-missing", "--backfill-id", "del-1");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(result(run).get("rows_deleted").asLong()).isEqualTo(10);
    assertThat(count("SELECT count(*) FROM " + table + " WHERE CAST(event_ts AS DATE) = '2024-05-11'"))
        .isEqualTo(day2Rows - 10);
    assertThat(checksum(table, "CAST(event_ts AS DATE) = '2024-05-11'"))
        .isEqualTo(checksum("lake.staging.b_del_fixed", "CAST(event_ts AS DATE) = '2024-05-11'"));
    assertThat(checksum(table, "CAST(event_ts AS DATE) = '2024-05-10'")).isEqualTo(day1);
    assertThat(checksum(table, "CAST(event_ts AS DATE) = '2024-05-12'")).isEqualTo(day3);
    assertThat(audit("del-1")).extracting(r -> r.getString(1) + " " + r.getLong(4)).containsExactly("success 10");

    CliRun self = backfill(config, "b_del", "2024-05-10", "2024-05-12", "--source-sql",
        "SELECT * FROM " + table, "--delete-missing", "--dry-run");
    assertThat(self.exitCode()).as(self.toString()).isZero();
    assertThat(result(self).get("rows_affected").asLong()).as("the table is its own truth").isZero();
  }

  @Test
  void aPartitionFailingTheGateIsQuarantinedReportedAndTheOthersContinue() {
    Path config = promotedDataset("b_gate", "2024-05-20", 3, 100, "--fault-date", "2024-05-21",
        "--null-keys", "4");
    assertThat(count("SELECT count(*) FROM lake.curated.b_gate")).isEqualTo(200);
    String blockedDate = checksum("lake.curated.b_gate", "CAST(event_ts AS DATE) = '2024-05-21'");

    CliRun run = backfill(config, "b_gate", "2024-05-20", "2024-05-22", "--triggered-by", "late_data",
        "--backfill-id", "gate-1", "--run-id", "run-gate-1");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
    assertThat(run.report().get("status").asText()).isEqualTo("QUALITY_FAILED");
    JsonNode result = result(run);
    assertThat(result.get("partitions_failed").asInt()).isEqualTo(1);
    assertThat(result.get("partitions_done").asInt()).isEqualTo(2);
    JsonNode failed = result.get("partitions").get(1);
    assertThat(failed.get("partition_key").asText()).isEqualTo("dt=2024-05-21");
    assertThat(failed.get("failed_rules").toString()).contains("complete(event_id)");
    // Gated by event date: the null keys of 05-21 block that date; its late arrivals of 05-20 pass.
    assertThat(failed.get("rows_quarantined").asLong()).isGreaterThan(90);
    assertThat(count("SELECT count(*) FROM lake.quarantine.b_gate WHERE _quarantine_run_id = 'run-gate-1_c2'"))
        .isEqualTo(failed.get("rows_quarantined").asLong());
    assertThat(checksum("lake.curated.b_gate", "CAST(event_ts AS DATE) = '2024-05-21'"))
        .as("the blocked date is left as it was").isEqualTo(blockedDate);
    assertThat(count("SELECT count(*) FROM lake.curated.b_gate")).isEqualTo(200 + result.get("rows_inserted").asLong());
    assertThat(audit("gate-1")).extracting(r -> r.getString(0) + " " + r.getString(1)).containsExactly(
        "dt=2024-05-20 success", "dt=2024-05-21 failed", "dt=2024-05-22 success");
    assertThat(audit("gate-1").get(1).getString(9)).contains("complete(event_id)");
    assertThat(run.stderr()).doesNotContain("Exception");
  }

  @Test
  void aSparkJobFailingInAChunkClosesItsAuditRowsAsFailedAndSaysHowToResume() {
    Path config = promotedDataset("b_boom", "2024-06-10", 1, 50);
    long snapshot = current("b_boom").snapshotId();
    // Pruned from the source's key check (it reads the keys and event time only), evaluated
    // by the chunk's gate: a task fails, and the job with a SparkException.
    String source = "SELECT event_id, CASE WHEN user_id >= 0 THEN raise_error('boom in the source') ELSE user_id END AS user_id, "
        + "event_type, country, event_ts, payload, ingested_at FROM lake.curated.b_boom";

    CliRun run = backfill(config, "b_boom", "2024-06-10", "2024-06-10", "--source-sql", source,
        "--backfill-id", "boom-1");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.stderr()).contains("Backfill boom-1 stopped in chunk 1").contains("boom in the source")
        .contains("re-run with --backfill-id boom-1").as("no stack frames in the line").doesNotContain("GeneratedClass");
    assertThat(audit("boom-1")).extracting(r -> r.getString(0) + " " + r.getString(1))
        .containsExactly("dt=2024-06-10 failed");
    assertThat(current("b_boom").snapshotId()).isEqualTo(snapshot);
  }

  @Test
  void badInputExitsTwoWithAOneLineReasonAndWritesNothing() {
    Path config = promotedDataset("b_bad", "2024-06-01", 1, 50);
    long snapshot = current("b_bad").snapshotId();
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.staging");
    spark.sql("CREATE TABLE lake.staging.b_bad_wide USING iceberg AS SELECT *, 1 AS extra FROM lake.curated.b_bad");

    Map<List<String>, String> cases = Map.of(
        List.of("--from", "2024-06-02", "--to", "2024-06-01"), "--from 2024-06-02 is after --to 2024-06-01",
        List.of("--from", "2024-01-01", "--to", "2024-06-01"), "more than lakehouse.backfill.max-days = 92",
        List.of("--from", "2024-06-01", "--to", "2024-06-01", "--chunk-days", "0"), "Invalid --chunk-days 0",
        List.of("--from", "2024-06-01", "--to", "2024-06-01", "--source", "staging.b_bad_wide"),
        "does not match the columns of lake.curated.b_bad: not in the table [extra]",
        List.of("--from", "2024-06-01", "--to", "2024-06-01", "--source", "staging.nope"),
        "Unknown --source table lake.staging.nope",
        List.of("--from", "2024-06-01", "--to", "2024-06-01", "--source-sql", "DROP TABLE lake.curated.b_bad"),
        "Invalid --source-sql: a statement, not a query",
        List.of("--from", "2024-06-01", "--to", "2024-06-01", "--triggered-by", "boredom"),
        "Invalid --triggered-by 'boredom': use one of [manual, quality_failure, bug_fix, late_data]");
    cases.forEach((args, message) -> {
      List<String> all = new ArrayList<>(List.of("backfill", "--dataset", "b_bad", "--config", config.toString(),
          "--backfill-id", "bad-input"));
      all.addAll(args);
      if (!args.contains("--triggered-by")) {
        all.addAll(List.of("--triggered-by", "manual"));
      }
      CliRun run = CliRun.of(all.toArray(String[]::new));
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
      assertThat(run.stderr()).contains(message);
    });
    CliRun unknown = CliRun.of("backfill", "--dataset", "nope", "--from", "2024-06-01", "--to", "2024-06-01",
        "--triggered-by", "manual", "--config", config.toString());
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.stderr()).contains("Unknown dataset 'nope'");
    CliRun badId = backfill(config, "b_bad", "2024-06-01", "2024-06-01", "--backfill-id", "a b");
    assertThat(badId.exitCode()).isEqualTo(2);
    assertThat(badId.stderr()).contains("Invalid --backfill-id 'a b'");

    assertThat(Tables.exists(spark, new TableRef("lake", "curated", "b_bad"))).isTrue();
    assertThat(current("b_bad").snapshotId()).isEqualTo(snapshot);
    assertThat(audit("bad-input")).isEmpty();
  }
}
