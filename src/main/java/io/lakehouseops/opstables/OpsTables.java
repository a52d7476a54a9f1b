package io.lakehouseops.opstables;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.DriverAppend;
import io.lakehouseops.iceberg.DriverUpsert;
import io.lakehouseops.iceberg.Tables;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.spark.SparkSchemaUtil;
import org.apache.iceberg.types.Types;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/**
 * Appends rows to an ops table (created on first use): the tool's own records. Each table is
 * partitioned by the day of its time column (recorded_at, run_at, ...), so that what reads a
 * window of it (anomaly history) prunes to the window's days, and compaction by the
 * maintenance DAG rewrites old days without touching today's.
 */
final class OpsTables {
  private OpsTables() {}

  /** An ops table: where it is, its columns, and the timestamp column it is partitioned by the day of. */
  record OpsTable(TableRef ref, StructType schema, String dayColumn) {}

  static DriverAppend.Appended append(SparkSession spark, OpsTable table, List<Row> rows) {
    return DriverAppend.append(ready(spark, table), table.schema(), rows);
  }

  /**
   * Appends rows and removes, in the same commit, the earlier rows they replace (DriverUpsert):
   * candidates prunes the files to read, replaced picks the rows.
   */
  static void upsert(SparkSession spark, OpsTable table, List<Row> rows, Expression candidates,
      Predicate<Record> replaced) {
    DriverUpsert.upsert(ready(spark, table), table.schema(), rows, candidates, replaced);
  }

  /**
   * The table, created on first use; columns this version records that an older one did not
   * are added (optional, so the older rows read them as null), and a table an older version
   * made unpartitioned is partitioned by day from now on (its files keep their layout until
   * compacted). A table partitioned otherwise by hand is left as it is.
   */
  private static Table ready(SparkSession spark, OpsTable table) {
    Tables.createIfMissing(spark, table.ref(), table.schema(),
        List.of(functions.days(functions.col(table.dayColumn()))), Map.of());
    Table iceberg = Tables.load(spark, table.ref());
    addMissingColumns(iceberg, SparkSchemaUtil.convert(table.schema()));
    if (iceberg.spec().isUnpartitioned()) {
      partitionByDay(iceberg, table.dayColumn());
    }
    return iceberg;
  }

  private static void addMissingColumns(Table iceberg, Schema wanted) {
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
  }

  private static void partitionByDay(Table iceberg, String column) {
    try {
      iceberg.updateSpec().addField(Expressions.day(column)).commit();
    } catch (CommitFailedException e) { // another run partitioned it first
      iceberg.refresh();
      if (iceberg.spec().isUnpartitioned()) {
        throw e;
      }
    }
  }
}
