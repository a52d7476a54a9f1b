package io.lakehouseops.iceberg;

import io.lakehouseops.config.PartitionTransform;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/** Turns configured partition transforms into the Columns Spark's writeTo().partitionedBy takes. */
public final class PartitionColumns {
  private PartitionColumns() {}

  public static List<Column> of(List<String> transforms, String where) {
    return transforms.stream().map(t -> column(PartitionTransform.parse(t, where))).toList();
  }

  private static Column column(PartitionTransform t) {
    Column column = functions.col(t.column());
    return switch (t.transform()) {
      case "years" -> functions.years(column);
      case "months" -> functions.months(column);
      case "days" -> functions.days(column);
      case "hours" -> functions.hours(column);
      case "bucket" -> functions.bucket(functions.lit(t.buckets()), column);
      default -> column;
    };
  }
}
