package io.lakehouseops.promote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.RawFiles;
import io.lakehouseops.testing.TestLakehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A raw partition promoted again: settled from the record of its publish, re-promoted only on
 * purpose (--republish), and never reverting the rows a backfill corrected since.
 */
class RepromoteTest {
  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = TestLakehouse.spark();
  }

  /** Three days of sample data (about 3% late events, landing in the next day's raw partition), promoted. */
  private static Path promotedDays(String name) {
    return promotedDays(name, "");
  }

  private static Path promotedDays(String name, String overrides) {
    Path config = TestLakehouse.configWithDataset(name, overrides);
    ok(CliRun.of("sample-data", "--dataset", name, "--start", "2024-01-01", "--days", "3", "--rows-per-day", "300",
        "--config", config.toString()));
    for (String date : List.of("2024-01-01", "2024-01-02", "2024-01-03")) {
      ok(promote(config, name, date));
    }
    return config;
  }

  private static CliRun promote(Path config, String dataset, String date, String... extra) {
    List<String> args = new ArrayList<>(List.of("promote", "--dataset", dataset, "--date", date, "--config",
        config.toString()));
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  private static CliRun ok(CliRun run) {
    assertThat(run.exitCode()).as(run.toString()).isZero();
    return run;
  }

  private static long count(String sql) {
    return spark.sql(sql).collectAsList().get(0).getLong(0);
  }

  /** Row count and an order-independent checksum of every column. */
  private static String checksum(String table, String where) {
    Row row = spark.sql("SELECT count(*), sum(hash(to_json(struct(*)))) FROM " + table + " WHERE " + where)
        .collectAsList().get(0);
    return row.get(0) + "/" + row.get(1);
  }

  private static Table table(String name) {
    Table table = Tables.load(spark, new TableRef("lake", "curated", name));
    table.refresh();
    return table;
  }

  private static JsonNode result(CliRun run) {
    return run.report().get("result");
  }

  /**
   * A bug fix of 2024-01-02 (user_id + 7 on every row of the date, from a corrected table),
   * backfilled; returns how many of those rows came late, in raw dt=2024-01-03.
   */
  private static long backfillCorrection(Path config, String name) {
    String table = "lake.curated." + name;
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.staging");
    spark.sql("CREATE TABLE lake.staging." + name + "_fixed USING iceberg AS SELECT event_id, user_id + 7 AS "
        + "user_id, event_type, country, event_ts, payload, ingested_at FROM " + table
        + " WHERE CAST(event_ts AS DATE) = '2024-01-02'");
    ok(CliRun.of("backfill", "--dataset", name, "--from", "2024-01-02", "--to", "2024-01-02", "--source",
        "staging." + name + "_fixed", "--triggered-by", "bug_fix", "--backfill-id", name + "-fix", "--config",
        config.toString()));
    return count("SELECT count(*) FROM avro.`" + RawFiles.partition(name, "2024-01-03")
        + "` WHERE CAST(event_ts AS DATE) = '2024-01-02'");
  }

  @Test
  void aPublishedPartitionIsSettledFromItsRecordWithoutReadingOrWriting() {
    Path config = promotedDays("r_settled");
    long snapshots = table("r_settled").snapshots().spliterator().estimateSize();
    Long main = table("r_settled").currentSnapshot().snapshotId();

    CliRun again = ok(promote(config, "r_settled", "2024-01-02"));

    assertThat(again.report().get("status").asText()).isEqualTo("NOTHING_TO_DO");
    assertThat(again.report().get("message").asText()).startsWith("already published: run ")
        .contains("--republish");
    assertThat(result(again).get("rows_read").asLong()).as("nothing read").isZero();
    assertThat(result(again).at("/published_before/run_id").asText()).isNotEmpty();
    assertThat(result(again).get("quality_status").asText()).isEqualTo("not_run");
    assertThat(table("r_settled").currentSnapshot().snapshotId()).isEqualTo(main);
    assertThat(table("r_settled").snapshots().spliterator().estimateSize()).isEqualTo(snapshots);
  }

  @Test
  void theRecordOutlivesTheSnapshotsAndATableMadeAgainStartsWithoutOne() {
    // Not certified: certified tags would keep the publishes' snapshots from expiring.
    Path config = promotedDays("r_expired", "certify.enabled = false");
    // Every snapshot but the current one expired: the publishes of 2024-01-01 and -02 are gone
    // from the lineage; their quality-run rows remain.
    ok(CliRun.of("expire-snapshots", "--table", "curated.r_expired", "--older-than", "0d", "--retain-last", "1",
        "--force", "--config", config.toString()));
    assertThat(table("r_expired").snapshots()).hasSize(1);

    CliRun settled = ok(promote(config, "r_expired", "2024-01-01"));
    assertThat(settled.report().get("status").asText()).isEqualTo("NOTHING_TO_DO");

    // The table dropped and made again: the records name the old table, so the day is promoted.
    spark.sql("DROP TABLE lake.curated.r_expired");
    CliRun rebuilt = ok(promote(config, "r_expired", "2024-01-01"));
    assertThat(rebuilt.report().get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(result(rebuilt).get("rows_inserted").asLong()).isPositive();
  }

  @Test
  void aRepublishThatChangesNothingRecordsTheEarlierPublishAndOneSetOfMetrics() {
    Path config = promotedDays("r_same");
    String runs = "SELECT snapshot_id, dag_run_id FROM lake.ops.data_quality_runs WHERE dataset = 'r_same' "
        + "AND partition_key = 'dt=2024-01-01' AND status = 'passed' ORDER BY run_at";
    long published = spark.sql(runs).first().getLong(0);

    CliRun again = ok(promote(config, "r_same", "2024-01-01", "--republish", "--dag-run-id", "manual__recheck"));

    assertThat(result(again).get("rows_inserted").asLong()).isZero();
    assertThat(result(again).get("rows_updated").asLong()).isZero();
    assertThat(table("r_same").currentSnapshot().snapshotId()).as("main moved on since").isNotEqualTo(published);
    Row recorded = spark.sql(runs).collectAsList().get(1);
    assertThat(recorded.getLong(0)).as("the snapshot holding the partition, not main's current").isEqualTo(published);
    assertThat(recorded.getString(1)).isEqualTo("manual__recheck");
    assertThat(result(again).get("snapshot_id").asLong()).isEqualTo(published);
    assertThat(count("SELECT count(*) FROM lake.ops.quality_metrics WHERE dataset = 'r_same' AND partition_key = "
        + "'dt=2024-01-01' AND metric = 'row_count'")).as("one current row_count for the partition").isEqualTo(1);
  }

  @Test
  void aPartitionThatGainedAFileSinceItsPublishIsRefusedUntilRepublished() throws Exception {
    Path config = promotedDays("r_grown");
    Path partition = RawFiles.partition("r_grown", "2024-01-03");
    Path first = Files.list(partition).filter(p -> p.toString().endsWith(".avro")).sorted().findFirst().orElseThrow();
    // A late file: the same events again and nothing new (the raw zone is never rewritten, only added to).
    Files.copy(first, partition.resolve("part-late.avro"));
    Long main = table("r_grown").currentSnapshot().snapshotId();

    CliRun refused = promote(config, "r_grown", "2024-01-03");

    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
    assertThat(refused.report().at("/error/message").asText()).contains("changed since run", "--republish");
    assertThat(table("r_grown").currentSnapshot().snapshotId()).isEqualTo(main);

    CliRun republished = ok(promote(config, "r_grown", "2024-01-03", "--republish"));
    assertThat(result(republished).get("rows_inserted").asLong()).as("the late file's events were published").isZero();
    assertThat(result(republished).get("rows_updated").asLong()).isZero();
    assertThat(count("SELECT count(*) - count(DISTINCT event_id) FROM lake.curated.r_grown")).isZero();
    // Its record now holds the partition's new files: a plain re-run is settled again.
    assertThat(ok(promote(config, "r_grown", "2024-01-03")).report().get("status").asText())
        .isEqualTo("NOTHING_TO_DO");
  }

  @Test
  void aRepromoteNeverRevertsABackfillCorrectionUnlessTheUserSaysSo() {
    Path config = promotedDays("r_fix");
    String table = "lake.curated.r_fix";
    long late = backfillCorrection(config, "r_fix");
    assertThat(late).as("raw dt=2024-01-03 holds late events of 2024-01-02").isPositive();
    String corrected = checksum(table, "true");
    String correctedDay = checksum(table, "CAST(event_ts AS DATE) = '2024-01-02'");

    // Run again as a DAG's retry or catch-up would: settled, nothing reverted.
    CliRun plain = ok(promote(config, "r_fix", "2024-01-03"));
    assertThat(plain.report().get("status").asText()).isEqualTo("NOTHING_TO_DO");
    assertThat(checksum(table, "true")).isEqualTo(corrected);

    // On purpose: gated and published again, the corrected date kept and reported.
    CliRun republished = ok(promote(config, "r_fix", "2024-01-03", "--republish"));
    assertThat(result(republished).get("rows_updated").asLong()).isZero();
    JsonNode kept = result(republished).get("corrections_kept");
    assertThat(kept).hasSize(1);
    assertThat(kept.get(0).get("event_date").asText()).isEqualTo("2024-01-02");
    assertThat(kept.get(0).get("backfill_id").asText()).isEqualTo("r_fix-fix");
    assertThat(kept.get(0).get("triggered_by").asText()).isEqualTo("bug_fix");
    assertThat(kept.get(0).get("rows_not_updated").asLong()).isEqualTo(late);
    assertThat(republished.report().get("message").asText()).contains("kept the backfill's rows of [2024-01-02",
        "--overwrite-corrections");
    assertThat(checksum(table, "true")).isEqualTo(corrected);

    // Told to: the raw rows replace the correction's, and only the late rows of that date change.
    CliRun overwritten = ok(promote(config, "r_fix", "2024-01-03", "--republish", "--overwrite-corrections"));
    assertThat(result(overwritten).get("rows_updated").asLong()).isEqualTo(late);
    assertThat(result(overwritten).get("corrections_kept")).isEmpty();
    assertThat(checksum(table, "CAST(event_ts AS DATE) = '2024-01-02'")).isNotEqualTo(correctedDay);
    assertThat(count("SELECT count(*) FROM " + table + " t JOIN lake.staging.r_fix_fixed f USING (event_id) "
        + "WHERE t.user_id <> f.user_id")).isEqualTo(late);
  }

  @Test
  void overwriteCorrectionsWithoutRepublishIsAUsageError() {
    Path config = TestLakehouse.configWithDataset("r_usage", "");

    CliRun run = promote(config, "r_usage", "2024-01-01", "--overwrite-corrections");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.stderr()).contains("--overwrite-corrections needs --republish");
  }
}
