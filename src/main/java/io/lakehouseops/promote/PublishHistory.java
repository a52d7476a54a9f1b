package io.lakehouseops.promote;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.opstables.PublishedRun;
import io.lakehouseops.opstables.QualityRunsTable;
import java.time.Instant;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.sql.SparkSession;

/**
 * Whether a raw partition was published before, and by which run: from its passed quality-run
 * row (durable: snapshots expire), else from main's lineage (a run stopped between its publish
 * and that row). A record made for an earlier table of the same name (dropped, created again)
 * is not one of this table's.
 */
final class PublishHistory {
  static final String COMMAND = "lakehouse.command";
  static final String RUN_ID = "lakehouse.run-id";
  static final String SOURCE_PARTITION = "lakehouse.source-partition";
  static final String SOURCE_FINGERPRINT = "lakehouse.source-fingerprint";

  private final SparkSession spark;
  private final DatasetSettings dataset;
  private final QualityRunsTable qualityRuns;

  PublishHistory(SparkSession spark, DatasetSettings dataset, QualityRunsTable qualityRuns) {
    this.spark = spark;
    this.dataset = dataset;
    this.qualityRuns = qualityRuns;
  }

  /** The newest publish of the raw partition at source into the curated table, or null. */
  PublishedRun last(RawPartition partition, String source) {
    if (!Tables.exists(spark, dataset.table())) {
      return null;
    }
    Table table = Tables.load(spark, dataset.table());
    table.refresh();
    PublishedRun recorded = qualityRuns.lastPublished(dataset.name(), partition.key(), source,
        table.uuid().toString());
    return recorded != null ? recorded : fromLineage(table, source);
  }

  private static PublishedRun fromLineage(Table table, String source) {
    if (table.currentSnapshot() == null) {
      return null;
    }
    for (Snapshot snapshot : SnapshotUtil.ancestorsOf(table.currentSnapshot().snapshotId(), table::snapshot)) {
      Map<String, String> summary = snapshot.summary();
      if (source.equals(summary.get(SOURCE_PARTITION)) && "promote".equals(summary.get(COMMAND))) {
        return new PublishedRun(summary.get(RUN_ID), snapshot.snapshotId(),
            Instant.ofEpochMilli(snapshot.timestampMillis()), summary.get(SOURCE_FINGERPRINT), false);
      }
    }
    return null;
  }
}
