package io.lakehouseops.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakehouseops.testing.ChildJob;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.LakeState;
import io.lakehouseops.testing.PostgresLakehouse;
import io.lakehouseops.testing.RawFiles;
import io.lakehouseops.testing.SparkSubmitProcess;
import io.lakehouseops.testing.TestLakehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Concurrent writers on a server-backed catalog (Iceberg's JDBC catalog on PostgreSQL), each
 * job its own spark-submit JVM. To make the race certain rather than lucky, one job is held at
 * a fault point (just before it commits, or between two commits) while the other commits, then
 * released: it must notice the moved table and retry or fail cleanly. Afterwards every row is in
 * the table exactly once and every file the table references exists.
 */
class ConcurrentWritersIT {
  private static final List<String> SPARK = SparkSubmitProcess.LOCAL;
  private static final String CATALOG = PostgresLakehouse.CATALOG;
  /** Compaction of the small test tables: every partition is a file group, each its own commit. */
  private static final List<String> COMPACT = List.of("--partial-progress",
      "--set", "lakehouse.compact.options.rewrite-all=true");

  @Test
  void twoPromotionsOfDifferentDaysAtOnceBothPublishEveryRowOnce() throws Exception {
    Dataset ds = Dataset.promoted("c_two", 1);
    ds.sample("2024-10-02", 2);

    CliRun resumed = ds.promoteHeldWhileAnotherDayPublishes("2024-10-02", "2024-10-03");

    // The sample days repeat keys: the held one's repeats were deleted from its staged branch,
    // whose rows are then merged on the new main.
    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    assertThat(resumed.stderr()).contains("repeated rows from", "moved before the fast-forward", "merging instead");
    ds.assertEveryRawRowOnce();
  }

  @Test
  void aDayPromotedAgainWhileAnotherDayPublishesStartsItsPublishAgainOnTheNewMain() throws Exception {
    Dataset ds = Dataset.promoted("c_again", 2);
    ds.sample("2024-10-03", 1);
    // More events of 2024-10-02 arrive after its promote: a partition published before is promoted
    // again on purpose, gated first and MERGEd into its audit branch, whose publish starts again
    // when main moves.
    ds.writeEvents("2024-10-02", "part-late.avro", "again-", 20);

    CliRun resumed = ds.promoteHeldWhileAnotherDayPublishes("2024-10-02", "2024-10-03", "--republish");

    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    assertThat(resumed.stderr()).contains("moved during the publish");
    assertThat(resumed.report().at("/result/rows_inserted").asLong()).isEqualTo(40);
    ds.assertEveryRawRowOnce();
  }

  @Test
  void aWrittenFirstPromotionWhoseMainMovedPublishesOnTheNewMain() throws Exception {
    Dataset ds = Dataset.promoted("c_staged", 1);
    // No repeated key: this day is written to its audit branch first and would be published as written.
    ds.writeEvents("2024-10-02", "part-0.avro", "staged-", 10);
    ds.sample("2024-10-03", 1);

    CliRun resumed = ds.promoteHeldWhileAnotherDayPublishes("2024-10-02", "2024-10-03");

    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    assertThat(resumed.stderr()).contains("moved before the fast-forward", "merging instead");
    assertThat(resumed.report().at("/result/rows_inserted").asLong()).isEqualTo(40);
    ds.assertEveryRawRowOnce();
  }

  @Test
  void aPromotionHeldBeforeItsFastForwardWhileCompactionCommitsPublishesAgainOnTheCompactedTable()
      throws Exception {
    Dataset ds = Dataset.promoted("c_compact", 3);
    ds.sample("2024-10-04", 1);

    ChildJob promote = ChildJob.start("promote.before-fast-forward", 1, SPARK,
        ds.args("promote", "--date", "2024-10-04"));
    promote.awaitPaused();
    CliRun compacted = ChildJob.start(SPARK, ds.compactArgs()).finish();
    assertThat(compacted.exitCode()).as(compacted.toString()).isZero();
    assertThat(compacted.report().at("/result/data_files_rewritten").asLong()).as(compacted.toString()).isPositive();
    CliRun promoted = promote.release().finish();

    assertThat(promoted.exitCode()).as(promoted.toString()).isZero();
    assertThat(promoted.stderr()).contains("moved before the fast-forward", "merging instead");
    ds.assertEveryRawRowOnce();
  }

  @Test
  void aBackfillWhileCompactionIsBetweenCommitsLeavesOneCorrectTable() throws Exception {
    Dataset ds = Dataset.promoted("c_backfill", 3);
    SparkSession spark = TestLakehouse.spark();
    spark.sql("UPDATE " + ds.table() + " SET country = 'ZZ' WHERE event_ts >= TIMESTAMP'2024-10-01 00:00:00' "
        + "AND user_id % 3 = 0");

    ChildJob compact = ChildJob.start("compact.between-group-commits", 1, SPARK, ds.compactArgs());
    compact.awaitPaused();
    CliRun backfill = CliRun.of(ds.args("backfill", "--from", "2024-10-01", "--to", "2024-10-03",
        "--triggered-by", "manual").toArray(String[]::new));
    assertThat(backfill.exitCode()).as(backfill.toString()).isZero();
    CliRun compacted = compact.release().finish();

    // Groups whose files the backfill rewrote cannot commit: compact says so and a re-run finishes.
    if (compacted.exitCode() != 0) {
      assertThat(compacted.exitCode()).as(compacted.toString()).isEqualTo(1);
      assertThat(compacted.report().get("message").asText()).contains("rerun compact");
      CliRun rerun = CliRun.of(ds.compactArgs().toArray(String[]::new));
      assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
    }
    ds.assertEveryRawRowOnce();
  }

  @Test
  void twoExpiriesAtOnceKeepEveryLiveFileAndRemoveTheOrphan() throws Exception {
    SparkSession spark = TestLakehouse.spark();
    // Not certified: certified tags would keep the promotes' snapshots from expiring.
    Dataset ds = Dataset.promoted("c_expire", 2, "certify.enabled = false");
    spark.sql("UPDATE " + ds.table() + " SET country = 'ZZ' WHERE user_id % 5 = 0");
    spark.sql("DELETE FROM " + ds.table() + " WHERE user_id % 7 = 0");
    String rows = LakeState.userEventsChecksum(ds.table());
    Path orphan = ds.dataFolder().resolve("orphan-from-a-failed-job.parquet");
    Files.writeString(orphan, "left behind by a job that died");
    Files.setLastModifiedTime(orphan, FileTime.from(Instant.now().minus(5, ChronoUnit.DAYS)));
    List<String> expire = ds.args("expire-snapshots", "--older-than", "1s", "--retain-last", "1",
        "--remove-orphans", "--orphan-older-than", "2d", "--force");

    ChildJob held = ChildJob.start("expire.before-orphans", 1, SPARK, expire);
    CliRun other = ChildJob.start(SPARK, expire).finish();
    held.awaitPaused();
    CliRun resumed = held.release().finish();

    assertThat(other.exitCode()).as(other.toString()).isZero();
    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    LakeState.refresh(ds.table());
    assertThat(spark.sql("SELECT count(*) FROM " + ds.table() + ".snapshots").first().getLong(0)).isEqualTo(1);
    assertThat(LakeState.userEventsChecksum(ds.table())).isEqualTo(rows);
    assertThat(LakeState.missingFiles(ds.table())).isEmpty();
    assertThat(orphan).doesNotExist();
  }

  /** A user_events-like dataset on the PostgreSQL catalog, with raw days from 2024-10-01. */
  private record Dataset(String name, Path config) {
    static Dataset promoted(String name, int days) {
      return promoted(name, days, "");
    }

    static Dataset promoted(String name, int days, String overrides) {
      Dataset ds = new Dataset(name, PostgresLakehouse.configWithDataset(name, overrides));
      ds.sample("2024-10-01", days);
      for (int day = 1; day <= days; day++) {
        ds.ok(ds.args("promote", "--date", "2024-10-0" + day));
      }
      return ds;
    }

    void sample(String start, int days) {
      ok(args("sample-data", "--start", start, "--days", String.valueOf(days), "--rows-per-day", "400",
          "--seed", String.valueOf(Math.abs(start.hashCode()))));
    }

    /** Writes 40 distinct click events of a day (keys prefix0..prefix39) to a raw file of that day. */
    void writeEvents(String date, String file, String prefix, int ingestedHour) throws Exception {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        rows.add(Map.of("event_id", prefix + i, "user_id", (long) i, "event_type", "click", "country", "DE",
            "event_ts", RawFiles.micros(date, 9), "ingested_at", RawFiles.micros(date, ingestedHour)));
      }
      RawFiles.write(name, date, file, RawFiles.userEventsSchema("Event",
          "[\"null\",\"string\"]", "[\"null\",\"long\"]"), rows);
    }

    List<String> args(String command, String... options) {
      List<String> all = new ArrayList<>(List.of(command));
      all.addAll(command.equals("compact") || command.equals("expire-snapshots")
          ? List.of("--table", "curated." + name) : List.of("--dataset", name));
      all.addAll(List.of(options));
      all.addAll(List.of("--config", config.toString()));
      return all;
    }

    /** Promotes `held` up to its fast-forward, `other` meanwhile to the end, then resumes `held`. */
    CliRun promoteHeldWhileAnotherDayPublishes(String held, String other, String... options) throws Exception {
      List<String> promote = new ArrayList<>(List.of("--date", held));
      promote.addAll(List.of(options));
      ChildJob paused = ChildJob.start("promote.before-fast-forward", 1, SPARK,
          args("promote", promote.toArray(String[]::new)));
      paused.awaitPaused();
      CliRun done = ChildJob.start(SPARK, args("promote", "--date", other)).finish();
      assertThat(done.exitCode()).as(done.toString()).isZero();
      return paused.release().finish();
    }

    List<String> compactArgs() {
      return args("compact", COMPACT.toArray(String[]::new));
    }

    String table() {
      return CATALOG + ".curated." + name;
    }

    Path dataFolder() {
      return TestLakehouse.root().resolve("pg-warehouse/curated/" + name + "/data");
    }

    private void ok(List<String> args) {
      CliRun run = CliRun.of(args.toArray(String[]::new));
      assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    /** The table holds every raw row once (the first delivery of each key), nothing else. */
    void assertEveryRawRowOnce() {
      Path raw = TestLakehouse.rawZone().resolve(name);
      String expected = LakeState.userEventsChecksum("(SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY "
          + "event_id ORDER BY ingested_at) AS n FROM avro.`" + raw + "`) WHERE n = 1)");
      LakeState.refresh(table());
      assertThat(LakeState.userEventsChecksum(table())).isEqualTo(expected);
      assertThat(LakeState.duplicateKeys(table())).isZero();
      assertThat(LakeState.missingFiles(table())).isEmpty();
    }
  }
}
