package io.lakehouseops.publish;

import io.lakehouseops.config.Identifiers;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.EvenSplits;
import io.lakehouseops.iceberg.Tables;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.io.FileIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A batch appended to an audit branch before it is gated (promote's write-first path): the
 * raw rows are read once and written once, and the gate, the dedupe and the audit read the
 * written Parquet (only the columns each needs) instead of a cache of the raw rows. Main is
 * untouched until the publish fast-forwards it; closing drops the branch and an unpublished
 * snapshots, so a gate failure or a fall-back to the MERGE leaves only main. A crash leaves at
 * most a stale audit_* branch, as any write-audit-publish does. Rows that dedupe drops (a
 * partition's re-delivered duplicates) are deleted from the branch by position (dropRows), so
 * the rows kept are still written once.
 */
public final class StagedAppend implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StagedAppend.class);
  /**
   * The most rows dropRows deletes: their positions are collected on the driver and joined to
   * every read of the written rows. A partition that repeats more keys is deduped as a batch.
   */
  static final int MAX_DROPPED_ROWS = 100_000;
  private static final String FILE = "_file";
  private static final String POS = "_pos";

  private final SparkSession spark;
  private final TableRef table;
  private final String branch;
  private final long base;
  private final long appended;
  private final List<String> keys;
  private final String eventTime;
  private final long committedRows;
  private final Map<String, String> commitProperties;
  private final Set<String> files;
  private final Map<String, String> readOptions;
  private long head;
  private long droppedRows;
  /** The rows dropRows deleted, as (`_file`, `_pos`) rows; null before. */
  private Dataset<Row> deleted;
  private KeyCounts written;
  private boolean published;

  /**
   * committedRows: the records the append's commit added (its snapshot summary); added: the
   * data files it added, read as one task a core (EvenSplits).
   */
  StagedAppend(SparkSession spark, TableRef table, String branch, long base, long appended, long committedRows,
      List<String> keys, String eventTime, Map<String, String> commitProperties,
      List<DataFile> added) {
    this.spark = spark;
    this.table = table;
    this.branch = branch;
    this.base = base;
    this.appended = appended;
    this.head = appended;
    this.committedRows = committedRows;
    this.keys = keys;
    this.eventTime = eventTime;
    this.commitProperties = Map.copyOf(commitProperties);
    this.files = added.stream().map(DataFile::location).collect(Collectors.toUnmodifiableSet());
    this.readOptions = EvenSplits.of(added, spark.sparkContext().defaultParallelism());
  }

  String branch() {
    return branch;
  }

  /** Main's snapshot the branch was made from. */
  long base() {
    return base;
  }

  /** The branch's snapshot that holds the batch: the append, or the deletes of dropRows after it. */
  long snapshot() {
    return head;
  }

  /** The data files the append added: the only files dropRows deletes rows of. */
  Set<String> appendedFiles() {
    return files;
  }

  /** Rows dropRows deleted from the branch. */
  long droppedRows() {
    return droppedRows;
  }

  /**
   * The rows the branch holds: an incremental read of its append, in the table's columns, less
   * the rows dropRows deleted (an incremental read sees appends only, not the deletes after).
   */
  public Dataset<Row> rows() {
    if (deleted == null) {
      return appendedRows();
    }
    return writtenWithPositions()
        .join(functions.broadcast(deleted), scala.collection.JavaConverters.asScalaBuffer(List.of(FILE, POS)).toSeq(),
            "left_anti")
        .drop(FILE, POS);
  }

  /** The appended rows as written, with each row's data file and position in it (`_file`, `_pos`). */
  public Dataset<Row> writtenWithPositions() {
    return appendedRows().select(functions.col("*"), functions.col(FILE), functions.col(POS));
  }

  private Dataset<Row> appendedRows() {
    return spark.read().format("iceberg").options(readOptions)
        .option("start-snapshot-id", String.valueOf(base))
        .option("end-snapshot-id", String.valueOf(appended))
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
      throw new AuditFailedException("Cannot publish to " + table + ": audit of branch "
          + branch + " read " + counts.rows() + " rows back, the commit added " + committedRows
          + "; main is unchanged");
    }
    written = counts;
    return counts;
  }

  /**
   * Deletes rows of the append from the branch, in one commit of position deletes, whose
   * summary must count them. rows: the rows to delete, with `_file` and `_pos` as
   * writtenWithPositions gives them (dedupe's losers). Returns the counts of the rows left:
   * the audit's less the deleted ones per event date when they are exactly its duplicates (the
   * publish reads the branch back: BranchAudit), else counted by reading the rows left, which
   * must hold each complete key once. Empty, with nothing changed, when they are more than
   * MAX_DROPPED_ROWS or the table's format version has no position-delete files: the caller
   * dedupes the rows another way.
   */
  public Optional<KeyCounts> dropRows(Dataset<Row> rows) {
    return dropRows(rows, MAX_DROPPED_ROWS);
  }

  /** As above, deleting at most maxRows rows. */
  Optional<KeyCounts> dropRows(Dataset<Row> rows, int maxRows) {
    Table iceberg = Tables.load(spark, table);
    iceberg.refresh();
    if (TableUtil.formatVersion(iceberg) != 2) {
      LOG.info("{} is format version {}: duplicates are deduped as a batch, not deleted from the written rows",
          table, TableUtil.formatVersion(iceberg));
      return Optional.empty();
    }
    spark.sparkContext().setJobDescription(
        "lakehouse-ops: find the rows dedupe drops in " + table + " branch " + branch);
    List<Row> found = rows.select(functions.col(FILE), functions.col(POS),
        functions.to_date(functions.col(Identifiers.quote(eventTime)))).limit(maxRows + 1).collectAsList();
    if (found.size() > maxRows) {
      LOG.info("More than {} rows of {} branch {} are duplicates: they are deduped as a batch", maxRows, table,
          branch);
      return Optional.empty();
    }
    List<PositionDeletes.Position> positions = found.stream()
        .map(r -> new PositionDeletes.Position(r.getString(0), r.getLong(1))).toList();
    head = PositionDeletes.commit(iceberg, branch, iceberg.snapshot(appended), positions, commitProperties);
    droppedRows = positions.size();
    StructType schema = new StructType().add(FILE, DataTypes.StringType, false).add(POS, DataTypes.LongType, false);
    deleted = spark.createDataFrame(positions.stream().map(p -> RowFactory.create(p.file(), p.pos())).toList(), schema);
    long committed = Long.parseLong(iceberg.snapshot(head).summary()
        .getOrDefault(SnapshotSummary.ADDED_POS_DELETES_PROP, "0"));
    if (committed != positions.size()) {
      throw new AuditFailedException("Cannot publish to " + table + ": the commit of " + positions.size()
          + " repeated rows' deletes to branch " + branch + " counts " + committed + "; main is unchanged");
    }
    Map<LocalDate, Long> droppedByDate = new TreeMap<>();
    found.stream().filter(r -> !r.isNullAt(2))
        .forEach(r -> droppedByDate.merge(r.getDate(2).toLocalDate(), 1L, Long::sum));
    KeyCounts derived = written == null ? null : written.withoutDuplicates(positions.size(), droppedByDate);
    KeyCounts left = derived != null ? derived : readBackLeft();
    if (!left.keysUnique() || left.rows() != committedRows - positions.size()) {
      throw new AuditFailedException("Cannot publish to " + table + ": audit of branch "
          + branch + " after deleting " + positions.size() + " repeated rows counted " + left.rows()
          + " rows, " + (committedRows - positions.size())
          + " expected, " + (left.keysUnique() ? "each key once" : left.duplicates() + " keys repeated")
          + "; main is unchanged");
    }
    LOG.info("Deleted {} repeated rows from {} branch {} by position (snapshot {}); {} rows left, each key once",
        positions.size(), table, branch, head, left.rows());
    written = left;
    return Optional.of(left);
  }

  /** The rows left after dropRows' deletes, counted by reading them. */
  private KeyCounts readBackLeft() {
    spark.sparkContext().setJobDescription("lakehouse-ops: audit the rows left in " + table + " branch " + branch);
    return KeyCounts.of(rows(), keys, eventTime);
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
   * Drops the branch if it is still there (a published one was removed by the fast-forward);
   * an unpublished snapshot (a failed gate, a batch published another way) is discarded too,
   * so a re-run or a fall-back leaves no trace.
   */
  @Override
  public void close() {
    if (!published) {
      new AuditBranch(spark, table).drop(branch);
      discard();
    }
  }

  /**
   * Removes the unpublished snapshots (the append, and the deletes of dropRows) from the
   * table's metadata, then deletes the files only they reference: the data and delete files
   * they added, the manifests they wrote and their manifest lists. Nothing else can reference
   * them (no branch ever pointed at a descendant of them). Iceberg's own file cleanup for an
   * expired snapshot id reads every manifest of the table, a cost each promote would pay on a
   * large table. What fails here is left for expire-snapshots.
   */
  private void discard() {
    try {
      Table iceberg = Tables.load(spark, table);
      iceberg.refresh();
      List<Long> ids = head == appended ? List.of(appended) : List.of(appended, head);
      FileIO io = iceberg.io();
      List<String> files = new ArrayList<>();
      var expire = iceberg.expireSnapshots();
      for (long id : ids) {
        Snapshot staged = iceberg.snapshot(id);
        if (staged == null) {
          continue;
        }
        staged.addedDataFiles(io).forEach(file -> files.add(file.location()));
        staged.addedDeleteFiles(io).forEach(file -> files.add(file.location()));
        staged.allManifests(io).stream().filter(m -> Long.valueOf(id).equals(m.snapshotId()))
            .forEach(m -> files.add(m.path()));
        files.add(staged.manifestListLocation());
        expire.expireSnapshotId(id);
      }
      if (files.isEmpty()) {
        return;
      }
      // Only these ids: with no age given, Iceberg would also expire history past its default age.
      expire.expireOlderThan(0L).cleanExpiredFiles(false).commit();
      files.forEach(io::deleteFile);
      LOG.info("Discarded the unpublished snapshots {} of {} and their {} files", ids, table, files.size());
    } catch (RuntimeException e) {
      LOG.warn("Could not discard the unpublished snapshot {} of {} ({}); expire-snapshots removes it", head,
          table, e.getMessage());
    }
  }
}
