package io.lakehouseops.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.testing.TestLakehouse;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/**
 * Rows deleted from a staged append by position: more of them than the limit leaves the branch
 * as it was (the caller dedupes as a batch); within it, one commit and the rows left each key
 * once; closing an unpublished append discards both snapshots.
 */
class StagedAppendTest {
  private static final List<String> KEYS = List.of("event_id");

  @Test
  void moreRowsToDropThanTheLimitChangeNothing() {
    TableRef ref = table("staged_append_limit");
    try (StagedAppend staged = stage(ref)) {
      KeyCounts written = staged.audit();
      assertEquals(2, written.duplicates());

      assertTrue(staged.dropRows(repeats(staged), 1).isEmpty());

      assertEquals(staged.snapshot(), branchHead(ref, staged));
      assertEquals(5, staged.rows().count(), "the written rows, none deleted");
    }
  }

  @Test
  void rowsToDropWithinTheLimitAreDeletedInOneCommitAndDiscardedOnClose() {
    TableRef ref = table("staged_append_drop");
    int snapshots;
    try (StagedAppend staged = stage(ref)) {
      staged.audit();
      long appended = staged.snapshot();
      snapshots = snapshotCount(ref);

      KeyCounts left = staged.dropRows(repeats(staged), 2).orElseThrow();

      assertEquals(3, left.rows());
      assertEquals(0, left.duplicates());
      assertEquals(Map.of(LocalDate.parse("2024-06-02"), 2L, LocalDate.parse("2024-06-03"), 1L), left.byDate());
      KeyCounts readBack = KeyCounts.of(staged.rows(), KEYS, "event_ts");
      assertEquals(readBack.rows(), left.rows(), "derived from the audit, as a read of the rows left counts");
      assertEquals(readBack.byDate(), left.byDate());
      assertTrue(readBack.keysUnique());
      assertEquals(appended, load(ref).snapshot(staged.snapshot()).parentId());
      assertEquals(snapshots + 1, snapshotCount(ref));
      assertEquals(3, TestLakehouse.spark().read().option("branch", staged.branch()).table(ref.name())
          .filter("event_id LIKE 'k%'").count(), "the branch as Iceberg applies the deletes");
    }
    assertEquals(snapshots - 1, snapshotCount(ref), "the append and its deletes discarded");
  }

  @Test
  void rowsLeftAreReadBackWhenTheKeysWereGroupedNotHashed() {
    // A floating-point key is counted by grouping (its equal values may hash apart): the
    // audit's counts per date are then per key, not per row, and the rows left are read back.
    SparkSession spark = TestLakehouse.spark();
    TableRef ref = new TableRef("lake", "staging_test", "staged_append_float_key");
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.staging_test");
    spark.sql("DROP TABLE IF EXISTS " + ref.name());
    spark.sql("CREATE TABLE " + ref.name() + " (reading DOUBLE, event_ts TIMESTAMP) USING iceberg "
        + "PARTITIONED BY (days(event_ts)) TBLPROPERTIES ('format-version' = '2', 'write.wap.enabled' = 'true')");
    spark.sql("INSERT INTO " + ref.name() + " VALUES (0.5, TIMESTAMP'2024-06-01 10:00:00')");
    // 1.5 twice across two dates: the grouped count puts both rows under one of them.
    Dataset<Row> batch = spark.sql("SELECT * FROM VALUES "
        + "(1.5D, TIMESTAMP'2024-06-02 10:00:00'), (1.5D, TIMESTAMP'2024-06-03 11:00:00'), "
        + "(2.5D, TIMESTAMP'2024-06-03 10:00:00') AS t(reading, event_ts)");
    try (StagedAppend staged = stagedPublish(ref, List.of("reading"))
        .stage(batch, "run-float-key", Map.of())) {
      KeyCounts written = staged.audit();
      assertTrue(written.repeatedKeyHashes().isEmpty(), "grouped by key, not hashed");
      assertEquals(1, written.duplicates());

      Dataset<Row> later = staged.writtenWithPositions().filter("event_ts > TIMESTAMP'2024-06-03 00:00:00' "
          + "AND reading = 1.5D");
      KeyCounts left = staged.dropRows(later, 10).orElseThrow();

      assertEquals(2, left.rows());
      assertTrue(left.keysUnique());
      assertEquals(Map.of(LocalDate.parse("2024-06-02"), 1L, LocalDate.parse("2024-06-03"), 1L), left.byDate());
    }
  }

  private static StagedPublish stagedPublish(TableRef ref, List<String> keys) {
    SparkSession spark = TestLakehouse.spark();
    return new StagedPublish(spark, ref, keys, "event_ts", new WriteAuditPublish(spark, ref, keys, "event_ts", false));
  }

  private static StagedAppend stage(TableRef ref) {
    SparkSession spark = TestLakehouse.spark();
    Dataset<Row> batch = spark.sql("SELECT * FROM VALUES "
        + "('k1', TIMESTAMP'2024-06-02 10:00:00'), ('k1', TIMESTAMP'2024-06-02 11:00:00'), "
        + "('k2', TIMESTAMP'2024-06-02 10:00:00'), ('k2', TIMESTAMP'2024-06-02 12:00:00'), "
        + "('k3', TIMESTAMP'2024-06-03 10:00:00') AS t(event_id, event_ts)");
    return stagedPublish(ref, KEYS).stage(batch, "run-" + ref.table(), Map.of());
  }

  /** The rows after the first of each repeated key, by event time. */
  private static Dataset<Row> repeats(StagedAppend staged) {
    return staged.writtenWithPositions().withColumn("n", functions.row_number().over(
        org.apache.spark.sql.expressions.Window.partitionBy("event_id").orderBy("event_ts")))
        .filter("n > 1");
  }

  private static TableRef table(String name) {
    SparkSession spark = TestLakehouse.spark();
    TableRef ref = new TableRef("lake", "staging_test", name);
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.staging_test");
    spark.sql("DROP TABLE IF EXISTS " + ref.name());
    spark.sql("CREATE TABLE " + ref.name() + " (event_id STRING, event_ts TIMESTAMP) USING iceberg "
        + "PARTITIONED BY (days(event_ts)) TBLPROPERTIES ('format-version' = '2', 'write.wap.enabled' = 'true')");
    spark.sql("INSERT INTO " + ref.name() + " VALUES ('a1', TIMESTAMP'2024-06-01 10:00:00')");
    return ref;
  }

  private static long branchHead(TableRef ref, StagedAppend staged) {
    return load(ref).refs().get(staged.branch()).snapshotId();
  }

  private static int snapshotCount(TableRef ref) {
    int n = 0;
    for (var ignored : load(ref).snapshots()) {
      n++;
    }
    return n;
  }

  private static Table load(TableRef ref) {
    Table table = Tables.load(TestLakehouse.spark(), ref);
    table.refresh();
    return table;
  }
}
