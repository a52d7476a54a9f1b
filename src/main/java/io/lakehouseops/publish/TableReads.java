package io.lakehouseops.publish;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.SchemaAlignment;
import java.sql.Date;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.util.DateTimeUtils;
import org.apache.spark.sql.functions;

/**
 * The reads a publish makes of its table, each limited to event dates: main as of a snapshot,
 * an audit branch, and which of the batch's dates main holds rows in.
 */
final class TableReads {
  private final SparkSession spark;
  private final TableRef table;
  private final String eventTime;

  TableReads(SparkSession spark, TableRef table, String eventTime) {
    this.spark = spark;
    this.table = table;
    this.eventTime = eventTime;
  }

  /**
   * The rows of the given event dates: ranges on the column itself that Iceberg prunes
   * partitions and files with, where to_date(column) is not pushed down and every read of
   * main's touched rows would scan the whole table.
   */
  Dataset<Row> inDates(Dataset<Row> rows, List<Date> dates) {
    return rows.filter(EventDates.of(dates).filter(functions.col(eventTime)));
  }

  /** An audit branch's rows of the given event dates, which its audit reads. */
  Dataset<Row> branchRows(String branch, List<Date> dates) {
    return inDates(spark.read().option("branch", branch).table(table.name()), dates);
  }

  /**
   * Main's rows at the snapshot the audit branch starts from, so the comparison, the MERGE
   * and the audit all see the same main whatever other jobs commit meanwhile. Columns added
   * to the table since (by this publish's schema change) read as null, as they do for old rows.
   */
  Dataset<Row> mainAt(Long snapshot) {
    Dataset<Row> current = spark.table(table.name());
    if (snapshot == null) {
      return current;
    }
    Dataset<Row> pinned = spark.read().option("snapshot-id", snapshot).table(table.name());
    return SchemaAlignment.align(pinned, current.schema());
  }

  /**
   * The batch's dates main's files at snapshot before (of iceberg, refreshed since) may hold
   * rows of, in order: from the files' bounds of the event-time column (DatesInFiles), or, for
   * a column type without such bounds, the dates main's rows there have.
   */
  List<Date> datesOfMain(Table iceberg, Long before, List<Date> dates) {
    if (before == null) {
      return List.of();
    }
    List<LocalDate> inFiles = new DatesInFiles(iceberg, eventTime, sessionZone())
        .at(before, dates.stream().map(Date::toLocalDate).toList());
    return inFiles == null ? datesWithRows(inDates(mainAt(before), dates))
        : inFiles.stream().map(Date::valueOf).toList();
  }

  /** The event dates the rows have, in order: one scan of the event-time column, vectorized. */
  private List<Date> datesWithRows(Dataset<Row> rows) {
    // Named, or its job carries whatever description the thread last set (the gate's history).
    spark.sparkContext().setJobDescription("lakehouse-ops: look for main's rows in the batch's dates of " + table);
    return rows.select(functions.to_date(functions.col(eventTime)).as("d")).distinct().collectAsList().stream()
        .filter(r -> !r.isNullAt(0)).map(r -> r.getDate(0)).sorted().toList();
  }

  /** The Spark session's time zone, in which to_date(event time) gives an event date. */
  ZoneId sessionZone() {
    return DateTimeUtils.getZoneId(spark.sessionState().conf().sessionLocalTimeZone());
  }
}
