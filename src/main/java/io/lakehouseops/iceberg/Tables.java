package io.lakehouseops.iceberg;

import io.lakehouseops.config.Identifiers;
import io.lakehouseops.config.TableRef;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException;
import org.apache.spark.sql.types.StructType;

/** Small, safe operations on catalog tables: existence, creation, loading. */
public final class Tables {
  private Tables() {}

  public static boolean exists(SparkSession spark, TableRef table) {
    return spark.catalog().tableExists(table.name());
  }

  public static Table load(SparkSession spark, TableRef table) {
    try {
      return Spark3Util.loadIcebergTable(spark, table.name());
    } catch (Exception e) { // Spark's ParseException / NoSuchTableException are checked in Scala
      throw new IllegalStateException("Cannot load table " + table + ": " + e.getMessage(), e);
    }
  }

  /** Appends rows to an existing table, the run's lineage on the commit. */
  public static void append(Dataset<Row> rows, TableRef table) {
    try {
      RunLineage.sparkWrites(Map.of(), () -> {
        rows.writeTo(table.name()).append();
        return null;
      });
    } catch (RuntimeException e) {
      // A checked exception (NoSuchTableException) comes wrapped by CommitMetadata: named here.
      throw e.getClass() == RuntimeException.class && e.getCause() != null
          ? new IllegalStateException("Cannot append to " + table + ": " + e.getCause().getMessage(), e.getCause()) : e;
    }
  }

  /**
   * Creates an Iceberg v2 table if it does not exist yet; a concurrent creation by another job
   * is fine. The first commit is empty, so the table always has a main branch to publish onto.
   */
  public static void createIfMissing(SparkSession spark, TableRef table, StructType schema,
      List<Column> partitioning, Map<String, String> properties) {
    if (exists(spark, table)) {
      return;
    }
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + Identifiers.quote(table.catalog()) + "."
        + Identifiers.quote(table.namespace()));
    var writer = spark.createDataFrame(List.<Row>of(), schema).writeTo(table.name())
        .using("iceberg").tableProperty("format-version", "2");
    for (Map.Entry<String, String> property : properties.entrySet()) {
      writer = writer.tableProperty(property.getKey(), property.getValue());
    }
    if (!partitioning.isEmpty()) {
      writer = writer.partitionedBy(partitioning.get(0),
          scala.collection.JavaConverters.asScalaBuffer(partitioning.subList(1, partitioning.size())).toSeq());
    }
    var create = writer;
    try {
      RunLineage.sparkWrites(Map.of(), () -> {
        create.create();
        return null;
      });
    } catch (RuntimeException e) {
      // Spark throws the checked TableAlreadyExistsException undeclared; CommitMetadata wraps it.
      Throwable exists = e.getCause() == null ? e : e.getCause();
      if (!(exists instanceof TableAlreadyExistsException)) {
        throw e;
      }
      return;
    }
    Table created = load(spark, table);
    if (created.currentSnapshot() == null) {
      // An empty first snapshot: branches (write-audit-publish) start from main.
      RunLineage.set(created.newAppend()).commit();
    }
  }
}
