package io.lakehouseops.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.KilledRun;
import io.lakehouseops.testing.LakeState;
import io.lakehouseops.testing.SparkSubmitProcess;
import io.lakehouseops.testing.TestLakehouse;
import io.lakehouseops.testing.RawFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.apache.avro.Schema;

/**
 * promote killed with SIGKILL at each of its phases (spark-submit in a child JVM, paused at
 * the fault point, then killed), then run again: every row published once, the raw zone
 * untouched, no referenced file missing, and the quality runs telling what happened.
 */
class PromoteCrashIT {
  private static final List<String> SPARK = SparkSubmitProcess.LOCAL;
  private static final String DAY = "2024-08-01";
  private static final String COLUMNS = "event_id, user_id, event_type, country, event_ts, ingested_at";
  private static final Schema SCHEMA = RawFiles.userEventsSchema("Event", "[\"null\",\"string\"]",
      "[\"null\",\"long\"]");

  @ParameterizedTest(name = "killed at {0}")
  @ValueSource(strings = {"promote.after-read", "promote.after-gate", "promote.after-quarantine-write",
      "promote.after-branch-write", "promote.before-fast-forward", "promote.after-fast-forward"})
  void aKilledPromotionIsCompletedByTheNextRunWithoutLossOrDuplicates(String point) throws Exception {
    String dataset = "k_" + point.substring("promote.".length()).replace('-', '_');
    String table = "lake.curated." + dataset;
    // Five rows with a negative user id are quarantined, the rest published: every phase runs.
    Path config = TestLakehouse.configWithDataset(dataset, "quality.on-failure = quarantine-rows");
    CliRun sample = CliRun.of("sample-data", "--dataset", dataset, "--start", DAY, "--days", "1",
        "--rows-per-day", "400", "--out-of-range", "5", "--config", config.toString());
    assertThat(sample.exitCode()).as(sample.toString()).isZero();
    Path raw = TestLakehouse.rawZone().resolve(dataset);
    List<String> rawBefore = LakeState.listing(raw);
    String expected = LakeState.userEventsChecksum("(SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY "
        + "event_id ORDER BY ingested_at) AS n FROM avro.`" + raw + "/dt=" + DAY + "`) WHERE n = 1 AND user_id >= 0)");
    List<String> promote = List.of("promote", "--dataset", dataset, "--date", DAY, "--config", config.toString());

    KilledRun.killAt(point, 1, SPARK, promote);

    LakeState.refresh(table, "lake.ops.data_quality_runs");
    boolean published = point.equals("promote.after-fast-forward");
    if (TestLakehouse.spark().catalog().tableExists(table)) {
      assertThat(LakeState.userEventsChecksum(table)).as("main is all or nothing")
          .isEqualTo(published ? expected : "0/null");
    }
    CliRun rerun = CliRun.of(promote.toArray(String[]::new));

    assertEveryRowOnce(rerun, table, expected);
    assertThat(LakeState.listing(raw)).as("raw zone unchanged").isEqualTo(rawBefore);
    long rows = Long.parseLong(expected.substring(0, expected.indexOf('/')));
    assertThat(rerun.report().get("result").get("rows_inserted").asLong()).isEqualTo(published ? 0 : rows);
    // The killed run recorded nothing; the re-run's passed row names the snapshot holding the rows.
    LakeState.refresh("lake.ops.data_quality_runs");
    List<org.apache.spark.sql.Row> passed = TestLakehouse.spark().sql("SELECT snapshot_id FROM "
        + "lake.ops.data_quality_runs WHERE dataset = '" + dataset + "' AND status = 'passed'").collectAsList();
    assertThat(passed).hasSize(1);
    assertThat(passed.get(0).getLong(0)).isEqualTo(TestLakehouse.spark().sql("SELECT snapshot_id FROM " + table
        + ".snapshots ORDER BY committed_at DESC LIMIT 1").first().getLong(0));
  }

  @ParameterizedTest(name = "written first, killed at {0}")
  @ValueSource(strings = {"promote.after-branch-write", "promote.after-read", "promote.after-gate",
      "promote.before-fast-forward", "promote.after-fast-forward"})
  void aKilledWriteFirstPromotionLeavesMainAllOrNothingAndTheNextRunPublishesOnce(String point) throws Exception {
    String dataset = "kw_" + point.substring("promote.".length()).replace('-', '_');
    String table = "lake.curated." + dataset;
    Path config = TestLakehouse.configWithDataset(dataset, "");
    // The table exists (a first day, promoted in-process); the second day has no duplicate
    // key, so its promote writes to the audit branch before the gate and publishes that.
    CliRun sample = CliRun.of("sample-data", "--dataset", dataset, "--start", DAY, "--days", "1",
        "--rows-per-day", "100", "--config", config.toString());
    assertThat(sample.exitCode()).as(sample.toString()).isZero();
    CliRun first = CliRun.of("promote", "--dataset", dataset, "--date", DAY, "--config", config.toString());
    assertThat(first.exitCode()).as(first.toString()).isZero();
    String next = "2024-08-02";
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      rows.add(event("next-" + i, i, next));
    }
    RawFiles.write(dataset, next, "part-0.avro", SCHEMA, rows);
    LakeState.refresh(table);
    String before = LakeState.userEventsChecksum(table);
    String after = LakeState.userEventsChecksum("(SELECT " + COLUMNS + " FROM " + table + " UNION ALL SELECT "
        + COLUMNS + " FROM avro.`" + TestLakehouse.rawZone().resolve(dataset) + "/dt=" + next + "`)");
    List<String> promote = List.of("promote", "--dataset", dataset, "--date", next, "--config", config.toString());

    KilledRun.killAt(point, 1, SPARK, promote);

    LakeState.refresh(table);
    boolean published = point.equals("promote.after-fast-forward");
    assertThat(LakeState.userEventsChecksum(table)).as("main is all or nothing").isEqualTo(published ? after : before);
    CliRun rerun = CliRun.of(promote.toArray(String[]::new));

    assertEveryRowOnce(rerun, table, after);
    assertThat(rerun.report().get("result").get("rows_inserted").asLong()).isEqualTo(published ? 0 : 50);
  }

  /** The re-run succeeded and the table holds exactly the expected rows, each key once, every file there. */
  private static void assertEveryRowOnce(CliRun rerun, String table, String expectedChecksum) {
    assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
    LakeState.refresh(table);
    assertThat(LakeState.userEventsChecksum(table)).isEqualTo(expectedChecksum);
    assertThat(LakeState.duplicateKeys(table)).isZero();
    assertThat(LakeState.missingFiles(table)).isEmpty();
  }

  private static Map<String, Object> event(String id, long userId, String date) {
    Map<String, Object> row = new HashMap<>();
    row.put("event_id", id);
    row.put("user_id", userId);
    row.put("event_type", "click");
    row.put("country", "DE");
    row.put("event_ts", RawFiles.micros(date, 9));
    row.put("ingested_at", RawFiles.micros(date, 10));
    return row;
  }
}
