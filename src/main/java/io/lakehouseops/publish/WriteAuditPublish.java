package io.lakehouseops.publish;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.faults.FaultInjection;
import io.lakehouseops.iceberg.SchemaAlignment;
import io.lakehouseops.iceberg.Tables;
import java.sql.Date;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.util.DateTimeUtils;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a batch write-audit-publish: MERGE it into an audit branch made from main, audit
 * the branch (no duplicate keys in the touched event dates; inserted rows reconcile with the
 * batch), then fast-forward main to the audited snapshot and remove the branch, in one commit.
 * Until then, main is untouched; a crash before it leaves at most a stale audit_* branch.
 *
 * <p>The MERGE (see MergeStatement) rewrites only rows that really changed. Promote and
 * backfill both publish through here; a backfill may also replace whole event dates (deletes).
 */
public final class WriteAuditPublish {
  private static final Logger LOG = LoggerFactory.getLogger(WriteAuditPublish.class);
  private static final int MAX_ATTEMPTS = 3;
  /** The most batch rows broadcast to a join with main's rows (see smallBatch). */
  private static final long BROADCAST_ROWS = 100_000;

  private final SparkSession spark;
  private final TableRef table;
  private final List<String> keys;
  private final String eventTime;
  private final boolean appendOnly;
  private final AuditBranch branches;
  private final BranchAudit audit;
  private final MergeStatement merge;

  public WriteAuditPublish(SparkSession spark, TableRef table, List<String> keys, String eventTime,
      boolean appendOnly) {
    this.spark = spark;
    this.table = table;
    this.keys = keys;
    this.eventTime = eventTime;
    this.appendOnly = appendOnly;
    this.branches = new AuditBranch(spark, table);
    this.audit = new BranchAudit(table, keys, eventTime);
    this.merge = new MergeStatement(table, keys, eventTime, appendOnly);
  }

  /** Publishes the batch of whole dates: inserts new keys, updates changed rows (unless append-only). */
  public PublishResult publish(Dataset<Row> batch, String runId, Map<String, String> commitProperties) {
    return publish(batch, runId, commitProperties, BatchScope.WHOLE_DATES);
  }

  /**
   * As above, for a batch of the given scope; one that replaces its dates deletes the table's
   * rows of those dates whose key the batch lacks too (backfill --delete-missing).
   * When another job commits to main meanwhile (a concurrent promote of another partition),
   * main can no longer be fast-forwarded: the publish starts again from the new main, up to
   * MAX_ATTEMPTS times.
   */
  public PublishResult publish(Dataset<Row> batch, String runId, Map<String, String> commitProperties,
      BatchScope scope) {
    for (int attempt = 1; ; attempt++) {
      try {
        return publishOnce(batch, runId, attempt, commitProperties, scope);
      } catch (AuditBranch.MainMovedException e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw new IllegalStateException("Cannot publish to " + table + ": main moved during each of "
              + MAX_ATTEMPTS + " attempts (other jobs commit to it); nothing was published, run again", e);
        }
        LOG.warn("Main of {} moved during the publish (a concurrent commit); publishing again on the new "
            + "main (attempt {} of {})", table, attempt + 1, MAX_ATTEMPTS);
      }
    }
  }

  private PublishResult publishOnce(Dataset<Row> batch, String runId, int attempt,
      Map<String, String> commitProperties, BatchScope scope) {
    boolean replaceDates = scope == BatchScope.REPLACED_DATES;
    Table iceberg = Tables.load(spark, table);
    iceberg.refresh();
    Snapshot mainBefore = iceberg.currentSnapshot();
    Long before = mainBefore == null ? null : mainBefore.snapshotId();
    RowsByDate batchRows = rowsByDate(batch);
    List<Date> touchedDates = batchRows.byDate().keySet().stream().map(Date::valueOf).toList();
    if (touchedDates.isEmpty()) {
      return new PublishResult(before, RowChanges.NONE, Map.of());
    }
    // Whole dates are mostly rows main has as they are, so the MERGE compares every column of
    // its matches anyway: under merge-on-read its commit then counts the updates, and only the
    // keys are matched before it (see CommittedChanges). Corrections are compared first: when
    // every match differs, as it nearly always does there, the MERGE reads only main's keys.
    boolean updatesFromCommit = scope != BatchScope.CORRECTIONS && !appendOnly
        && CommittedChanges.countable(iceberg, eventTime, sessionZone());
    ChangeCounter.Comparison comparison = againstMain(iceberg, batch, before, batchRows.byDate(), replaceDates,
        !updatesFromCommit);
    PublishResult expected = result(before, comparison);
    boolean updatesUnknown = updatesFromCommit && !comparison.onlyNewRows();
    if (expected.changes().isEmpty() && !updatesUnknown) {
      LOG.info("Nothing new for {}: every row of the batch is already published", table);
      return expected;
    }
    String suffix = attempt > 1 ? "_r" + attempt : "";
    String branch = AuditBranch.name(runId) + suffix;
    String view = "lakehouse_batch_" + runId.replaceAll("[^A-Za-z0-9_]", "_") + suffix;
    iceberg.manageSnapshots().createBranch(branch, before).commit();
    boolean published = false;
    try {
      if (comparison.onlyNewRows()) {
        // Every row is a new key of its date in main as of `before`, where the branch starts:
        // the MERGE would only insert, so an append writes the same rows without its join.
        branches.append(branch, batch, commitProperties);
      } else {
        // Not mainTouched: a snapshot-pinned read cannot run under spark.wap.branch. Read during
        // the MERGE, the table is the new branch, which is main as of `before`.
        Dataset<Row> current = spark.table(table.name());
        merge.source(batch, inDates(current, touchedDates), replaceDates).createOrReplaceTempView(view);
        MergeStatement.Clauses clauses = new MergeStatement.Clauses(replaceDates,
            expected.rowsInserted() > 0 || batchRows.undated() > 0, !comparison.everyMatchChanges());
        branches.merge(branch, merge.sql(view, touchedDates, clauses, current.schema()), commitProperties);
        if (updatesUnknown) {
          expected = result(before, CommittedChanges.onBranch(iceberg, branch, before, eventTime, comparison.byDate()));
          if (expected.changes().isEmpty()) {
            LOG.info("Nothing new for {}: the MERGE changed no row of main", table);
            return new PublishResult(before, RowChanges.NONE, Map.of());
          }
        }
      }
      FaultInjection.point("promote.after-branch-write");
      audit.check(branch, batch, branchRows(branch, touchedDates),
          comparison.mainRows() + expected.rowsInserted() - expected.rowsDeleted());
      FaultInjection.point("promote.before-fast-forward");
      iceberg.refresh();
      long audited = iceberg.refs().get(branch).snapshotId();
      branches.fastForwardMain(iceberg, branch, before);
      published = true;
      LOG.info("Published snapshot {} of {} to main ({} inserted, {} updated, {} deleted{})", audited,
          table, expected.rowsInserted(), expected.rowsUpdated(), expected.rowsDeleted(),
          comparison.onlyNewRows() ? "; appended, all keys new" : "");
      FaultInjection.point("promote.after-fast-forward");
      return new PublishResult(audited, expected.changes(), expected.byDate());
    } finally {
      spark.catalog().dropTempView(view);
      if (!published) { // the fast-forward removed it; a drop would only load the table again
        branches.drop(branch);
      }
    }
  }

  /**
   * Writes a batch before it is gated: appends it to a new audit branch made from main (a
   * branch of its own, so main is untouched), for publishStaged to fast-forward or to drop.
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
      staged = new StagedAppend(spark, table, branch, base, appended.snapshotId(), committed, keys, eventTime,
          commitProperties);
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
  public PublishResult publishStaged(StagedAppend staged, Dataset<Row> rows, String runId,
      Map<String, String> commitProperties) {
    KeyCounts written = staged.written();
    if (written != null && written.keysUnique() && !written.byDate().isEmpty()) {
      Optional<PublishResult> fastForwarded = fastForwardStaged(staged, rows, written);
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
      return publish(batch, runId, commitProperties);
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
  private Optional<PublishResult> fastForwardStaged(StagedAppend staged, Dataset<Row> rows, KeyCounts written) {
    Table iceberg = Tables.load(spark, table);
    iceberg.refresh();
    if (iceberg.currentSnapshot() == null || iceberg.currentSnapshot().snapshotId() != staged.base()) {
      LOG.info("Main of {} moved since the batch was staged (a concurrent commit); merging instead", table);
      return Optional.empty();
    }
    List<Date> dates = written.byDate().keySet().stream().map(Date::valueOf).toList();
    List<Date> mainDates = datesOfMain(iceberg, staged.base(), dates);
    if (!mainDates.isEmpty() && !lateRowsAreNew(staged, rows, written, mainDates)) {
      return Optional.empty();
    }
    List<Date> newDates = dates.stream().filter(d -> !mainDates.contains(d)).toList();
    if (staged.droppedRows() > 0 && !newDates.isEmpty()) {
      audit.checkWritten(staged.branch(), branchRows(staged.branch(), newDates),
          rowsIn(written.byDate(), newDates, true));
    }
    FaultInjection.point("promote.before-fast-forward");
    iceberg.refresh();
    try {
      branches.fastForwardMain(iceberg, staged.branch(), staged.base());
    } catch (AuditBranch.MainMovedException e) {
      LOG.info("Main of {} moved before the fast-forward (a concurrent commit); merging instead", table);
      return Optional.empty();
    }
    PublishResult expected = result(staged.base(), ChangeCounter.allNew(written.byDate()));
    LOG.info("Published snapshot {} of {} to main ({} inserted; written before the gate, all keys new)",
        staged.snapshot(), table, expected.rowsInserted());
    staged.published();
    FaultInjection.point("promote.after-fast-forward");
    return Optional.of(new PublishResult(staged.snapshot(), expected.changes(), expected.byDate()));
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
    long late = rowsIn(written.byDate(), mainDates, true);
    long shared = audit.mainRowsWithLateKeys(staged.branch(), smallBatch(inDates(rows, mainDates), late), late,
        branchRows(staged.branch(), mainDates), staged.appendedFiles());
    if (shared > 0) {
      LOG.info("{} rows of main share a key of the batch in their dates of {}: merging instead", shared, table);
    }
    return shared == 0;
  }

  /**
   * What merging the batch into main as of a snapshot would change. Main without rows in the
   * batch's dates (every first promote of a partition, which Iceberg knows from its metadata:
   * no file to scan) makes every row an insert, without the join; otherwise every date is
   * compared.
   */
  private ChangeCounter.Comparison againstMain(Table iceberg, Dataset<Row> batch, Long before,
      Map<LocalDate, Long> batchRows, boolean replaceDates, boolean compareRows) {
    List<Date> dates = batchRows.keySet().stream().map(Date::valueOf).toList();
    Dataset<Row> mainTouched = inDates(mainAt(before), dates);
    return datesOfMain(iceberg, before, dates).isEmpty() ? ChangeCounter.allNew(batchRows)
        : compare(batch, batchRows, mainTouched, replaceDates, compareRows);
  }

  /**
   * The batch's dates main's files at snapshot before (of iceberg, refreshed since) may hold
   * rows of, in order: from the files' bounds of the event-time column (DatesInFiles), or, for
   * a column type without such bounds, the dates main's rows there have.
   */
  private List<Date> datesOfMain(Table iceberg, Long before, List<Date> dates) {
    if (before == null) {
      return List.of();
    }
    List<LocalDate> inFiles = new DatesInFiles(iceberg, eventTime, sessionZone())
        .at(before, dates.stream().map(Date::toLocalDate).toList());
    return inFiles == null ? datesWithRows(inDates(mainAt(before), dates))
        : inFiles.stream().map(Date::valueOf).toList();
  }

  /** The event dates the rows have, in order: one scan of the event-time column, vectorized. */
  private List<Date> datesWithRows(Dataset<Row> rows) {
    // Named, or its job carries whatever description the thread last set (the gate's history).
    spark.sparkContext().setJobDescription("lakehouse-ops: look for main's rows in the batch's dates of " + table);
    return rows.select(functions.to_date(functions.col(eventTime)).as("d")).distinct().collectAsList().stream()
        .filter(r -> !r.isNullAt(0)).map(r -> r.getDate(0)).sorted().toList();
  }

  /** The batch's rows in the given dates (of its rows per date): in those dates, or in the others. */
  private static long rowsIn(Map<LocalDate, Long> rowsByDate, List<Date> dates, boolean inThem) {
    List<LocalDate> local = dates.stream().map(Date::toLocalDate).toList();
    return rowsByDate.entrySet().stream().filter(e -> local.contains(e.getKey()) == inThem)
        .mapToLong(Map.Entry::getValue).sum();
  }

  /**
   * Rows broadcast to the joins that compare or audit them when they are few (late events):
   * Spark sizes a filtered read by the whole read's files, so it would shuffle both sides.
   */
  private static Dataset<Row> smallBatch(Dataset<Row> rows, long count) {
    return count <= BROADCAST_ROWS ? functions.broadcast(rows) : rows;
  }

  /**
   * Main's rows at the snapshot the audit branch starts from, so the comparison, the MERGE
   * and the audit all see the same main whatever other jobs commit meanwhile. Columns added
   * to the table since (by this publish's schema change) read as null, as they do for old rows.
   */
  private Dataset<Row> mainAt(Long snapshot) {
    Dataset<Row> current = spark.table(table.name());
    if (snapshot == null) {
      return current;
    }
    Dataset<Row> pinned = spark.read().option("snapshot-id", snapshot).table(table.name());
    return SchemaAlignment.align(pinned, current.schema());
  }

  /** What publish would change, per event date, without writing anything (a dry run). */
  public PublishResult preview(Dataset<Row> batch, boolean replaceDates) {
    Table iceberg = Tables.load(spark, table);
    iceberg.refresh();
    Long current = iceberg.currentSnapshot() == null ? null : iceberg.currentSnapshot().snapshotId();
    Map<LocalDate, Long> batchRows = rowsByDate(batch).byDate();
    List<Date> touchedDates = batchRows.keySet().stream().map(Date::valueOf).toList();
    if (touchedDates.isEmpty()) {
      return new PublishResult(current, RowChanges.NONE, Map.of());
    }
    return result(current, compare(batch, batchRows, inDates(spark.table(table.name()), touchedDates), replaceDates,
        true));
  }

  /** compareRows: every column of matched rows (updates counted), or their keys alone (no updates counted). */
  private ChangeCounter.Comparison compare(Dataset<Row> batch, Map<LocalDate, Long> batchRows,
      Dataset<Row> mainTouched, boolean replaceDates, boolean compareRows) {
    boolean updates = compareRows && !appendOnly;
    spark.sparkContext().setJobDescription(updates ? "lakehouse-ops: compare batch with " + table
        : "lakehouse-ops: match the batch's keys with " + table);
    return new ChangeCounter(keys, eventTime).compare(batch, batchRows, mainTouched, updates, replaceDates);
  }

  /** The Spark session's time zone, in which to_date(event time) gives an event date. */
  private ZoneId sessionZone() {
    return DateTimeUtils.getZoneId(spark.sessionState().conf().sessionLocalTimeZone());
  }

  private static PublishResult result(Long snapshot, ChangeCounter.Comparison comparison) {
    return result(snapshot, comparison.byDate());
  }

  private static PublishResult result(Long snapshot, Map<LocalDate, RowChanges> byDate) {
    RowChanges total = byDate.values().stream().reduce(RowChanges.NONE, RowChanges::plus);
    return new PublishResult(snapshot, total, byDate);
  }

  /** An audit branch's rows of the given event dates, which its audit reads. */
  private Dataset<Row> branchRows(String branch, List<Date> dates) {
    return inDates(spark.read().option("branch", branch).table(table.name()), dates);
  }

  /**
   * The rows of the given event dates: ranges on the column itself that Iceberg prunes
   * partitions and files with, where to_date(column) is not pushed down and every read of
   * main's touched rows would scan the whole table.
   */
  private Dataset<Row> inDates(Dataset<Row> rows, List<Date> dates) {
    return rows.filter(EventDates.of(dates).filter(functions.col(eventTime)));
  }

  private RowsByDate rowsByDate(Dataset<Row> batch) {
    spark.sparkContext().setJobDescription("lakehouse-ops: count the batch's rows by event date");
    return RowsByDate.of(batch, eventTime);
  }
}
