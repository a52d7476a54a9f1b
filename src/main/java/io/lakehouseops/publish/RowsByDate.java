package io.lakehouseops.publish;

import io.lakehouseops.config.Identifiers;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Rows per event date, in date order, and the rows without one: no date's count holds those,
 * but a MERGE inserts them. One aggregate of the event-time column alone, which Iceberg reads
 * vectorized; the batch and main's rows of its dates are counted so.
 */
record RowsByDate(Map<LocalDate, Long> byDate, long undated) {

  static RowsByDate of(Dataset<Row> rows, String eventTime) {
    Map<LocalDate, Long> byDate = new TreeMap<>();
    long undated = 0;
    for (Row r : rows.groupBy(functions.to_date(functions.col(Identifiers.quote(eventTime))).as("d")).count()
        .collectAsList()) {
      if (r.isNullAt(0)) {
        undated = r.getLong(1);
      } else {
        byDate.put(r.getDate(0).toLocalDate(), r.getLong(1));
      }
    }
    return new RowsByDate(byDate, undated);
  }
}
