package io.lakehouseops.compact;

import io.lakehouseops.config.ConfigException;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import scala.collection.Seq;

/**
 * The space-filling curve zorder compaction orders rows by, over the range-scaled columns
 * (lakehouse.compact.curve): Z interleaves the columns' bits; Hilbert (HilbertIndex) keeps
 * neighbours on the curve neighbours in space, so each file holds a more compact box.
 */
public enum Curve {
  Z, HILBERT;

  public static Curve parse(String value, String key) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Invalid " + key + " '" + value + "': use hilbert or z");
    }
  }

  private static final UserDefinedFunction HILBERT_OF = functions.udf((UDF1<Seq<Object>, Long>) scaled -> {
    int n = scaled.size();
    long[] point = new long[n];
    for (int i = 0; i < n; i++) {
      point[i] = (Long) scaled.apply(i);
    }
    return HilbertIndex.of(point, bitsFor(n));
  }, DataTypes.LongType).asNonNullable();

  /** Bits per column: as many as fit n columns in a long, at most 21 (two million steps). */
  static int bitsFor(int columns) {
    return Math.min(21, 63 / columns);
  }

  /** The position on the curve of the scaled columns (each in [0, 2^bitsFor(n))). */
  Column position(List<Column> scaled) {
    int n = scaled.size();
    if (this == HILBERT) {
      return HILBERT_OF.apply(functions.array(scaled.toArray(Column[]::new)));
    }
    Column z = functions.lit(0L);
    for (int bit = 0; bit < bitsFor(n); bit++) {
      for (int i = 0; i < n; i++) {
        Column b = functions.shiftright(scaled.get(i), bit).bitwiseAND(1L);
        z = z.bitwiseOR(functions.shiftleft(b, bit * n + (n - 1 - i)));
      }
    }
    return z;
  }
}
