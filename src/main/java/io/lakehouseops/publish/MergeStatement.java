package io.lakehouseops.publish;

import io.lakehouseops.config.Identifiers;
import io.lakehouseops.config.TableRef;
import java.sql.Date;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The MERGE write-audit-publish runs into an audit branch: its source (the batch, with a
 * tombstone for each row a replacement deletes) and its SQL. It matches on the keys and the
 * event date, so re-publishing the same rows inserts and updates nothing.
 */
final class MergeStatement {
  private static final String DELETE_MARK = "_lakehouse_delete";

  private final TableRef table;
  private final List<String> keys;
  private final String eventTime;
  private final boolean appendOnly;

  MergeStatement(TableRef table, List<String> keys, String eventTime, boolean appendOnly) {
    this.table = table;
    this.keys = keys;
    this.eventTime = eventTime;
    this.appendOnly = appendOnly;
  }

  /**
   * The MERGE source. Replacing dates adds a tombstone (marked for deletion) for each row of
   * main in those dates that the batch lacks: deleting through WHEN MATCHED keeps the MERGE
   * pruned to the touched files, where WHEN NOT MATCHED BY SOURCE would make Iceberg scan,
   * and under copy-on-write rewrite, every file of the table.
   */
  Dataset<Row> source(Dataset<Row> batch, Dataset<Row> mainTouched, boolean replaceDates) {
    if (!replaceDates) {
      return batch;
    }
    Dataset<Row> tombstones = new ChangeCounter(keys, eventTime).missingFromBatch(batch, mainTouched)
        .select(Arrays.stream(batch.columns()).map(c -> functions.col("t." + Identifiers.quote(c)))
            .toArray(Column[]::new))
        .withColumn(DELETE_MARK, functions.lit(true));
    return batch.withColumn(DELETE_MARK, functions.lit(false)).unionByName(tombstones);
  }

  /**
   * Which clauses the MERGE needs. replaceDates: the source carries tombstones (delete rows the
   * batch lacks). inserts: whether any batch row is new; without a WHEN NOT MATCHED clause the
   * MERGE is an inner join, where Spark can broadcast a small batch and leave main's rows
   * unshuffled; with one, every row of the touched dates is shuffled to find the batch rows that
   * match none (at 30 days of 100,000 rows that was most of a correction's MERGE). compareRows:
   * false when every match differs (a correction): then the MERGE reads only main's key columns.
   */
  record Clauses(boolean replaceDates, boolean inserts, boolean compareRows) {}

  /**
   * The MERGE of view (a source as above) into the table's rows of the given dates. schema:
   * the table's, whose columns a row comparison compares.
   */
  String sql(String view, List<Date> dates, Clauses clauses, StructType schema) {
    boolean replaceDates = clauses.replaceDates();
    boolean inserts = clauses.inserts();
    boolean compareRows = clauses.compareRows();
    String on = keys.stream().map(k -> "t." + Identifiers.quote(k) + " = s." + Identifiers.quote(k))
        .collect(Collectors.joining(" AND "));
    String ts = Identifiers.quote(eventTime);
    // The ranges on the column itself are a static filter Iceberg prunes partitions and files
    // with (a CAST of the column is not pushed down); the date equality keeps a key unique per
    // event date, as the audit checks.
    on += " AND CAST(t." + ts + " AS DATE) = CAST(s." + ts + " AS DATE)"
        + " AND " + EventDates.of(dates).sql("t." + ts);
    StringBuilder sql = new StringBuilder("MERGE INTO ").append(table.quoted())
        .append(" t USING ").append(Identifiers.quote(view)).append(" s ON ").append(on);
    String mark = "s." + Identifiers.quote(DELETE_MARK);
    if (replaceDates) {
      sql.append(" WHEN MATCHED AND ").append(mark).append(" THEN DELETE");
    }
    if (!appendOnly) {
      sql.append(" WHEN MATCHED").append(compareRows ? " AND NOT (" + sameRow(schema) + ")" : "")
          .append(" THEN UPDATE SET *");
    }
    if (!inserts) {
      return sql.toString();
    }
    sql.append(" WHEN NOT MATCHED");
    if (replaceDates) {
      sql.append(" AND NOT ").append(mark);
    }
    return sql.append(" THEN INSERT *").toString();
  }

  /** Rows t and s equal in every column of schema (null-safe); maps compared as sorted entry arrays. */
  static String sameRow(StructType schema) {
    return Arrays.stream(schema.fields()).map(MergeStatement::sameColumn).collect(Collectors.joining(" AND "));
  }

  private static String sameColumn(StructField field) {
    String c = Identifiers.quote(field.name());
    if (field.dataType() instanceof MapType) {
      return "array_sort(map_entries(t." + c + ")) <=> array_sort(map_entries(s." + c + "))";
    }
    return "t." + c + " <=> s." + c;
  }
}
