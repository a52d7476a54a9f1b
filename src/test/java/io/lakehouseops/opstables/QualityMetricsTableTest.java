package io.lakehouseops.opstables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.testing.TestLakehouse;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The history anomaly scoring compares with: per metric, each partition's newest passed run of
 * the same kind, newest partition first, at most `window` of them, without the partition being
 * scored; and one current set of metrics per partition and kind in the table itself.
 */
class QualityMetricsTableTest {
  private static final SparkSession SPARK = TestLakehouse.spark();

  @Test
  void historyHoldsEachPartitionsNewestPassedRunNewestFirst() throws InterruptedException {
    TableRef ref = fresh("quality_metrics_history_test");
    QualityMetricsTable table = new QualityMetricsTable(SPARK, ref, RunKind.PROMOTE);
    record(table, "events", "dt=2024-06-01", "r1", 100.0, GateStatus.PASSED);
    record(table, "events", "dt=2024-06-02", "r2", 200.0, GateStatus.PASSED);
    record(table, "events", "dt=2024-06-01", "r3", 110.0, GateStatus.PASSED); // a re-run: its newer value counts
    record(table, "events", "dt=2024-06-03", "r4", 999.0, GateStatus.FAILED); // never a baseline
    record(table, "clicks", "dt=2024-06-03", "r5", 5.0, GateStatus.PASSED); // another dataset
    record(table, "events", "dt=2024-06-04", "r6", 400.0, GateStatus.PASSED);

    assertEquals(Map.of("rows", List.of(400.0, 110.0, 200.0)), history(table, "dt=2024-06-09", 14));
    assertEquals(Map.of("rows", List.of(400.0, 110.0)), history(table, "dt=2024-06-09", 2));
    assertEquals(Map.of("rows", List.of(110.0, 200.0)), history(table, "dt=2024-06-04", 14));
  }

  @Test
  void aRerunReplacesThePartitionsMetricsOfItsKindInOneCommit() throws InterruptedException {
    TableRef ref = fresh("quality_metrics_current_test");
    QualityMetricsTable promotes = new QualityMetricsTable(SPARK, ref, RunKind.PROMOTE);
    QualityMetricsTable backfills = new QualityMetricsTable(SPARK, ref, RunKind.BACKFILL);
    record(promotes, "events", "dt=2024-06-01", "p1", 1035.0, GateStatus.PASSED);
    record(promotes, "events", "dt=2024-06-02", "p2", 1000.0, GateStatus.PASSED);
    long snapshots = SPARK.table(ref.name() + ".snapshots").count();
    record(promotes, "events", "dt=2024-06-01", "p3", 1035.0, GateStatus.PASSED); // a re-promote
    record(backfills, "events", "dt=2024-06-01", "b1", 995.0, GateStatus.PASSED);
    record(backfills, "events", "dt=2024-06-01", "b2", 995.0, GateStatus.PASSED); // a backfill again
    record(backfills, "events", "dt=2024-06-01", "b3", 5.0, GateStatus.FAILED); // kept beside the passed

    assertThat(rows(ref, "dt=2024-06-01")).containsExactlyInAnyOrder(
        "promote passed p3 1035.0", "backfill passed b2 995.0", "backfill failed b3 5.0");
    assertThat(rows(ref, "dt=2024-06-02")).containsExactly("promote passed p2 1000.0");
    assertEquals(snapshots + 4, SPARK.table(ref.name() + ".snapshots").count(), "one commit per record");
    // Each kind is scored against its own: a backfill's event dates, a promote's raw partitions.
    assertEquals(Map.of("rows", List.of(1035.0, 1000.0)), history(promotes, "dt=2024-06-09", 14));
    assertEquals(Map.of("rows", List.of(995.0)), history(backfills, "dt=2024-06-09", 14));

    record(promotes, "events", "dt=2024-06-01", "p4", 1.0, GateStatus.FAILED); // a failed re-promote
    assertThat(rows(ref, "dt=2024-06-01")).contains("promote passed p3 1035.0", "promote failed p4 1.0");
  }

  @Test
  void aTableOfAnOlderVersionGainsTheKindAndItsRowsCountAsPromotes() {
    TableRef ref = fresh("quality_metrics_upgrade_test");
    SPARK.sql("CREATE TABLE " + ref.name() + " (dataset STRING NOT NULL, partition_key STRING NOT NULL, "
        + "run_id STRING NOT NULL, metric STRING NOT NULL, value DOUBLE, gate_status STRING NOT NULL, "
        + "recorded_at TIMESTAMP NOT NULL) USING iceberg");
    SPARK.sql("INSERT INTO " + ref.name() + " VALUES ('events', 'dt=2024-06-01', 'old', 'rows', 7.0, 'passed', "
        + "TIMESTAMP '2024-06-01 00:00:00'), ('events', 'dt=2024-06-02', 'old', 'rows', 8.0, 'passed', "
        + "TIMESTAMP '2024-06-02 00:00:00')");
    QualityMetricsTable promotes = new QualityMetricsTable(SPARK, ref, RunKind.PROMOTE);
    assertEquals(Map.of("rows", List.of(8.0, 7.0)), history(promotes, "dt=2024-06-09", 14));

    promotes.record("events", "dt=2024-06-01", "new", Map.of("rows", 9.0), GateStatus.PASSED);

    assertThat(rows(ref, "dt=2024-06-01")).containsExactly("promote passed new 9.0");
    assertThat(rows(ref, "dt=2024-06-02")).containsExactly("null passed old 8.0");
    // Partitioned by day from then on, so the history reads prune to their window.
    assertEquals("[1000: recorded_at_day: day(7)]", Tables.load(SPARK, ref).spec().fields().toString());
  }

  @Test
  void theHistoryReadsOnlyTheDaysItsWindowNeeds() throws Exception {
    TableRef ref = fresh("quality_metrics_window_test");
    QualityMetricsTable table = new QualityMetricsTable(SPARK, ref, RunKind.PROMOTE);
    record(table, "events", "dt=2024-06-01", "r1", 1.0, GateStatus.PASSED);
    // A year-old run, in its own day's file (as the table is partitioned by day).
    SPARK.sql("INSERT INTO " + ref.name() + " VALUES ('events', 'dt=2023-06-01', 'old', 'rows', 7.0, 'passed', "
        + "current_timestamp() - INTERVAL 365 DAYS, 'promote')");
    record(table, "events", "dt=2024-06-02", "r2", 2.0, GateStatus.PASSED);
    record(table, "events", "dt=2024-06-03", "r3", 3.0, GateStatus.PASSED);

    // Three partitions in the last hours hold a window of 2; a window of 5 reads back further.
    assertEquals(Map.of("rows", List.of(3.0, 2.0)), history(new QualityMetricsTable(SPARK, ref, RunKind.PROMOTE),
        "dt=2024-06-09", 2));
    assertEquals(Map.of("rows", List.of(3.0, 2.0, 1.0, 7.0)),
        history(new QualityMetricsTable(SPARK, ref, RunKind.PROMOTE), "dt=2024-06-09", 5));

    // Without the old day's file a window of 2 is still read: that file is never opened.
    deleteYearOldFile(ref);
    assertEquals(Map.of("rows", List.of(3.0, 2.0)), history(new QualityMetricsTable(SPARK, ref, RunKind.PROMOTE),
        "dt=2024-06-09", 2));
  }

  @Test
  void aBackfillsHistoryNeverOpensFilesOfPromotesOnly() throws Exception {
    TableRef ref = fresh("quality_metrics_kind_test");
    QualityMetricsTable promotes = new QualityMetricsTable(SPARK, ref, RunKind.PROMOTE);
    record(promotes, "events", "dt=2024-06-01", "p1", 1.0, GateStatus.PASSED);
    // A year of promotes, in its own day's file (as the table is partitioned by day).
    SPARK.sql("INSERT INTO " + ref.name() + " VALUES ('events', 'dt=2023-06-01', 'old', 'rows', 7.0, 'passed', "
        + "current_timestamp() - INTERVAL 365 DAYS, 'promote')");
    QualityMetricsTable backfills = new QualityMetricsTable(SPARK, ref, RunKind.BACKFILL);
    record(backfills, "events", "2024-05-01", "b1", 5.0, GateStatus.PASSED);

    // Too few backfills for the window: every horizon is read, the last unbounded, yet the
    // promotes' old file is not opened (its run_kind bounds say it holds no backfill).
    deleteYearOldFile(ref);
    assertEquals(Map.of("rows", List.of(5.0)), history(new QualityMetricsTable(SPARK, ref, RunKind.BACKFILL),
        "2024-06-09", 5));
    assertEquals(Map.of("rows", List.of(1.0)), history(new QualityMetricsTable(SPARK, ref, RunKind.PROMOTE),
        "dt=2024-06-09", 1));
  }

  @Test
  void aHistoryYoungerThanItsWindowIsReadWhole() throws Exception {
    TableRef ref = fresh("quality_metrics_young_test");
    QualityMetricsTable table = new QualityMetricsTable(SPARK, ref, RunKind.PROMOTE);
    record(table, "events", "dt=2024-06-01", "r1", 1.0, GateStatus.PASSED);
    record(table, "events", "dt=2024-06-02", "r2", 2.0, GateStatus.FAILED);
    record(table, "events", "dt=2024-06-03", "r3", 3.0, GateStatus.PASSED);

    // No file holds a run older than the first horizon: the passed runs read there are all of them.
    assertEquals(Map.of("rows", List.of(3.0, 1.0)), history(new QualityMetricsTable(SPARK, ref, RunKind.PROMOTE),
        "dt=2024-06-09", 5));
    assertEquals(Map.of(), new QualityMetricsTable(SPARK, fresh("quality_metrics_absent_test"), RunKind.PROMOTE)
        .history("events", "dt=2024-06-09", 5, key -> true));
  }

  /** Deletes the data file of the year-old day, so that a read that opens it fails. */
  private static void deleteYearOldFile(TableRef ref) throws Exception {
    String oldFile = SPARK.sql("SELECT file_path FROM " + ref.name() + ".files WHERE partition.recorded_at_day < "
        + "current_date() - 300").as(Encoders.STRING()).first();
    Files.delete(Path.of(URI.create(oldFile.startsWith("/") ? "file:" + oldFile : oldFile)));
  }

  private static TableRef fresh(String name) {
    TableRef ref = new TableRef("lake", "ops", name);
    SPARK.sql("DROP TABLE IF EXISTS " + ref.name());
    return ref;
  }

  private static Map<String, List<Double>> history(QualityMetricsTable table, String scored, int window) {
    return table.history("events", scored, window, key -> true);
  }

  private static List<String> rows(TableRef ref, String partition) {
    return SPARK.sql("SELECT run_kind, gate_status, run_id, value FROM " + ref.name()
        + " WHERE dataset = 'events' AND partition_key = '" + partition + "'").collectAsList().stream()
        .map(row -> row.mkString(" ")).toList();
  }

  private static void record(QualityMetricsTable table, String dataset, String partition, String runId, double rows,
      GateStatus status) throws InterruptedException {
    table.record(dataset, partition, runId, Map.of("rows", rows), status);
    Thread.sleep(5); // each record a later recorded_at
  }
}
