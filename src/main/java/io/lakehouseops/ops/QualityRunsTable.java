package io.lakehouseops.ops;

import io.lakehouseops.config.TableRef;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** ops.data_quality_runs: why a partition was published or blocked, one row per gate run. */
public final class QualityRunsTable {
  public static final String NAME = "data_quality_runs";
  static final StructType SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType, false)
      .add("dag_run_id", DataTypes.StringType)
      .add("dataset", DataTypes.StringType, false)
      .add("partition_key", DataTypes.StringType, false)
      .add("status", DataTypes.StringType, false)
      .add("rules_passed", DataTypes.IntegerType)
      .add("rules_failed", DataTypes.IntegerType)
      .add("anomaly_score", DataTypes.DoubleType)
      .add("row_count", DataTypes.LongType)
      .add("snapshot_id", DataTypes.LongType)
      .add("run_at", DataTypes.TimestampType, false)
      .add("details", DataTypes.StringType);

  private final SparkSession spark;
  private final TableRef table;

  public QualityRunsTable(SparkSession spark, TableRef table) {
    this.spark = spark;
    this.table = table;
  }

  public void record(QualityRun run) {
    record(List.of(run));
  }

  /** Several runs in one append (one commit), e.g. a backfill chunk's dates. */
  public void record(List<QualityRun> runs) {
    Timestamp now = Timestamp.from(Instant.now());
    OpsTables.append(spark, table, SCHEMA, runs.stream().map(run -> RowFactory.create(run.runId(),
        run.dagRunId(), run.dataset(), run.partitionKey(), run.status(), run.rulesPassed(), run.rulesFailed(),
        run.anomalyScore(), run.rowCount(), run.snapshotId(), now, run.detailsJson())).toList());
  }
}
