package io.lakehouseops.cli;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.run.BadInputException;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** An unknown table is the user's input to fix (exit 2), said before any work starts. */
final class ExistingTables {
  private ExistingTables() {}

  static List<TableRef> require(SparkSession spark, List<TableRef> tables) {
    for (TableRef table : tables) {
      if (!Tables.exists(spark, table)) {
        throw new BadInputException("Unknown table " + table + ": no such table in catalog "
            + table.catalog() + " (check --table or --dataset; list tables with: sql \"SHOW TABLES IN "
            + table.catalog() + "." + table.namespace() + "\")");
      }
    }
    return tables;
  }

  static TableRef require(SparkSession spark, TableRef table) {
    return require(spark, List.of(table)).get(0);
  }
}
