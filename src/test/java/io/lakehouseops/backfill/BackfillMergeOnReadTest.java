package io.lakehouseops.backfill;

import static io.lakehouseops.backfill.BackfillCommandTest.backfill;
import static io.lakehouseops.backfill.BackfillCommandTest.checksum;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.JobDescriptions;
import io.lakehouseops.testing.TestLakehouse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * backfill of whole dates (from raw, or a source with --delete-missing) into merge-on-read
 * tables, whose updates are counted from the MERGE's commit (its new rows and deleted
 * positions per day partition) instead of a comparison of every column before it: each date's
 * counts must equal what the comparison finds, which a dry run still uses.
 */
class BackfillMergeOnReadTest {
  private static final String MERGE_ON_READ = "write-mode = \"merge-on-read\"";
  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = TestLakehouse.spark();
  }

  @Test
  void aBackfillFromRawCountsEachDatesUpdatesFromItsCommitAsTheComparisonDoes() throws Exception {
    Path config = mergeOnRead("m_fix", "2024-08-01", 4, 200);
    String table = "lake.curated.m_fix";
    String healthy = checksum(table, "true");
    // A bug wrote a wrong user_id on about 5% of the rows of three days (itself merge-on-read:
    // the days' data files get position deletes, which the backfill's own then replace).
    spark.sql("UPDATE " + table + " SET user_id = user_id + 1000000000 WHERE CAST(event_ts AS DATE) "
        + "BETWEEN '2024-08-02' AND '2024-08-04' AND pmod(hash(event_id), 20) = 0");
    assertThat(current(table).summary()).containsKey("added-position-deletes");
    Map<String, Long> corrupted = new TreeMap<>();
    spark.sql("SELECT CAST(CAST(event_ts AS DATE) AS STRING), count(*) FROM " + table
        + " WHERE user_id >= 1000000000 GROUP BY 1").collectAsList()
        .forEach(r -> corrupted.put("dt=" + r.getString(0), r.getLong(1)));

    CliRun preview = backfill(config, "m_fix", "2024-08-01", "2024-08-04", "--backfill-id", "m-preview",
        "--dry-run");
    assertThat(preview.exitCode()).as(preview.toString()).isZero();
    JobDescriptions jobs = new JobDescriptions();
    CliRun run = jobs.during(spark, () -> backfill(config, "m_fix", "2024-08-01", "2024-08-04",
        "--backfill-id", "m-1", "--chunk-days", "4"));

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(jobs.descriptions()).as("main's keys matched, no column compared before the MERGE")
        .anyMatch(d -> d.startsWith("lakehouse-ops: match the batch's keys with " + table))
        .noneMatch(d -> d.startsWith("lakehouse-ops: compare batch with"));
    assertThat(changesByPartition("m-1")).as("the commit's counts, date by date, are the comparison's")
        .isEqualTo(changesByPartition("m-preview"))
        .containsEntry("dt=2024-08-01", "0/0/0")
        .containsEntry("dt=2024-08-02", "0/" + corrupted.get("dt=2024-08-02") + "/0")
        .containsEntry("dt=2024-08-04", "0/" + corrupted.get("dt=2024-08-04") + "/0");
    assertThat(checksum(table, "true")).as("every row as before the corruption").isEqualTo(healthy);
    Snapshot published = current(table);
    assertThat(published.summary()).as("updates written as deletes and new rows")
        .containsEntry("added-records", String.valueOf(corrupted.values().stream().mapToLong(Long::longValue).sum()));

    CliRun again = backfill(config, "m_fix", "2024-08-01", "2024-08-04", "--backfill-id", "m-2", "--chunk-days", "4");
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.report().get("result").get("rows_affected").asLong()).isZero();
    Table iceberg = load(table);
    assertThat(iceberg.currentSnapshot().snapshotId()).as("nothing published").isEqualTo(published.snapshotId());
    assertThat(iceberg.refs().keySet()).as("the MERGE's branch removed").noneMatch(r -> r.startsWith("audit_"));
  }

  @Test
  void aReplacementWithNewChangedIdenticalAndMissingRowsCountsEachKindPerDate() {
    Path config = mergeOnRead("m_mix", "2024-08-10", 2, 100);
    String table = "lake.curated.m_mix";
    // The first day: 5 rows changed, 10 missing, 3 new; the second: 2 changed; the rest identical.
    spark.sql("CREATE TABLE lake.staging.m_mix_fixed USING iceberg AS "
        + "SELECT event_id, CASE WHEN n <= (CASE WHEN d = DATE'2024-08-10' THEN 5 ELSE 2 END) THEN user_id + 1 ELSE user_id END "
        + "AS user_id, event_type, country, event_ts, payload, ingested_at FROM (SELECT *, CAST(event_ts AS DATE) AS d, "
        + "row_number() OVER (PARTITION BY CAST(event_ts AS DATE) ORDER BY event_id) AS n FROM " + table
        + " WHERE event_ts >= TIMESTAMP'2024-08-10 00:00:00' AND event_ts < TIMESTAMP'2024-08-12 00:00:00') "
        + "WHERE NOT (d = DATE'2024-08-10' AND n BETWEEN 6 AND 15) "
        + "UNION ALL SELECT * FROM (SELECT concat('new-', event_id) AS event_id, user_id, event_type, country, "
        + "event_ts, payload, ingested_at FROM " + table + " WHERE CAST(event_ts AS DATE) = '2024-08-10' "
        + "ORDER BY event_id LIMIT 3)");

    CliRun preview = backfill(config, "m_mix", "2024-08-10", "2024-08-11", "--source", "staging.m_mix_fixed",
        "--delete-missing", "--backfill-id", "mix-preview", "--dry-run");
    assertThat(preview.exitCode()).as(preview.toString()).isZero();
    CliRun run = backfill(config, "m_mix", "2024-08-10", "2024-08-11", "--source", "staging.m_mix_fixed",
        "--delete-missing", "--backfill-id", "mix-1", "--chunk-days", "2");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(changesByPartition("mix-1")).as("inserted/updated/deleted per date")
        .isEqualTo(changesByPartition("mix-preview"))
        .isEqualTo(Map.of("dt=2024-08-10", "3/5/10", "dt=2024-08-11", "0/2/0"));
    String days = "event_ts >= TIMESTAMP'2024-08-10 00:00:00' AND event_ts < TIMESTAMP'2024-08-12 00:00:00'";
    assertThat(checksum(table, days)).isEqualTo(checksum("lake.staging.m_mix_fixed", days));
  }

  @Test
  void theAuditStillStopsARowAddedToTheBranchAfterTheMerge() throws Exception {
    Path config = mergeOnRead("m_aud", "2024-08-20", 1, 100);
    String table = "lake.curated.m_aud";
    // The whole day again, three rows of it changed: a replacement, counted from the commit.
    spark.sql("CREATE TABLE lake.staging.m_aud_fixed USING iceberg AS SELECT event_id, CASE WHEN n <= 3 THEN "
        + "user_id + 1 ELSE user_id END AS user_id, event_type, country, event_ts, payload, ingested_at FROM "
        + "(SELECT *, row_number() OVER (ORDER BY event_id) AS n FROM " + table + ")");
    String corrected = spark.sql("SELECT min(event_id) FROM " + table).first().getString(0);
    String before = checksum(table, "true");

    CliRun run = BackfillCommandTest.withRowAddedToTheAuditBranch(table, corrected, () -> backfill(config, "m_aud",
        "2024-08-20", "2024-08-20", "--source", "staging.m_aud_fixed", "--delete-missing"));

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.report().get("error").get("message").asText()).contains("found 1 keys more than once");
    assertThat(checksum(table, "true")).as("main unchanged").isEqualTo(before);
  }

  /** A dataset like user_events on a merge-on-read table, days of sample data promoted; and lake.staging. */
  private static Path mergeOnRead(String name, String start, int days, int rows) {
    Path config = BackfillCommandTest.promoted(TestLakehouse.configWithDataset(name, MERGE_ON_READ), name, start,
        days, rows);
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.staging");
    return config;
  }

  /** Each partition's inserted/updated/deleted in a backfill's audit rows. */
  private static Map<String, String> changesByPartition(String backfillId) {
    Map<String, String> changes = new TreeMap<>();
    List<Row> rows = spark.sql("SELECT partition_key, rows_inserted, rows_updated, rows_deleted FROM "
        + "lake.ops.backfill_audit_log WHERE backfill_id = '" + backfillId + "'").collectAsList();
    rows.forEach(r -> changes.put(r.getString(0), r.getLong(1) + "/" + r.getLong(2) + "/" + r.getLong(3)));
    return changes;
  }

  private static Table load(String table) {
    Table iceberg = Tables.load(spark, TableRef.parse(table, "lake", "the test table"));
    iceberg.refresh();
    return iceberg;
  }

  private static Snapshot current(String table) {
    return load(table).currentSnapshot();
  }
}
