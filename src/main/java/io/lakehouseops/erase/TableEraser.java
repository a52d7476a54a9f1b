package io.lakehouseops.erase;

import io.lakehouseops.config.Messages;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.faults.FaultInjection;
import io.lakehouseops.iceberg.RunLineage;
import io.lakehouseops.iceberg.Tables;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the subjects' rows from one table's current snapshot by rewriting the data files
 * that hold them, on Iceberg's rewrite machinery (as compaction does): each file's rows read
 * with its deletes applied, the subjects' rows left out, new files written, one `replace`
 * commit validated against concurrent commits. Delete files scoped to a rewritten file go
 * with it. Only the files that hold a subject are touched.
 */
final class TableEraser {
  private static final Logger LOG = LoggerFactory.getLogger(TableEraser.class);
  /** Snapshot summary property of an erasure's commits: the request id. */
  static final String REQUEST_PROPERTY = "lakehouse.erase-request-id";

  private final SparkSession spark;
  private final TableRef ref;
  private final Subjects subjects;

  TableEraser(SparkSession spark, TableRef ref, Subjects subjects) {
    this.spark = spark;
    this.ref = ref;
    this.subjects = subjects;
  }

  /**
   * What the current snapshot holds of the subjects: rows per data file (those with any), the
   * data files read, and the table's rows.
   */
  record Found(TableRef table, Long snapshotId, Map<String, Long> rowsByFile, Set<String> scanned, long tableRows) {
    long rows() {
      return rowsByFile.values().stream().mapToLong(Long::longValue).sum();
    }

    boolean any() {
      return !rowsByFile.isEmpty();
    }
  }

  Found find() {
    Table table = Tables.load(spark, ref);
    table.refresh();
    Snapshot current = table.currentSnapshot();
    if (current == null) {
      return new Found(ref, null, Map.of(), Set.of(), 0);
    }
    spark.sparkContext().setJobDescription("lakehouse-ops erase: find the subjects' rows in " + ref);
    Map<String, FileScanTask> tasks = DataFilesScan.tasks(table, current);
    Map<String, Long> rows = new DataFilesScan(spark).matchingRows(DataFilesScan.locations(tasks), subjects);
    long total = Long.parseLong(current.summary().getOrDefault("total-records", "0"));
    return new Found(ref, current.snapshotId(), rows, Set.copyOf(tasks.keySet()), total);
  }

  /** What a rewrite committed: the files replaced and written, the snapshot, the rows left out. */
  record Rewritten(long snapshotId, int filesRemoved, int filesAdded, int deleteFilesRemoved, long rowsRemoved) {}

  Rewritten rewrite(Found found, String requestId) {
    Table table = Tables.load(spark, ref);
    Snapshot start = table.snapshot(found.snapshotId());
    List<FileScanTask> tasks = DataFilesScan.tasks(table, start).values().stream()
        .filter(task -> found.rowsByFile().containsKey(task.file().location())).toList();
    Map<Integer, List<FileScanTask>> bySpec = tasks.stream()
        .collect(Collectors.groupingBy(t -> t.file().specId(), LinkedHashMap::new, Collectors.toList()));
    List<DataFile> added = new ArrayList<>();
    for (Map.Entry<Integer, List<FileScanTask>> spec : bySpec.entrySet()) {
      added.addAll(write(table, spec.getKey(), spec.getValue()));
    }
    FaultInjection.point("erase.before-commit");
    RewriteFiles rewrite = RunLineage.set(table.newRewrite()
        .validateFromSnapshot(start.snapshotId())
        .dataSequenceNumber(start.sequenceNumber()))
        .set(REQUEST_PROPERTY, requestId)
        .set("lakehouse.erase-rows-removed", Long.toString(found.rows()));
    Set<String> deletes = new HashSet<>();
    for (FileScanTask task : tasks) {
      rewrite.deleteFile(task.file());
      for (DeleteFile delete : task.deletes()) {
        // A delete file of this data file alone (a deletion vector, a file-scoped position
        // delete) has nothing left to delete from; others still apply to other files.
        if (task.file().location().equals(delete.referencedDataFile()) && deletes.add(delete.location())) {
          rewrite.deleteFile(delete);
        }
      }
    }
    added.forEach(rewrite::addFile);
    try {
      rewrite.commit();
    } catch (ValidationException | CommitFailedException e) {
      // Refused (a concurrent commit changed these files): nothing references the new files.
      added.forEach(file -> table.io().deleteFile(file.location()));
      throw new ConcurrentChangeException("A concurrent commit to " + ref + " changed the files that hold the "
          + "subjects (" + Messages.oneLine(e.getMessage()) + "); nothing was erased from it: re-run the request", e);
    }
    table.refresh();
    long snapshot = table.currentSnapshot().snapshotId();
    LOG.info("Erased {} rows from {}: {} data files rewritten into {}, {} delete files dropped (snapshot {})",
        found.rows(), ref, tasks.size(), added.size(), deletes.size(), snapshot);
    return new Rewritten(snapshot, tasks.size(), added.size(), deletes.size(), found.rows());
  }

  /** The files' rows, deletes applied, less the subjects', written as new files of the spec. */
  private List<DataFile> write(Table table, int specId, List<FileScanTask> tasks) {
    String groupId = UUID.randomUUID().toString();
    SparkTableCache.get().add(groupId, table);
    ScanTaskSetManager.get().stageTasks(table, groupId, tasks);
    try {
      spark.sparkContext().setJobDescription("lakehouse-ops erase: rewrite " + tasks.size() + " files of " + ref);
      Dataset<Row> rows = spark.read().format("iceberg").option(SparkReadOptions.SCAN_TASK_SET_ID, groupId)
          .load(groupId);
      subjects.remaining(rows).write().format("iceberg")
          .option(SparkWriteOptions.REWRITTEN_FILE_SCAN_TASK_SET_ID, groupId)
          .option(SparkWriteOptions.USE_TABLE_DISTRIBUTION_AND_ORDERING, "false")
          // The files of several partitions are read together: each task writes every partition it has.
          .option(SparkWriteOptions.FANOUT_ENABLED, "true")
          .option(SparkWriteOptions.OUTPUT_SPEC_ID, specId)
          .mode("append")
          .save(groupId);
      return List.copyOf(FileRewriteCoordinator.get().fetchNewFiles(table, groupId));
    } finally {
      SparkTableCache.get().remove(groupId);
      ScanTaskSetManager.get().removeTasks(table, groupId);
      FileRewriteCoordinator.get().clearRewrite(table, groupId);
    }
  }

  /** A commit of another writer touched the same files: re-run. */
  static final class ConcurrentChangeException extends RuntimeException {
    ConcurrentChangeException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
