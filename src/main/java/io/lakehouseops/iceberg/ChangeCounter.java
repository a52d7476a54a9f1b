package io.lakehouseops.iceberg;

import io.lakehouseops.config.Identifiers;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;

/**
 * Counts, per event date, what a MERGE of a batch on (keys, event date) would change in the
 * table's rows of the same dates: rows to insert (new keys), to update (a column differs) and,
 * when the batch replaces those dates, to delete (keys the batch no longer has). The sides
 * are aliased, so a batch read from the table itself still joins unambiguously.
 */
final class ChangeCounter {
  private final List<String> keys;
  private final String eventTime;

  ChangeCounter(List<String> keys, String eventTime) {
    this.keys = keys;
    this.eventTime = eventTime;
  }

  Map<LocalDate, RowChanges> count(Dataset<Row> batch, Dataset<Row> main, boolean updates, boolean deletes) {
    Dataset<Row> s = batch.as("s");
    Dataset<Row> t = main.as("t");
    Column join = matches();
    Map<LocalDate, long[]> counts = new TreeMap<>();
    add(counts, 0, s.join(t, join, "left_anti"), "s");
    if (updates) {
      add(counts, 1, s.join(t, join.and(functions.not(sameRow(batch))), "left_semi"), "s");
    }
    if (deletes) {
      add(counts, 2, t.join(s, join, "left_anti"), "t");
    }
    Map<LocalDate, RowChanges> result = new TreeMap<>();
    counts.forEach((date, c) -> result.put(date, new RowChanges(c[0], c[1], c[2])));
    return result;
  }

  /** Rows of main in the batch's dates whose key the batch lacks (the deletes of a replacement). */
  Dataset<Row> missingFromBatch(Dataset<Row> batch, Dataset<Row> main) {
    return main.as("t").join(batch.as("s"), matches(), "left_anti");
  }

  private Column matches() {
    Column join = functions.to_date(functions.col("s." + Identifiers.quote(eventTime)))
        .equalTo(functions.to_date(functions.col("t." + Identifiers.quote(eventTime))));
    for (String key : keys) {
      String k = Identifiers.quote(key);
      join = join.and(functions.col("s." + k).equalTo(functions.col("t." + k)));
    }
    return join;
  }

  /** Every column equal, null-safe; maps compared as sorted entry arrays. */
  private static Column sameRow(Dataset<Row> batch) {
    return Arrays.stream(batch.schema().fields()).map(ChangeCounter::sameColumn)
        .reduce(Column::and).orElse(functions.lit(true));
  }

  private static Column sameColumn(StructField field) {
    Column s = functions.col("s." + Identifiers.quote(field.name()));
    Column t = functions.col("t." + Identifiers.quote(field.name()));
    if (field.dataType() instanceof MapType) {
      return functions.array_sort(functions.map_entries(s)).eqNullSafe(functions.array_sort(functions.map_entries(t)));
    }
    return s.eqNullSafe(t);
  }

  private void add(Map<LocalDate, long[]> counts, int slot, Dataset<Row> rows, String side) {
    for (Row row : rows.groupBy(functions.to_date(functions.col(side + "." + Identifiers.quote(eventTime))).as("d"))
        .count().collectAsList()) {
      if (!row.isNullAt(0)) {
        counts.computeIfAbsent(row.getDate(0).toLocalDate(), d -> new long[3])[slot] = row.getLong(1);
      }
    }
  }
}
