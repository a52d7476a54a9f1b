package io.lakehouseops.publish;

import io.lakehouseops.config.Identifiers;
import io.lakehouseops.config.TableRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The audit of an audit branch before main is fast-forwarded to it: each key once per touched
 * event date, and main's rows plus inserts minus deletes in those dates. Main held each key
 * once per date when it was published (every publish is audited) and the write touched only
 * the batch's keys, so only those can repeat: the branch's rows are joined to the batch's keys
 * (a small batch broadcast) and a batch key's rows are grouped by key, every other row falls in
 * one group, and the groups' total is the count. Grouping every row of the dates by key
 * shuffled them all, a large part of a small correction to big dates.
 */
final class BranchAudit {
  private static final String IN_BATCH = "_lakehouse_in_batch";
  private static final String DATE = "_lakehouse_date";
  private static final String FILE = "_file";

  private final TableRef table;
  private final List<String> keys;
  private final String eventTime;

  BranchAudit(TableRef table, List<String> keys, String eventTime) {
    this.table = table;
    this.keys = keys;
    this.eventTime = eventTime;
  }

  /**
   * audited: the branch's rows in dates only this write put rows in (a written-first day main
   * had none of), read as Iceberg applies the branch's deletes; each key must be there once,
   * expectedRows in all. Counted by the keys' hashes (KeyCounts), no shuffle.
   */
  void checkWritten(String branch, Dataset<Row> audited, long expectedRows) {
    audited.sparkSession().sparkContext().setJobDescription(
        "lakehouse-ops: audit branch " + branch + " of " + table + " in its new dates");
    KeyCounts counts = KeyCounts.of(audited, keys, eventTime);
    if (!counts.keysUnique() || counts.rows() != expectedRows) {
      throw new AuditFailedException("Cannot publish to " + table + ": audit of branch " + branch
          + " counted " + counts.rows() + " rows in the dates main has none in, expected " + expectedRows + ", "
          + (counts.keysUnique() ? "each key once" : counts.duplicates() + " keys repeated") + "; main is unchanged");
    }
  }

  /** audited: the branch's rows in the touched dates; batch: the rows written there. */
  void check(String branch, Dataset<Row> batch, Dataset<Row> audited, long expectedRows) {
    Tally tally = tally(branch, batch, audited);
    if (tally.repeatedKeys() > 0) {
      throw new AuditFailedException("Cannot publish to " + table + ": audit of branch " + branch
          + " found " + tally.repeatedKeys() + " keys more than once in the touched event dates; main is unchanged");
    }
    if (tally.rows() != expectedRows) {
      throw new AuditFailedException("Cannot publish to " + table + ": audit of branch " + branch
          + " counted " + tally.rows() + " rows in the touched event dates, expected " + expectedRows
          + " (main's rows plus inserts minus deletes); main is unchanged");
    }
  }

  /** The audit's count: the rows it read, and how many of the batch's keys it found more than once. */
  private record Tally(long rows, long repeatedKeys) {}

  private Tally tally(String branch, Dataset<Row> batch, Dataset<Row> audited) {
    audited.sparkSession().sparkContext().setJobDescription(
        "lakehouse-ops: audit branch " + branch + " of " + table);
    // A row of a batch key is grouped by key and date; every other row falls in the one group
    // whose date is null (a batch key's never is).
    Column inBatch = functions.col("b." + IN_BATCH).isNotNull();
    List<Column> group = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      group.add(functions.when(inBatch, functions.col("a." + Identifiers.quote(keys.get(i)))).as("_k" + i));
    }
    group.add(functions.when(inBatch, functions.to_date(functions.col("a." + Identifiers.quote(eventTime)))).as(DATE));
    Row totals = withBatchKeys(audited, batch)
        .groupBy(group.toArray(Column[]::new)).count()
        .agg(functions.sum("count"), functions.count(functions.when(functions.col("count").gt(1)
            .and(functions.col(DATE).isNotNull()), true))).first();
    return new Tally(totals.isNullAt(0) ? 0 : totals.getLong(0), totals.getLong(1));
  }

  /**
   * The audit of the branch's rows in dates main has rows in, where a batch that holds each key
   * once was appended (written rows the staged audit read back): returns how many of main's
   * rows there share a batch row's key and date (keys main has: the caller merges instead).
   * The written files must still hold the batch's rows there, batchRows, as Iceberg applies the
   * branch's deletes. Main's rows are told from the written ones by their data file (`_file`):
   * one aggregate over the key columns, no shuffle. audited: the branch's rows in those dates;
   * batch: the rows written there; writtenFiles: the append's data files.
   */
  long mainRowsWithLateKeys(String branch, Dataset<Row> batch, long batchRows, Dataset<Row> audited,
      Set<String> writtenFiles) {
    audited.sparkSession().sparkContext().setJobDescription(
        "lakehouse-ops: audit branch " + branch + " of " + table + " in the dates main has");
    Column written = functions.col("a." + FILE).isin(writtenFiles.toArray());
    Column sharesBatchKey = functions.col("b." + IN_BATCH).isNotNull();
    Row totals = withBatchKeys(audited, batch, functions.col(FILE))
        .agg(functions.count(functions.when(sharesBatchKey.and(functions.not(written)), true)),
            functions.count(functions.when(written, true))).first();
    if (totals.getLong(1) != batchRows) {
      throw new AuditFailedException("Cannot publish to " + table + ": audit of branch " + branch
          + " counted " + totals.getLong(1) + " written rows in the dates main has rows in, expected " + batchRows
          + "; main is unchanged");
    }
    return totals.getLong(0);
  }

  /**
   * The audited rows' keys and event times (and any extra columns), aliased "a", each joined
   * to the batch row of its key and date, aliased "b" (IN_BATCH true), if there is one.
   */
  private Dataset<Row> withBatchKeys(Dataset<Row> audited, Dataset<Row> batch, Column... extra) {
    Column[] keyAndTime = keyAndTime();
    Dataset<Row> batchKeys = batch.select(keyAndTime).withColumn(IN_BATCH, functions.lit(true)).as("b");
    Column[] read = java.util.stream.Stream.concat(java.util.Arrays.stream(keyAndTime), java.util.Arrays.stream(extra))
        .toArray(Column[]::new);
    return audited.select(read).as("a")
        .join(batchKeys, ChangeCounter.sameKeyAndDate(keys, eventTime, "a", "b"), "left_outer");
  }

  /** The key columns and the event time, as the audits read them. */
  private Column[] keyAndTime() {
    return java.util.stream.Stream.concat(keys.stream(), java.util.stream.Stream.of(eventTime))
        .map(c -> functions.col(Identifiers.quote(c))).toArray(Column[]::new);
  }
}
