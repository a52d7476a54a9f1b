package io.lakehouseops.ops;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.DriverAppend;
import io.lakehouseops.iceberg.Tables;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** Appends rows to an ops table (created on first use): the tool's own records. */
final class OpsTables {
  private OpsTables() {}

  static void append(SparkSession spark, TableRef table, StructType schema, List<Row> rows) {
    Tables.createIfMissing(spark, table, schema, List.of(), Map.of());
    DriverAppend.append(Tables.load(spark, table), schema, rows);
  }
}
