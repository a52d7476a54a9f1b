package io.lakehouseops.opstables;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * ops.tiering_log: one row per object tier looked at and moved (or found already moved, or
 * failed). compact reads it to leave cold partitions alone; health to report bytes per class.
 */
public final class TieringLog {
  public static final String NAME = "tiering_log";
  static final StructType SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType, false)
      .add("table_name", DataTypes.StringType, false)
      .add("file_path", DataTypes.StringType, false)
      .add("partition", DataTypes.StringType)
      .add("from_class", DataTypes.StringType)
      .add("to_class", DataTypes.StringType, false)
      .add("bytes", DataTypes.LongType)
      .add("moved_at", DataTypes.TimestampType, false)
      .add("status", DataTypes.StringType, false)
      .add("error", DataTypes.StringType);

  /** One ledger row. */
  public record Entry(String runId, String table, String filePath, String partition, String fromClass,
      String toClass, long bytes, Timestamp at, TieringStatus status, String error) {}

  private final SparkSession spark;
  private final TableRef log;

  public TieringLog(SparkSession spark, TableRef log) {
    this.spark = spark;
    this.log = log;
  }

  public void record(List<Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    OpsTables.append(spark, new OpsTables.OpsTable(log, SCHEMA, "moved_at"),
        entries.stream().map(e -> RowFactory.create(e.runId(), e.table(), e.filePath(), e.partition(),
            e.fromClass(), e.toClass(), e.bytes(), e.at(), e.status().value(), e.error())).toList());
  }

  /** The class each file of the table was last moved to (or found in), by path. */
  public Map<String, String> currentClasses(TableRef table) {
    Map<String, String> classes = new HashMap<>();
    currentClassRows(table).collectAsList().forEach(r -> classes.put(r.getString(0), r.getString(1)));
    return classes;
  }

  /** Whether anything was ever tiered (the log is made by the first tier run). */
  public boolean exists() {
    return Tables.exists(spark, log);
  }

  /** (file_path, to_class) of the table's files the ledger knows, newest entry per file. */
  private Dataset<Row> currentClassRows(TableRef table) {
    if (!Tables.exists(spark, log)) {
      return spark.createDataFrame(List.<Row>of(), new StructType()
          .add("file_path", DataTypes.StringType).add("to_class", DataTypes.StringType));
    }
    spark.sparkContext().setJobDescription("lakehouse-ops: read " + log + " for " + table);
    return spark.table(log.name())
        .filter(functions.col("table_name").equalTo(table.name())
            .and(functions.col("status").isin(TieringStatus.MOVED.value(), TieringStatus.ALREADY_IN_CLASS.value())))
        .withColumn("rn", functions.row_number().over(
            Window.partitionBy("file_path").orderBy(functions.col("moved_at").desc())))
        .filter("rn = 1").select("file_path", "to_class");
  }
}
