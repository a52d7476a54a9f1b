package io.lakehouseops.compact;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * A row's position on a space-filling curve (Curve: Hilbert or Z) as a Spark column: each
 * column scaled from its value range in the files being rewritten to the same number of bits,
 * then the curve's index of the point. Iceberg's own z-order interleaves the columns' raw
 * 8-byte encodings; when the values use different or off-centre parts of their ranges (days
 * since 1970 next to part keys) the curve's splits fall where there is no data, and a range
 * predicate on both columns reads more files. Scaling puts the first split of every column at
 * the middle of its range.
 */
final class CurveValue {
  private CurveValue() {}

  /** Whether every column is of a type the scaling handles (numbers, dates, timestamps with zone). */
  static boolean supports(Schema schema, List<String> columns) {
    return columns.stream().allMatch(c -> {
      Types.NestedField field = schema.findField(c);
      return field != null && numeric(field.type()) != null;
    });
  }

  /**
   * The curve position of the rows read from the files: each column's range from the files'
   * column statistics, or from the rows (one aggregate) when a file has none.
   */
  static Column of(Curve curve, Schema schema, List<String> columns, List<FileScanTask> files, Dataset<Row> rows) {
    int bits = Curve.bitsFor(columns.size());
    List<Column> scaled = new ArrayList<>();
    for (String name : columns) {
      Types.NestedField field = schema.findField(name);
      Column value = numeric(field.type()).apply(functions.col(name));
      double[] range = range(field, files);
      if (range == null) {
        Row seen = rows.agg(functions.min(value), functions.max(value)).first();
        range = seen.isNullAt(0) ? new double[] {0, 0} : new double[] {seen.getDouble(0), seen.getDouble(1)};
      }
      double width = range[1] - range[0];
      double steps = (double) (1L << bits);
      Column position = width <= 0 ? functions.lit(0L)
          : functions.least(functions.greatest(functions.floor(value.minus(range[0]).divide(width).multiply(steps)),
              functions.lit(0L)), functions.lit((1L << bits) - 1)).cast("long");
      scaled.add(functions.coalesce(position, functions.lit(0L)));
    }
    return curve.position(scaled);
  }

  /** The column as a double in the unit of Iceberg's bounds (days for dates, micros for timestamps). */
  private static java.util.function.Function<Column, Column> numeric(Type type) {
    return switch (type.typeId()) {
      case INTEGER, LONG, FLOAT, DOUBLE, DECIMAL -> c -> c.cast("double");
      case DATE -> c -> functions.unix_date(c).cast("double");
      case TIMESTAMP -> ((Types.TimestampType) type).shouldAdjustToUTC()
          ? c -> functions.unix_micros(c).cast("double") : null;
      default -> null;
    };
  }

  /** The lowest lower bound and highest upper bound of the column over the files. */
  private static double[] range(Types.NestedField field, List<FileScanTask> files) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (FileScanTask task : files) {
      ByteBuffer lower = task.file().lowerBounds() == null ? null : task.file().lowerBounds().get(field.fieldId());
      ByteBuffer upper = task.file().upperBounds() == null ? null : task.file().upperBounds().get(field.fieldId());
      long nulls = task.file().nullValueCounts() == null ? 0
          : task.file().nullValueCounts().getOrDefault(field.fieldId(), 0L);
      if (lower == null || upper == null) {
        if (nulls < task.file().recordCount()) {
          return null; // values without statistics (metrics mode none)
        }
        continue; // only nulls
      }
      min = Math.min(min, asDouble(Conversions.fromByteBuffer(field.type(), lower)));
      max = Math.max(max, asDouble(Conversions.fromByteBuffer(field.type(), upper)));
    }
    return min <= max ? new double[] {min, max} : new double[] {0, 0};
  }

  private static double asDouble(Object value) {
    return value instanceof BigDecimal d ? d.doubleValue() : ((Number) value).doubleValue();
  }
}
