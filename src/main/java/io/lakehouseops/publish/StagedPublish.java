package io.lakehouseops.publish;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.faults.FaultInjection;
import io.lakehouseops.iceberg.Tables;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Write-audit-publish of a batch written before its gate: stage appends it to an audit branch
 * made from main; publish fast-forwards main to that snapshot when it is what a MERGE would
 * make (every key unique and new to main's rows of its dates), so the rows are written once.
 * Otherwise the rows are published as any batch is (WriteAuditPublish) and closing the staged
 * append discards its snapshot.
 */
public final class StagedPublish {
  private static final Logger LOG = LoggerFactory.getLogger(StagedPublish.class);
  /** The most batch rows broadcast to a join with main's rows (see smallBatch). */
  private static final long BROADCAST_ROWS = 100_000;

  private final SparkSession spark;
  private final TableRef table;
  private final List<String> keys;
  private final String eventTime;
  private final WriteAuditPublish merged;
  private final AuditBranch branches;
  private final BranchAudit audit;
  private final TableReads reads;

  /** merged: how a batch that cannot be fast-forwarded is published. */
  public StagedPublish(SparkSession spark, TableRef table, List<String> keys, String eventTime,
      WriteAuditPublish merged) {
    this.spark = spark;
    this.table = table;
    this.keys = keys;
    this.eventTime = eventTime;
    this.merged = merged;
    this.branches = new AuditBranch(spark, table);
    this.audit = new BranchAudit(table, keys, eventTime);
    this.reads = new TableReads(spark, table, eventTime);
  }

  /**
   * Writes a batch before it is gated: appends it to a new audit branch made from main (a
   * branch of its own, so main is untouched), for publish to fast-forward or to drop.
   * Needs a table with a snapshot; close the result (after the publish) to drop the branch.
   */
  public StagedAppend stage(Dataset<Row> batch, String runId, Map<String, String> commitProperties) {
    Table iceberg = Tables.load(spark, table);
    iceberg.refresh();
    long base = iceberg.currentSnapshot().snapshotId();
    String branch = AuditBranch.name(runId) + "_staged";
    iceberg.manageSnapshots().createBranch(branch, base).commit();
    StagedAppend staged;
    try {
      branches.append(branch, batch, commitProperties);
      iceberg.refresh();
      Snapshot appended = iceberg.snapshot(iceberg.refs().get(branch).snapshotId());
      long committed = Long.parseLong(appended.summary().getOrDefault(SnapshotSummary.ADDED_RECORDS_PROP, "0"));
      List<DataFile> files = new ArrayList<>();
      appended.addedDataFiles(iceberg.io()).forEach(files::add);
      staged = new StagedAppend(spark, table, branch, base, appended.snapshotId(), committed, keys, eventTime,
          commitProperties, files);
    } catch (RuntimeException e) {
      branches.drop(branch);
      throw e;
    }
    FaultInjection.point("promote.after-branch-write");
    return staged;
  }

  /**
   * Publishes a staged batch. rows: every staged row as written, or their deduped form when
   * the staged audit found a key twice. When every key is unique and new to main's rows of
   * its dates, the branch already holds what a MERGE would: main is fast-forwarded to it, the
   * rows written once. Otherwise (a repeated key, keys main has, a main that moved meanwhile)
   * rows are published as any batch is, and closing staged discards its snapshot.
   */
  public PublishResult publish(StagedAppend staged, Dataset<Row> rows, String runId,
      Map<String, String> commitProperties) {
    KeyCounts written = staged.written();
    if (written != null && written.keysUnique() && !written.byDate().isEmpty()) {
      Optional<PublishResult> fastForwarded = fastForward(staged, rows, written);
      if (fastForwarded.isPresent()) {
        return fastForwarded.get();
      }
    } else {
      LOG.info("The rows written for {} repeat a key, lack one or lack an event date: they are published as a "
          + "batch of their own", table);
    }
    // Cached before the MERGE: a snapshot-pinned read cannot be planned under spark.wap.branch.
    // The staged files stay until the caller closes the staged append, after this publish.
    Dataset<Row> batch = rows.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    try {
      return merged.publish(batch, runId, commitProperties);
    } finally {
      batch.unpersist();
    }
  }

  /**
   * Main to the staged snapshot when that is what the MERGE would make of it; empty when it is
   * not (the caller merges instead). The branch's rows in dates main has no row in are the
   * written ones, which the staged audit read back (each key once, the committed count); where
   * rows were deleted from the branch since, they are counted again as Iceberg applies those
   * deletes (by their keys' hashes, no shuffle). The dates main has rows in (late events) are
   * audited on the batch's rows there alone (lateRowsAreNew).
   */
  private Optional<PublishResult> fastForward(StagedAppend staged, Dataset<Row> rows, KeyCounts written) {
    Table iceberg = Tables.load(spark, table);
    iceberg.refresh();
    if (iceberg.currentSnapshot() == null || iceberg.currentSnapshot().snapshotId() != staged.base()) {
      LOG.info("Main of {} moved since the batch was staged (a concurrent commit); merging instead", table);
      return Optional.empty();
    }
    List<Date> dates = written.byDate().keySet().stream().map(Date::valueOf).toList();
    List<Date> mainDates = reads.datesOfMain(iceberg, staged.base(), dates);
    if (!mainDates.isEmpty() && !lateRowsAreNew(staged, rows, written, mainDates)) {
      return Optional.empty();
    }
    List<Date> newDates = dates.stream().filter(d -> !mainDates.contains(d)).toList();
    if (staged.droppedRows() > 0 && !newDates.isEmpty()) {
      audit.checkWritten(staged.branch(), reads.branchRows(staged.branch(), newDates),
          rowsIn(written.byDate(), newDates));
    }
    FaultInjection.point("promote.before-fast-forward");
    iceberg.refresh();
    try {
      branches.fastForwardMain(iceberg, staged.branch(), staged.base());
    } catch (AuditBranch.MainMovedException e) {
      LOG.info("Main of {} moved before the fast-forward (a concurrent commit); merging instead", table);
      return Optional.empty();
    }
    PublishResult published = PublishResult.of(staged.snapshot(), ChangeCounter.allNew(written.byDate()).byDate());
    LOG.info("Published snapshot {} of {} to main ({} inserted; written before the gate, all keys new)",
        staged.snapshot(), table, published.rowsInserted());
    staged.published();
    FaultInjection.point("promote.after-fast-forward");
    return Optional.of(published);
  }

  /**
   * The audit of the batch's rows in dates main has rows in (late events), appended there to
   * main's rows on the branch: true when it passes and every one of them is new to main; false
   * when one is not (the caller merges instead). One read of the branch's rows of those dates
   * answers both: none of main's rows there may share a late row's key, and the written files
   * must hold the late rows, no more and no fewer, as Iceberg applies the branch's deletes.
   * Main's rows there are the base snapshot's by construction: the branch starts at it, and the
   * only deletes after the append name the append's own files (PositionDeletes), so they are not
   * counted again on main (a scan of those dates that took as long as the audit).
   */
  private boolean lateRowsAreNew(StagedAppend staged, Dataset<Row> rows, KeyCounts written, List<Date> mainDates) {
    long late = rowsIn(written.byDate(), mainDates);
    long shared = audit.mainRowsWithLateKeys(staged.branch(), smallBatch(reads.inDates(rows, mainDates), late), late,
        reads.branchRows(staged.branch(), mainDates), staged.appendedFiles());
    if (shared > 0) {
      LOG.info("{} rows of main share a key of the batch in their dates of {}: merging instead", shared, table);
    }
    return shared == 0;
  }

  /** The batch's rows in the given dates (of its rows per date). */
  private static long rowsIn(Map<LocalDate, Long> rowsByDate, List<Date> dates) {
    List<LocalDate> local = dates.stream().map(Date::toLocalDate).toList();
    return rowsByDate.entrySet().stream().filter(e -> local.contains(e.getKey()))
        .mapToLong(Map.Entry::getValue).sum();
  }

  /**
   * Rows broadcast to the joins that compare or audit them when they are few (late events):
   * Spark sizes a filtered read by the whole read's files, so it would shuffle both sides.
   */
  private static Dataset<Row> smallBatch(Dataset<Row> rows, long count) {
    return count <= BROADCAST_ROWS ? functions.broadcast(rows) : rows;
  }
}
