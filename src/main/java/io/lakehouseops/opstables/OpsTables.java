package io.lakehouseops.opstables;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.DriverAppend;
import io.lakehouseops.iceberg.Tables;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** Appends rows to an ops table (created on first use): the tool's own records. */
final class OpsTables {
  private OpsTables() {}

  /** The file appended from the driver; null when Spark wrote the rows (a table partitioned by hand). */
  static DriverAppend.Appended append(SparkSession spark, TableRef table, StructType schema, List<Row> rows) {
    Tables.createIfMissing(spark, table, schema, List.of(), Map.of());
    Table iceberg = Tables.load(spark, table);
    if (iceberg.spec().isUnpartitioned()) {
      return DriverAppend.append(iceberg, schema, rows);
    }
    // Made unpartitioned; partitioned since by hand: Spark writes each row to its partition.
    spark.sparkContext().setJobDescription("lakehouse-ops: append to " + table);
    Tables.append(spark.createDataFrame(rows, schema), table);
    return null;
  }
}
