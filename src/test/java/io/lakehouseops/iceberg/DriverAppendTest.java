package io.lakehouseops.iceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.testing.TestLakehouse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.relocated.com.google.common.collect.Iterables;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The ops records' append from the driver: what Spark reads back is what was appended, in one
 * commit; an appended file is replaced in one commit, or not at all when another commit has
 * changed it since.
 */
class DriverAppendTest {
  private static final StructType SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType, false)
      .add("rows", DataTypes.LongType)
      .add("score", DataTypes.DoubleType)
      .add("passed", DataTypes.IntegerType)
      .add("at", DataTypes.TimestampType, false);

  @Test
  void appendedRowsReadBackThroughSparkAsWrittenInOneCommit() {
    SparkSession spark = TestLakehouse.spark();
    TableRef ref = new TableRef("lake", "ops", "driver_append_test");
    spark.sql("DROP TABLE IF EXISTS " + ref.name());
    Tables.createIfMissing(spark, ref, SCHEMA, List.of(), Map.of());
    Table table = Tables.load(spark, ref);
    int snapshotsBefore = Iterables.size(table.snapshots());
    Timestamp at = Timestamp.from(Instant.parse("2024-06-01T10:15:30.123456Z"));

    DriverAppend.append(table, SCHEMA, List.of(RowFactory.create("r1", 7L, 0.25, 3, at),
        RowFactory.create("r2", null, null, null, at)));

    List<Row> rows = spark.sql("SELECT run_id, rows, score, passed, at FROM " + ref.name() + " ORDER BY run_id")
        .collectAsList();
    assertEquals(List.of(RowFactory.create("r1", 7L, 0.25, 3, at), RowFactory.create("r2", null, null, null, at)),
        rows);
    table.refresh();
    assertEquals(snapshotsBefore + 1, Iterables.size(table.snapshots()));
    assertEquals("1", table.currentSnapshot().summary().get("added-data-files"));
  }

  @Test
  void aRowWithAColumnTheTableLacksIsRefusedAndNothingIsCommitted() {
    SparkSession spark = TestLakehouse.spark();
    TableRef ref = new TableRef("lake", "ops", "driver_append_old");
    spark.sql("DROP TABLE IF EXISTS " + ref.name());
    Tables.createIfMissing(spark, ref, new StructType().add("run_id", DataTypes.StringType, false), List.of(), Map.of());
    Table table = Tables.load(spark, ref);
    long before = table.currentSnapshot().snapshotId();

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> DriverAppend.append(table, SCHEMA,
        List.<Row>of(RowFactory.create("r1", 7L, 0.25, 3, Timestamp.from(Instant.now())))));

    assertEquals("Table lake.ops.driver_append_old has no column rows: it was made by another version of "
        + "lakehouse-ops; add the column or rename the table", e.getMessage());
    table.refresh();
    assertEquals(before, table.currentSnapshot().snapshotId());
  }

  @Test
  void anAppendedFileIsReplacedByTheNewRowsInOneCommit() {
    SparkSession spark = TestLakehouse.spark();
    TableRef ref = new TableRef("lake", "ops", "driver_replace_test");
    Table table = emptyTable(ref);
    DriverAppend.append(table, SCHEMA, List.of(RowFactory.create("other", 1L, null, null, AT)));
    DriverAppend.Appended running = appendRunning(table);
    long before = table.currentSnapshot().snapshotId();

    boolean replaced = DriverAppend.replace(table, running, SCHEMA,
        List.of(RowFactory.create("r1", 5L, null, 1, AT), RowFactory.create("r2", 6L, null, 1, AT)));

    assertTrue(replaced);
    assertEquals(List.of(RowFactory.create("other", 1L, 0), RowFactory.create("r1", 5L, 1), RowFactory.create("r2", 6L, 1)),
        spark.sql("SELECT run_id, rows, coalesce(passed, 0) FROM " + ref.name() + " ORDER BY run_id").collectAsList());
    table.refresh();
    assertEquals(before, table.currentSnapshot().parentId());
    assertEquals("overwrite", table.currentSnapshot().operation());
  }

  @Test
  void aFileAnotherCommitChangedSinceIsNotReplacedAndNothingIsCommitted() {
    SparkSession spark = TestLakehouse.spark();
    TableRef ref = new TableRef("lake", "ops", "driver_replace_moved");
    Table table = emptyTable(ref);
    DriverAppend.Appended running = appendRunning(table);
    // Another run marks r1 failed meanwhile: its file is rewritten (or gets a delete file).
    spark.sql("UPDATE " + ref.name() + " SET passed = 9 WHERE run_id = 'r1'");
    table.refresh();
    long before = table.currentSnapshot().snapshotId();

    boolean replaced = DriverAppend.replace(table, running, SCHEMA,
        List.of(RowFactory.create("r1", 5L, null, 1, AT), RowFactory.create("r2", 6L, null, 1, AT)));

    assertFalse(replaced);
    table.refresh();
    assertEquals(before, table.currentSnapshot().snapshotId());
    assertEquals(List.of(RowFactory.create("r1", 9), RowFactory.create("r2", 0)),
        spark.sql("SELECT run_id, passed FROM " + ref.name() + " ORDER BY run_id").collectAsList());
  }

  @Test
  void rowsOfTwoDaysGoToAFileEachInTheirDayOfAPartitionedTableAndAreReplacedTogether() {
    SparkSession spark = TestLakehouse.spark();
    TableRef ref = new TableRef("lake", "ops", "driver_append_by_day");
    spark.sql("DROP TABLE IF EXISTS " + ref.name());
    Tables.createIfMissing(spark, ref, SCHEMA, List.of(functions.days(functions.col("at"))), Map.of());
    Table table = Tables.load(spark, ref);
    Timestamp nextDay = Timestamp.from(Instant.parse("2024-06-02T23:59:59Z"));

    DriverAppend.Appended appended = DriverAppend.append(table, SCHEMA, List.of(
        RowFactory.create("r1", 1L, null, 0, AT), RowFactory.create("r2", 2L, null, 0, nextDay),
        RowFactory.create("r3", 3L, null, 0, AT)));

    assertEquals(List.of(RowFactory.create("2024-06-01", 2L), RowFactory.create("2024-06-02", 1L)),
        spark.sql("SELECT string(partition.at_day), record_count FROM " + ref.name() + ".files ORDER BY 1")
            .collectAsList());
    assertEquals(List.of("r1", "r2", "r3"), spark.sql("SELECT run_id FROM " + ref.name() + " ORDER BY run_id")
        .as(Encoders.STRING()).collectAsList());
    assertEquals(2, appended.files().size());

    assertTrue(DriverAppend.replace(table, appended, SCHEMA, List.of(RowFactory.create("r1", 1L, null, 1, AT),
        RowFactory.create("r2", 2L, null, 1, nextDay), RowFactory.create("r3", 3L, null, 1, AT))));
    assertEquals(List.of(RowFactory.create("r1", 1), RowFactory.create("r2", 1), RowFactory.create("r3", 1)),
        spark.sql("SELECT run_id, passed FROM " + ref.name() + " ORDER BY run_id").collectAsList());
    assertEquals(2L, spark.table(ref.name() + ".files").count());
  }

  private static final Timestamp AT = Timestamp.from(Instant.parse("2024-06-01T10:15:30Z"));

  private static Table emptyTable(TableRef ref) {
    SparkSession spark = TestLakehouse.spark();
    spark.sql("DROP TABLE IF EXISTS " + ref.name());
    Tables.createIfMissing(spark, ref, SCHEMA, List.of(), Map.of());
    return Tables.load(spark, ref);
  }

  /** Two rows as a backfill chunk opens them: no counts yet. */
  private static DriverAppend.Appended appendRunning(Table table) {
    return DriverAppend.append(table, SCHEMA,
        List.of(RowFactory.create("r1", null, null, 0, AT), RowFactory.create("r2", null, null, 0, AT)));
  }
}
