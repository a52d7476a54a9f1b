package io.lakehouseops.opstables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * ops.data_quality_runs: why a partition was published or blocked, one row per gate run. A
 * promote's passed row is also the durable record of its publish (details.published_from, the
 * raw partition; details.source_fingerprint, its files): snapshots expire, these rows stay.
 */
public final class QualityRunsTable {
  public static final String NAME = "data_quality_runs";
  public static final String PUBLISHED_FROM = "published_from";
  public static final String SOURCE_FINGERPRINT = "source_fingerprint";
  public static final String TABLE_UUID = "table_uuid";
  private static final ObjectMapper JSON = new ObjectMapper();
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
    OpsTables.append(spark, new OpsTables.OpsTable(table, SCHEMA, "run_at"), runs.stream().map(run -> RowFactory.create(
        run.runId(), run.dagRunId(), run.dataset(), run.partitionKey(), run.status().value(), run.rulesPassed(),
        run.rulesFailed(), run.anomalyScore(), run.rowCount(), run.snapshotId(), now, run.detailsJson())).toList());
  }

  /**
   * The newest passed run that published the raw partition at source, or null. Read from the
   * driver through Iceberg's generic reader: the filter prunes the table's files by their
   * column bounds, so only the partition's own rows are opened (no Spark job). tableUuid: the
   * curated table's; a row recorded for another table of the name (dropped since) is skipped.
   */
  public PublishedRun lastPublished(String dataset, String partitionKey, String source, String tableUuid) {
    if (!Tables.exists(spark, table)) {
      return null;
    }
    Table iceberg = Tables.load(spark, table);
    iceberg.refresh();
    PublishedRun newest = null;
    try (CloseableIterable<Record> rows = IcebergGenerics.read(iceberg)
        .where(Expressions.and(Expressions.equal("dataset", dataset),
            Expressions.equal("partition_key", partitionKey), Expressions.equal("status", GateStatus.PASSED.value())))
        .select("dataset", "partition_key", "status", "run_id", "snapshot_id", "run_at", "details").build()) {
      for (Record row : rows) {
        PublishedRun run = publishedRun(row, dataset, partitionKey, source, tableUuid);
        if (run != null && (newest == null || run.publishedAt().isAfter(newest.publishedAt()))) {
          newest = run;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + table + " for the publish record of " + dataset + " "
          + partitionKey, e);
    }
    return newest;
  }

  /** The row as a publish record when it is one of source (the reader's filter prunes; rows are checked here). */
  private static PublishedRun publishedRun(Record row, String dataset, String partitionKey, String source,
      String tableUuid) {
    if (!dataset.equals(row.getField("dataset")) || !partitionKey.equals(row.getField("partition_key"))
        || !GateStatus.PASSED.value().equals(row.getField("status")) || row.getField("details") == null) {
      return null;
    }
    JsonNode details;
    try {
      details = JSON.readTree((String) row.getField("details"));
    } catch (IOException e) {
      return null; // a row written by hand, not by a run
    }
    if (!source.equals(details.path(PUBLISHED_FROM).asText(null))
        || !tableUuid.equals(details.path(TABLE_UUID).asText(null))) {
      return null;
    }
    Object runAt = row.getField("run_at");
    Instant at = runAt instanceof OffsetDateTime time ? time.toInstant() : Instant.EPOCH;
    return new PublishedRun((String) row.getField("run_id"), (Long) row.getField("snapshot_id"), at,
        details.path(SOURCE_FINGERPRINT).asText(null), true);
  }
}
