package io.lakehouseops.iceberg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Puts rows into a table's column layout: raw batches, and main as of an older snapshot. */
public final class SchemaAlignment {
  private SchemaAlignment() {}

  /** The rows as the target's columns, in its order: cast where types differ, null where missing. */
  public static Dataset<Row> align(Dataset<Row> data, StructType target) {
    Map<String, StructField> present = new LinkedHashMap<>();
    for (StructField field : data.schema().fields()) {
      present.put(field.name(), field);
    }
    List<Column> columns = new ArrayList<>();
    for (StructField field : target.fields()) {
      StructField source = present.get(field.name());
      Column value;
      if (source == null) {
        value = functions.lit(null).cast(field.dataType());
      } else if (source.dataType().catalogString().equals(field.dataType().catalogString())) {
        value = functions.col(field.name()); // same type; a cast could only trip on nullability
      } else {
        value = functions.col(field.name()).cast(field.dataType());
      }
      columns.add(value.as(field.name()));
    }
    return data.select(columns.toArray(Column[]::new));
  }
}
