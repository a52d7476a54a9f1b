package io.lakehouseops.opstables;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
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
  private String latestDataset;
  private List<Row> latest;

  public QualityMetricsTable(SparkSession spark, TableRef table) {
    this.spark = spark;
    this.table = table;
  }

  public void record(String dataset, String partitionKey, String runId, Map<String, Double> metrics,
      GateStatus gateStatus) {
    record(List.of(new Metrics(dataset, partitionKey, runId, metrics, gateStatus)));
  }

  /** One gate run's metrics. */
  public record Metrics(String dataset, String partitionKey, String runId, Map<String, Double> values,
      GateStatus gateStatus) {}

  /** Several gate runs' metrics in one append (one commit), e.g. a backfill chunk's dates. */
  public void record(List<Metrics> runs) {
    Timestamp now = Timestamp.from(Instant.now());
    List<Row> rows = new ArrayList<>();
    for (Metrics run : runs) {
      run.values().forEach((metric, value) -> rows.add(RowFactory.create(run.dataset(), run.partitionKey(),
          run.runId(), metric, value, run.gateStatus().value(), now)));
    }
    if (!rows.isEmpty()) {
      latestDataset = null; // the history changed
      OpsTables.append(spark, table, SCHEMA, rows);
    }
  }

  /**
   * For each metric, the values of the newest {@code window} passed runs of the dataset,
   * newest first: one value per partition (its latest run), excluding the partition being
   * scored so a re-run is not compared with itself.
   */
  public Map<String, List<Double>> history(String dataset, String excludePartition, int window) {
    Map<String, List<Double>> history = new LinkedHashMap<>();
    List<Row> runs = latestRuns(dataset).stream()
        .filter(row -> !row.getString(1).equals(excludePartition)).toList();
    Map<String, List<Row>> byMetric = new java.util.TreeMap<>();
    runs.forEach(row -> byMetric.computeIfAbsent(row.getString(0), m -> new ArrayList<>()).add(row));
    byMetric.forEach((metric, rows) -> {
      rows.sort(java.util.Comparator.comparing((Row row) -> row.getTimestamp(3)).reversed());
      for (Row row : rows.subList(0, Math.min(window, rows.size()))) {
        if (!row.isNullAt(2)) {
          history.computeIfAbsent(metric, m -> new ArrayList<>()).add(row.getDouble(2));
        }
      }
    });
    return history;
  }

  /**
   * The newest passed run of each metric and partition of the dataset, read once and kept
   * until this table records something (a backfill gates a chunk's dates one after another
   * against the same history). One scan, collected: the newest per partition and the newest
   * `window` are picked on the driver. A partition has one passed run as a rule, so an
   * aggregate returned about as many rows, and its shuffle was one more Spark job on every
   * gate; two window functions had cost a dozen.
   */
  private List<Row> latestRuns(String dataset) {
    if (dataset.equals(latestDataset)) {
      return latest;
    }
    Map<List<String>, Row> newest = new LinkedHashMap<>();
    if (Tables.exists(spark, table)) {
      spark.sparkContext().setJobDescription("lakehouse-ops: read metric history of " + dataset);
      List<Row> runs = spark.table(table.name())
          .filter(functions.col("dataset").equalTo(dataset)
              .and(functions.col("gate_status").equalTo(GateStatus.PASSED.value())))
          .select("metric", "partition_key", "value", "recorded_at")
          .collectAsList();
      for (Row run : runs) {
        newest.merge(List.of(run.getString(0), run.getString(1)), run,
            (kept, other) -> other.getTimestamp(3).after(kept.getTimestamp(3)) ? other : kept);
      }
    }
    latestDataset = dataset;
    latest = List.copyOf(newest.values());
    return latest;
  }
}
