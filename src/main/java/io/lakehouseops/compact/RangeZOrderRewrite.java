package io.lakehouseops.compact;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.RewriteFileGroup;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.spark.FileRewriteCoordinator;
import org.apache.iceberg.spark.ScanTaskSetManager;
import org.apache.iceberg.spark.SparkReadOptions;
import org.apache.iceberg.spark.SparkTableCache;
import org.apache.iceberg.spark.SparkWriteOptions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Z-order compaction with range-scaled columns (see CurveValue), run on Iceberg's own rewrite
 * machinery: the file groups of Iceberg's planner, read and written through its rewrite
 * coordination (the files of a group in, new files out, nothing visible), then committed as
 * a rewrite (a `replace` snapshot) validated against commits since the start, with the
 * starting data sequence number so concurrent equality deletes still apply. A group that
 * fails to commit deletes the files it wrote.
 */
final class RangeZOrderRewrite {
  private static final Logger LOG = LoggerFactory.getLogger(RangeZOrderRewrite.class);
  private static final String Z = "_lakehouse_z";

  private final SparkSession spark;
  private final Table table;
  private final Curve curve;
  private final List<String> columns;
  private final Map<String, String> commitProperties;
  private final boolean partialProgress;

  RangeZOrderRewrite(SparkSession spark, Table table, Curve curve, List<String> columns,
      Map<String, String> commitProperties, boolean partialProgress) {
    this.spark = spark;
    this.table = table;
    this.curve = curve;
    this.columns = columns;
    this.commitProperties = commitProperties;
    this.partialProgress = partialProgress;
  }

  RewriteSummary execute(List<RewriteFileGroup> groups) {
    Snapshot start = table.currentSnapshot();
    List<String> failed = new ArrayList<>();
    List<Written> pending = new ArrayList<>();
    List<Written> committed = new ArrayList<>();
    for (RewriteFileGroup group : groups) {
      Written written = new Written(group, rewrite(group));
      if (!partialProgress) {
        pending.add(written);
        continue;
      }
      // Partial progress: each group is its own commit; a conflict loses only that group.
      try {
        commit(start, List.of(written));
        committed.add(written);
      } catch (ValidationException | CommitFailedException e) {
        LOG.warn("Group {} of {} not committed: {}", group.info().partition(), table.name(), e.getMessage());
        failed.add(group.info().partition() + " (" + group.inputFileNum() + " files)");
      }
    }
    if (!pending.isEmpty()) {
      commit(start, pending); // one commit for all: a conflict fails the whole rewrite
      committed.addAll(pending);
    }
    // No delete file removed here: compact counts them from the commits.
    return new RewriteSummary(committed.stream()
        .map(w -> CompactResult.PlannedGroup.of(w.group(), w.added().size())).toList(), failed, 0);
  }

  /** Writes one group's rows in z-order to new files (not yet part of the table). */
  private Set<DataFile> rewrite(RewriteFileGroup group) {
    String groupId = UUID.randomUUID().toString();
    SparkTableCache.get().add(groupId, table);
    ScanTaskSetManager.get().stageTasks(table, groupId, group.fileScanTasks());
    try {
      Dataset<Row> rows = spark.read().format("iceberg").option(SparkReadOptions.SCAN_TASK_SET_ID, groupId)
          .load(groupId);
      Dataset<Row> ordered = rows.withColumn(Z, CurveValue.of(curve, table.schema(), columns, group.fileScanTasks(), rows))
          .repartitionByRange(Math.max(1, group.expectedOutputFiles()), functions.col(Z))
          .sortWithinPartitions(Z)
          .drop(Z);
      ordered.write().format("iceberg")
          .option(SparkWriteOptions.REWRITTEN_FILE_SCAN_TASK_SET_ID, groupId)
          .option(SparkWriteOptions.TARGET_FILE_SIZE_BYTES, group.maxOutputFileSize())
          .option(SparkWriteOptions.USE_TABLE_DISTRIBUTION_AND_ORDERING, "false")
          .option(SparkWriteOptions.OUTPUT_SPEC_ID, group.outputSpecId())
          .mode("append")
          .save(groupId);
      return FileRewriteCoordinator.get().fetchNewFiles(table, groupId);
    } finally {
      SparkTableCache.get().remove(groupId);
      ScanTaskSetManager.get().removeTasks(table, groupId);
      FileRewriteCoordinator.get().clearRewrite(table, groupId);
    }
  }

  private void commit(Snapshot start, List<Written> groups) {
    RewriteFiles rewrite = table.newRewrite();
    if (start != null) {
      rewrite = rewrite.validateFromSnapshot(start.snapshotId()).dataSequenceNumber(start.sequenceNumber());
    }
    for (Written written : groups) {
      written.group().rewrittenFiles().forEach(rewrite::deleteFile);
      written.added().forEach(rewrite::addFile);
    }
    for (Map.Entry<String, String> property : commitProperties.entrySet()) {
      rewrite = rewrite.set(property.getKey(), property.getValue());
    }
    try {
      rewrite.commit();
    } catch (ValidationException | CommitFailedException e) {
      // Refused: nothing references the new files, so remove them rather than leave orphans.
      // (Not on CommitStateUnknownException: the commit may have happened.)
      groups.forEach(w -> w.added().forEach(file -> table.io().deleteFile(file.location())));
      throw e;
    }
  }

  private record Written(RewriteFileGroup group, Set<DataFile> added) {}
}
