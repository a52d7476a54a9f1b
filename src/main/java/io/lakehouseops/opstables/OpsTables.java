package io.lakehouseops.opstables;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.DriverAppend;
import io.lakehouseops.iceberg.Tables;
import java.util.List;
import java.util.Map;
import io.lakehouseops.iceberg.DriverUpsert;
import java.util.function.Predicate;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.spark.SparkSchemaUtil;
import org.apache.iceberg.types.Types;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** Appends rows to an ops table (created on first use): the tool's own records. */
final class OpsTables {
  private OpsTables() {}

  /** The file appended from the driver; null when Spark wrote the rows (a table partitioned by hand). */
  static DriverAppend.Appended append(SparkSession spark, TableRef table, StructType schema, List<Row> rows) {
    Table iceberg = ready(spark, table, schema);
    if (iceberg.spec().isUnpartitioned()) {
      return DriverAppend.append(iceberg, schema, rows);
    }
    // Made unpartitioned; partitioned since by hand: Spark writes each row to its partition.
    spark.sparkContext().setJobDescription("lakehouse-ops: append to " + table);
    Tables.append(spark.createDataFrame(rows, schema), table);
    return null;
  }

  /**
   * Appends rows and removes, in the same commit, the earlier rows they replace (DriverUpsert):
   * candidates prunes the files to read, replaced picks the rows. A table partitioned by hand
   * gets the rows appended only; its readers take the newest.
   */
  static void upsert(SparkSession spark, TableRef table, StructType schema, List<Row> rows,
      Expression candidates, Predicate<Record> replaced) {
    Table iceberg = ready(spark, table, schema);
    if (iceberg.spec().isUnpartitioned()) {
      DriverUpsert.upsert(iceberg, schema, rows, candidates, replaced);
    } else {
      append(spark, table, schema, rows);
    }
  }

  /**
   * The table, created on first use; columns this version records that an older one did not
   * are added (optional, so the older rows read them as null).
   */
  private static Table ready(SparkSession spark, TableRef table, StructType schema) {
    Tables.createIfMissing(spark, table, schema, List.of(), Map.of());
    Table iceberg = Tables.load(spark, table);
    Schema wanted = SparkSchemaUtil.convert(schema);
    List<Types.NestedField> missing = wanted.columns().stream()
        .filter(column -> iceberg.schema().findField(column.name()) == null).toList();
    if (!missing.isEmpty()) {
      UpdateSchema update = iceberg.updateSchema();
      missing.forEach(column -> update.addColumn(column.name(), column.type(), column.doc()));
      try {
        update.commit();
      } catch (CommitFailedException e) { // another run of this version added them first
        iceberg.refresh();
        if (missing.stream().anyMatch(column -> iceberg.schema().findField(column.name()) == null)) {
          throw e;
        }
      }
    }
    return iceberg;
  }
}
