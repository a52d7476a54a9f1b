package io.lakehouseops.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.testing.TestLakehouse;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The event dates a snapshot's files may hold rows of, from their bounds: the dates with rows,
 * never fewer; a file spanning dates names the dates between; the session's zone decides a
 * time's date; a column whose bounds are not times leaves the answer to a scan.
 */
class DatesInFilesTest {
  private static final ZoneId UTC = ZoneOffset.UTC;

  @Test
  void namesTheDatesOfDayPartitionsAndNoOther() {
    Table table = table("dates_in_day_partitions", "TIMESTAMP", "PARTITIONED BY (days(event_ts))",
        "('a', TIMESTAMP'2024-06-01 10:00:00'), ('b', TIMESTAMP'2024-06-03 23:00:00')");

    assertEquals(List.of(day(1), day(3)), new DatesInFiles(table, "event_ts", UTC)
        .at(table.currentSnapshot().snapshotId(), List.of(day(1), day(2), day(3), day(4))));
    assertEquals(List.of(), new DatesInFiles(table, "event_ts", UTC)
        .at(table.currentSnapshot().snapshotId(), List.of(day(2), day(4))));
  }

  @Test
  void aFileSpanningDatesMayHoldEachDateBetweenItsBounds() {
    Table table = table("dates_in_one_file", "TIMESTAMP", "",
        "('a', TIMESTAMP'2024-06-01 10:00:00'), ('b', TIMESTAMP'2024-06-03 10:00:00')");

    assertEquals(List.of(day(1), day(2), day(3)), new DatesInFiles(table, "event_ts", UTC)
        .at(table.currentSnapshot().snapshotId(), List.of(day(1), day(2), day(3), day(5))));
  }

  @Test
  void aTimesDateIsTheSessionZones() {
    Table table = table("dates_in_zone", "TIMESTAMP", "", "('a', TIMESTAMP'2024-06-01 23:30:00')");
    long snapshot = table.currentSnapshot().snapshotId();

    assertEquals(List.of(day(1)), new DatesInFiles(table, "event_ts", UTC).at(snapshot, List.of(day(1), day(2))));
    assertEquals(List.of(day(2)), new DatesInFiles(table, "event_ts", ZoneOffset.ofHours(2))
        .at(snapshot, List.of(day(1), day(2))));
  }

  @Test
  void aBoundFarFromTodayStillGivesItsDate() {
    Table table = table("dates_far_out", "TIMESTAMP", "",
        "('a', TIMESTAMP'2024-06-01 10:00:00'), ('b', TIMESTAMP'9999-12-31 10:00:00')");

    assertEquals(List.of(day(1), day(2)), new DatesInFiles(table, "event_ts", UTC)
        .at(table.currentSnapshot().snapshotId(), List.of(day(1), day(2))));
  }

  @Test
  void anEarlierSnapshotNamesTheDatesItHad() {
    Table table = table("dates_in_snapshot", "DATE", "", "('a', DATE'2024-06-01')");
    long first = table.currentSnapshot().snapshotId();
    TestLakehouse.spark().sql("INSERT INTO lake.dates_test.dates_in_snapshot VALUES ('b', DATE'2024-06-02')");
    table.refresh();

    assertEquals(List.of(day(1)), new DatesInFiles(table, "event_ts", UTC).at(first, List.of(day(1), day(2))));
    assertEquals(List.of(day(1), day(2)), new DatesInFiles(table, "event_ts", UTC)
        .at(table.currentSnapshot().snapshotId(), List.of(day(1), day(2))));
  }

  @Test
  void aColumnWithoutTimeBoundsIsLeftToAScan() {
    Table table = table("dates_in_strings", "STRING", "", "('a', '2024-06-01')");

    assertNull(new DatesInFiles(table, "event_ts", UTC).at(table.currentSnapshot().snapshotId(), List.of(day(1))));
  }

  private static LocalDate day(int dayOfJune) {
    return LocalDate.of(2024, 6, dayOfJune);
  }

  /** A table of (event_id, event_ts of the given type) holding the given rows in one insert. */
  private static Table table(String name, String type, String partitioning, String rows) {
    SparkSession spark = TestLakehouse.spark();
    TableRef ref = new TableRef("lake", "dates_test", name);
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.dates_test");
    spark.sql("DROP TABLE IF EXISTS " + ref.name());
    spark.sql("CREATE TABLE " + ref.name() + " (event_id STRING, event_ts " + type + ") USING iceberg "
        + partitioning + " TBLPROPERTIES ('format-version' = '2')");
    // One task, so that an unpartitioned insert writes one file spanning every row's date.
    spark.sql("INSERT INTO " + ref.name() + " SELECT /*+ COALESCE(1) */ * FROM VALUES " + rows + " AS t(event_id, event_ts)");
    Table table = Tables.load(spark, ref);
    table.refresh();
    return table;
  }
}
