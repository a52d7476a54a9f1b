package io.lakehouseops.ops;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * ops.quality_metrics: the metric history anomaly scoring compares a partition with. One row
 * per metric per gate run; only runs that passed make up the baseline.
 */
public final class QualityMetricsTable {
  public static final String NAME = "quality_metrics";
  static final StructType SCHEMA = new StructType()
      .add("dataset", DataTypes.StringType, false)
      .add("partition_key", DataTypes.StringType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("metric", DataTypes.StringType, false)
      .add("value", DataTypes.DoubleType)
      .add("gate_status", DataTypes.StringType, false)
      .add("recorded_at", DataTypes.TimestampType, false);

  private final SparkSession spark;
  private final TableRef table;

  public QualityMetricsTable(SparkSession spark, TableRef table) {
    this.spark = spark;
    this.table = table;
  }

  public void record(String dataset, String partitionKey, String runId, Map<String, Double> metrics,
      String gateStatus) {
    Timestamp now = Timestamp.from(Instant.now());
    List<Row> rows = new ArrayList<>();
    metrics.forEach((metric, value) -> rows.add(
        RowFactory.create(dataset, partitionKey, runId, metric, value, gateStatus, now)));
    OpsTables.append(spark, table, SCHEMA, rows);
  }

  /**
   * For each metric, the values of the newest {@code window} passed runs of the dataset,
   * newest first: one value per partition (its latest run), excluding the partition being
   * scored so a re-run is not compared with itself.
   */
  public Map<String, List<Double>> history(String dataset, String excludePartition, int window) {
    Map<String, List<Double>> history = new LinkedHashMap<>();
    if (!Tables.exists(spark, table)) {
      return history;
    }
    spark.sparkContext().setJobDescription("lakehouse-ops: read metric history of " + dataset);
    Dataset<Row> passed = spark.table(table.name())
        .filter(functions.col("dataset").equalTo(dataset)
            .and(functions.col("gate_status").equalTo("passed"))
            .and(functions.col("partition_key").notEqual(excludePartition)));
    Dataset<Row> latest = passed
        .withColumn("rn", functions.row_number().over(Window.partitionBy("metric", "partition_key")
            .orderBy(functions.col("recorded_at").desc())))
        .filter("rn = 1")
        .withColumn("age", functions.row_number().over(Window.partitionBy("metric")
            .orderBy(functions.col("recorded_at").desc())))
        .filter(functions.col("age").leq(window))
        .orderBy(functions.col("metric"), functions.col("age"));
    for (Row row : latest.select("metric", "value").collectAsList()) {
      if (!row.isNullAt(1)) {
        history.computeIfAbsent(row.getString(0), m -> new ArrayList<>()).add(row.getDouble(1));
      }
    }
    return history;
  }
}
