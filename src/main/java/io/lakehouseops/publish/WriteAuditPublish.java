package io.lakehouseops.publish;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.faults.FaultInjection;
import io.lakehouseops.iceberg.Tables;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
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
 * A batch written before its gate is published by StagedPublish, which falls back to this.
 */
public final class WriteAuditPublish {
  private static final Logger LOG = LoggerFactory.getLogger(WriteAuditPublish.class);
  private static final int MAX_ATTEMPTS = 3;

  private final SparkSession spark;
  private final TableRef table;
  private final List<String> keys;
  private final String eventTime;
  private final boolean appendOnly;
  private final AuditBranch branches;
  private final BranchAudit audit;
  private final MergeStatement merge;
  private final TableReads reads;

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
    this.reads = new TableReads(spark, table, eventTime);
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
        && CommittedChanges.countable(iceberg, eventTime, reads.sessionZone());
    ChangeCounter.Comparison comparison = againstMain(iceberg, batch, before, batchRows.byDate(), replaceDates,
        !updatesFromCommit);
    PublishResult expected = PublishResult.of(before, comparison.byDate());
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
        merge.source(batch, reads.inDates(current, touchedDates), replaceDates).createOrReplaceTempView(view);
        MergeStatement.Clauses clauses = new MergeStatement.Clauses(replaceDates,
            expected.rowsInserted() > 0 || batchRows.undated() > 0, !comparison.everyMatchChanges());
        branches.merge(branch, merge.sql(view, touchedDates, clauses, current.schema()), commitProperties);
        if (updatesUnknown) {
          expected = PublishResult.of(before,
              CommittedChanges.onBranch(iceberg, branch, before, eventTime, comparison.byDate()));
          if (expected.changes().isEmpty()) {
            LOG.info("Nothing new for {}: the MERGE changed no row of main", table);
            return new PublishResult(before, RowChanges.NONE, Map.of());
          }
        }
      }
      FaultInjection.point("promote.after-branch-write");
      audit.check(branch, batch, reads.branchRows(branch, touchedDates),
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
   * What merging the batch into main as of a snapshot would change. Main without rows in the
   * batch's dates (every first promote of a partition, which Iceberg knows from its metadata:
   * no file to scan) makes every row an insert, without the join; otherwise every date is
   * compared.
   */
  private ChangeCounter.Comparison againstMain(Table iceberg, Dataset<Row> batch, Long before,
      Map<LocalDate, Long> batchRows, boolean replaceDates, boolean compareRows) {
    List<Date> dates = batchRows.keySet().stream().map(Date::valueOf).toList();
    Dataset<Row> mainTouched = reads.inDates(reads.mainAt(before), dates);
    return reads.datesOfMain(iceberg, before, dates).isEmpty() ? ChangeCounter.allNew(batchRows)
        : compare(batch, batchRows, mainTouched, replaceDates, compareRows);
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
    return PublishResult.of(current, compare(batch, batchRows, reads.inDates(spark.table(table.name()), touchedDates),
        replaceDates, true).byDate());
  }

  /** compareRows: every column of matched rows (updates counted), or their keys alone (no updates counted). */
  private ChangeCounter.Comparison compare(Dataset<Row> batch, Map<LocalDate, Long> batchRows,
      Dataset<Row> mainTouched, boolean replaceDates, boolean compareRows) {
    boolean updates = compareRows && !appendOnly;
    spark.sparkContext().setJobDescription(updates ? "lakehouse-ops: compare batch with " + table
        : "lakehouse-ops: match the batch's keys with " + table);
    return new ChangeCounter(keys, eventTime).compare(batch, batchRows, mainTouched, updates, replaceDates);
  }

  private RowsByDate rowsByDate(Dataset<Row> batch) {
    spark.sparkContext().setJobDescription("lakehouse-ops: count the batch's rows by event date");
    return RowsByDate.of(batch, eventTime);
  }
}
