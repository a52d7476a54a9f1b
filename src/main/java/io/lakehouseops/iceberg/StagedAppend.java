package io.lakehouseops.iceberg;

import io.lakehouseops.config.TableRef;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.FileIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A batch appended to an audit branch before it is gated (promote's write-first path): the
 * raw rows are read once and written once, and the gate, the dedupe and the audit read the
 * written Parquet (only the columns each needs) instead of a cache of the raw rows. Main is
 * untouched until the publish fast-forwards it; closing drops the branch and an unpublished
 * snapshot, so a gate failure or a fall-back to the MERGE leaves only main. A crash leaves at
 * most a stale audit_* branch, as any write-audit-publish does.
 */
public final class StagedAppend implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StagedAppend.class);
  private final SparkSession spark;
  private final TableRef table;
  private final String branch;
  private final long base;
  private final long snapshot;
  private final List<String> keys;
  private final String eventTime;
  private final long committedRows;
  private KeyCounts written;
  private boolean published;

  /** committedRows: the records the append's commit added (its snapshot summary). */
  StagedAppend(SparkSession spark, TableRef table, String branch, long base, long snapshot, long committedRows,
      List<String> keys, String eventTime) {
    this.spark = spark;
    this.table = table;
    this.branch = branch;
    this.base = base;
    this.snapshot = snapshot;
    this.committedRows = committedRows;
    this.keys = keys;
    this.eventTime = eventTime;
  }

  String branch() {
    return branch;
  }

  /** Main's snapshot the branch was made from. */
  long base() {
    return base;
  }

  /** The branch's snapshot that holds the batch. */
  long snapshot() {
    return snapshot;
  }

  /** The appended rows: an incremental read of the branch's one append, in the table's columns. */
  public Dataset<Row> rows() {
    return spark.read().format("iceberg")
        .option("start-snapshot-id", String.valueOf(base))
        .option("end-snapshot-id", String.valueOf(snapshot))
        .load(table.name());
  }

  /**
   * Audits what was written: the keys and event times read back, whose total must equal the
   * records Iceberg committed; anything else means the write went wrong and nothing is
   * published.
   */
  public KeyCounts audit() {
    spark.sparkContext().setJobDescription("lakehouse-ops: audit the rows written to " + table + " branch " + branch);
    KeyCounts counts = KeyCounts.of(rows(), keys, eventTime);
    if (counts.rows() != committedRows) {
      throw new WriteAuditPublish.AuditFailedException("Cannot publish to " + table + ": audit of branch "
          + branch + " read " + counts.rows() + " rows back, the commit added " + committedRows
          + "; main is unchanged");
    }
    written = counts;
    return counts;
  }

  /** The audit's findings, or null before audit(). */
  KeyCounts written() {
    return written;
  }

  /** Main was fast-forwarded to the staged snapshot: closing keeps it. */
  void published() {
    published = true;
  }

  /**
   * Drops the branch if it is still there; an unpublished snapshot (a failed gate, a batch
   * published another way) is discarded too, so a re-run or a fall-back leaves no trace.
   */
  @Override
  public void close() {
    new AuditBranch(spark, table).drop(branch);
    if (!published) {
      discard();
    }
  }

  /**
   * Removes the unpublished snapshot from the table's metadata, then deletes the files only it
   * references: the data files it added, the manifests it wrote and its manifest list. Nothing
   * else can reference them (no branch ever pointed at a descendant of it). Iceberg's own file
   * cleanup for an expired snapshot id reads every manifest of the table, a cost each promote
   * would pay on a large table. What fails here is left for expire-snapshots.
   */
  private void discard() {
    try {
      Table iceberg = Tables.load(spark, table);
      iceberg.refresh();
      Snapshot staged = iceberg.snapshot(snapshot);
      if (staged == null) {
        return;
      }
      FileIO io = iceberg.io();
      List<String> files = new ArrayList<>();
      staged.addedDataFiles(io).forEach(file -> files.add(file.location()));
      staged.allManifests(io).stream().filter(m -> Long.valueOf(snapshot).equals(m.snapshotId()))
          .forEach(m -> files.add(m.path()));
      files.add(staged.manifestListLocation());
      // Only this id: with no age given, Iceberg would also expire history past its default age.
      iceberg.expireSnapshots().expireSnapshotId(snapshot).expireOlderThan(0L).cleanExpiredFiles(false).commit();
      files.forEach(io::deleteFile);
      LOG.info("Discarded the unpublished snapshot {} of {} and its {} files", snapshot, table, files.size());
    } catch (RuntimeException e) {
      LOG.warn("Could not discard the unpublished snapshot {} of {} ({}); expire-snapshots removes it", snapshot,
          table, e.getMessage());
    }
  }
}
