package io.lakehouseops.opstables;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * ops.quality_metrics: the metric history anomaly scoring compares a partition with, for one
 * kind of run (promote's raw partitions, backfill's event dates). Each partition holds one
 * current set of metrics per kind: a run's metrics replace, in the same commit, those an
 * earlier run of the kind recorded for the partition (a passed run replaces any; a failed run
 * only a failed one, so a published partition stays in the baseline). Only passed runs make up
 * the baseline.
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
      .add("recorded_at", DataTypes.TimestampType, false)
      .add("run_kind", DataTypes.StringType);

  private final SparkSession spark;
  private final TableRef table;
  private final RunKind kind;
  private String latestDataset;
  private List<Row> latest;

  public QualityMetricsTable(SparkSession spark, TableRef table, RunKind kind) {
    this.spark = spark;
    this.table = table;
    this.kind = kind;
  }

  public void record(String dataset, String partitionKey, String runId, Map<String, Double> metrics,
      GateStatus gateStatus) {
    record(List.of(new Metrics(dataset, partitionKey, runId, metrics, gateStatus)));
  }

  /** One gate run's metrics. */
  public record Metrics(String dataset, String partitionKey, String runId, Map<String, Double> values,
      GateStatus gateStatus) {}

  /** Several gate runs' metrics in one commit (a backfill chunk's dates), replacing earlier ones. */
  public void record(List<Metrics> runs) {
    Timestamp now = Timestamp.from(Instant.now());
    List<Row> rows = new ArrayList<>();
    for (Metrics run : runs) {
      run.values().forEach((metric, value) -> rows.add(RowFactory.create(run.dataset(), run.partitionKey(),
          run.runId(), metric, value, run.gateStatus().value(), now, kind.value())));
    }
    if (rows.isEmpty()) {
      return;
    }
    latestDataset = null; // the history changed
    Set<String> datasets = runs.stream().map(Metrics::dataset).collect(Collectors.toSet());
    Set<String> partitions = runs.stream().map(Metrics::partitionKey).collect(Collectors.toSet());
    OpsTables.upsert(spark, table, SCHEMA, rows,
        Expressions.and(Expressions.in("dataset", datasets.toArray()),
            Expressions.in("partition_key", partitions.toArray())),
        replacedBy(runs));
  }

  /** Rows of the runs' partitions and kind that the runs supersede. */
  private Predicate<Record> replacedBy(List<Metrics> runs) {
    Map<List<String>, GateStatus> statuses = new LinkedHashMap<>();
    runs.forEach(run -> statuses.put(List.of(run.dataset(), run.partitionKey()), run.gateStatus()));
    return row -> {
      GateStatus by = statuses.get(List.of(row.getField("dataset"), row.getField("partition_key")));
      return by != null && RunKind.of((String) row.getField("run_kind")) == kind
          && (by == GateStatus.PASSED || by.value().equals(row.getField("gate_status")));
    };
  }

  /**
   * For each metric, the values of the newest {@code window} passed runs of the dataset and
   * this kind, newest first: one value per partition (its latest run), excluding the partition
   * being scored so a re-run is not compared with itself. comparable: the partitions that may
   * be compared with it (all, or the same day of the week).
   */
  public Map<String, List<Double>> history(String dataset, String excludePartition, int window,
      Predicate<String> comparable) {
    Map<String, List<Double>> history = new LinkedHashMap<>();
    List<Row> runs = latestRuns(dataset).stream()
        .filter(row -> !row.getString(1).equals(excludePartition) && comparable.test(row.getString(1))).toList();
    Map<String, List<Row>> byMetric = new TreeMap<>();
    runs.forEach(row -> byMetric.computeIfAbsent(row.getString(0), m -> new ArrayList<>()).add(row));
    byMetric.forEach((metric, rows) -> {
      List<Row> newestFirst = new ArrayList<>(rows);
      newestFirst.sort(Comparator.comparing((Row row) -> row.getTimestamp(3)).reversed());
      for (Row row : newestFirst.subList(0, Math.min(window, newestFirst.size()))) {
        if (!row.isNullAt(2)) {
          history.computeIfAbsent(metric, m -> new ArrayList<>()).add(row.getDouble(2));
        }
      }
    });
    return history;
  }

  /**
   * The newest passed run of each metric and partition of the dataset and kind, read once and
   * kept until this table records something (a backfill gates a chunk's dates one after
   * another against the same history). One scan, collected: the newest per partition and the
   * newest `window` are picked on the driver (older versions of the table may hold several
   * runs of a partition). An aggregate returned about as many rows, and its shuffle was one
   * more Spark job on every gate; two window functions had cost a dozen.
   */
  private List<Row> latestRuns(String dataset) {
    if (dataset.equals(latestDataset)) {
      return latest;
    }
    Map<List<String>, Row> newest = new LinkedHashMap<>();
    if (Tables.exists(spark, table)) {
      spark.sparkContext().setJobDescription("lakehouse-ops: read metric history of " + dataset);
      Dataset<Row> metrics = spark.table(table.name());
      // A table of an older version has no run_kind until this version first records to it.
      Column runKind = List.of(metrics.columns()).contains("run_kind") ? functions.col("run_kind")
          : functions.lit(null).cast(DataTypes.StringType);
      List<Row> runs = metrics
          .filter(functions.col("dataset").equalTo(dataset)
              .and(functions.col("gate_status").equalTo(GateStatus.PASSED.value())))
          .select(functions.col("metric"), functions.col("partition_key"), functions.col("value"),
              functions.col("recorded_at"), runKind)
          .collectAsList();
      for (Row run : runs) {
        if (RunKind.of(run.getString(4)) == kind) {
          newest.merge(List.of(run.getString(0), run.getString(1)), run,
              (kept, other) -> other.getTimestamp(3).after(kept.getTimestamp(3)) ? other : kept);
        }
      }
    }
    latestDataset = dataset;
    latest = List.copyOf(newest.values());
    return latest;
  }
}
