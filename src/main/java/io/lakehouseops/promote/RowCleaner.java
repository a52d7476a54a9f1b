package io.lakehouseops.promote;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.publish.KeyCounts;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Cleans a raw batch: strings trimmed and empty strings made null (both configurable), then
 * duplicates of a key removed, keeping the first row by the dataset's dedupe-order. Rows with
 * a null key are kept as they are: the quality gate must see them, not the dedupe.
 */
public final class RowCleaner {
  private static final String ROW_NUMBER = "__lakehouse_row_number";
  private final DatasetSettings dataset;

  public RowCleaner(DatasetSettings dataset) {
    this.dataset = dataset;
  }

  public Dataset<Row> clean(Dataset<Row> rows) {
    return dedupe(normalized(rows));
  }

  /** Strings trimmed and empty strings made null, as configured; nothing deduped yet. */
  public Dataset<Row> normalized(Dataset<Row> rows) {
    List<Column> columns = new ArrayList<>();
    for (StructField field : rows.schema().fields()) {
      Column value = functions.col(field.name());
      if (field.dataType().equals(DataTypes.StringType)) {
        if (dataset.trimStrings()) {
          value = functions.trim(value);
        }
        if (dataset.emptyStringsAsNull()) {
          value = functions.when(value.equalTo(""), functions.lit(null).cast(DataTypes.StringType))
              .otherwise(value);
        }
      }
      columns.add(value.as(field.name()));
    }
    return rows.select(columns.toArray(Column[]::new));
  }

  /** The first row of each key by dedupe-order; rows with a null key all kept. */
  public Dataset<Row> dedupe(Dataset<Row> normalized) {
    return rank(normalized).filter(functions.col(ROW_NUMBER).equalTo(1)).drop(ROW_NUMBER);
  }

  /**
   * The rows dedupe would drop: each repeated complete key's rows but its first by
   * dedupe-order, then by tieBreak (columns that tell rows equal in that order apart, so the
   * choice is the same every time it is made). Only the repeated keys' rows are sorted, where
   * dedupe sorts every row: those whose key has one of counts' repeated hashes (a join with
   * them, broadcast; a key that only shares its hash with another is its own window, kept), or
   * when counts has none, those of the keys a count of the key columns finds repeated (a shuffle).
   */
  public Dataset<Row> droppedByDedupe(Dataset<Row> rows, KeyCounts counts, Column... tieBreak) {
    Column[] keys = dataset.keys().stream().map(functions::col).toArray(Column[]::new);
    Dataset<Row> ofRepeatedKeys;
    if (!counts.repeatedKeyHashes().isEmpty()) {
      ofRepeatedKeys = KeyCounts.withHashes(rows, dataset.keys(), counts.repeatedKeyHashes());
    } else {
      Dataset<Row> repeated = rows.filter(keyComplete()).groupBy(keys).count()
          .filter(functions.col("count").gt(1)).drop("count");
      ofRepeatedKeys = rows.join(repeated, scala.collection.JavaConverters.asScalaBuffer(dataset.keys()).toSeq(),
          "left_semi");
    }
    List<Column> order = new ArrayList<>(List.of(ordering()));
    order.addAll(List.of(tieBreak));
    WindowSpec byKey = Window.partitionBy(keys).orderBy(order.toArray(Column[]::new));
    return ofRepeatedKeys.withColumn(ROW_NUMBER, functions.row_number().over(byKey))
        .filter(functions.col(ROW_NUMBER).gt(1)).drop(ROW_NUMBER);
  }

  private Column keyComplete() {
    return dataset.keys().stream().map(k -> functions.col(k).isNotNull()).reduce(Column::and).orElseThrow();
  }

  private Dataset<Row> rank(Dataset<Row> rows) {
    Column[] keys = dataset.keys().stream().map(functions::col).toArray(Column[]::new);
    WindowSpec byKey = Window.partitionBy(keys).orderBy(ordering());
    return rows.withColumn(ROW_NUMBER, functions.when(keyComplete(), functions.row_number().over(byKey))
        .otherwise(functions.lit(1)));
  }

  private Column[] ordering() {
    List<Column> order = new ArrayList<>();
    for (String item : dataset.dedupeOrder()) {
      String[] parts = item.trim().split("\\s+");
      Column column = functions.col(parts[0]);
      order.add(parts.length > 1 && parts[1].equalsIgnoreCase("desc")
          ? column.desc_nulls_last() : column.asc_nulls_last());
    }
    if (order.isEmpty()) {
      order.add(functions.lit(0)); // no preference: any one row of the key
    }
    return order.toArray(Column[]::new);
  }
}
