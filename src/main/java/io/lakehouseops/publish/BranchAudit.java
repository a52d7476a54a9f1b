package io.lakehouseops.publish;

import io.lakehouseops.config.Identifiers;
import io.lakehouseops.config.TableRef;
import java.util.ArrayList;
import java.util.List;
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
    requireRows(branch, tally, expectedRows);
  }

  /** The audit's count: the rows it read, and how many of the batch's keys it found more than once. */
  record Tally(long rows, long repeatedKeys) {}

  /** As check, without a verdict: the staged path tells a batch key main has from a failure. */
  Tally tally(String branch, Dataset<Row> batch, Dataset<Row> audited) {
    audited.sparkSession().sparkContext().setJobDescription(
        "lakehouse-ops: audit branch " + branch + " of " + table);
    Column[] keyAndTime = java.util.stream.Stream.concat(keys.stream(), java.util.stream.Stream.of(eventTime))
        .map(c -> functions.col(Identifiers.quote(c))).toArray(Column[]::new);
    Dataset<Row> batchKeys = batch.select(keyAndTime).withColumn(IN_BATCH, functions.lit(true)).as("b");
    // A row of a batch key is grouped by key and date; every other row falls in the one group
    // whose date is null (a batch key's never is).
    Column inBatch = functions.col("b." + IN_BATCH).isNotNull();
    List<Column> group = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      group.add(functions.when(inBatch, functions.col("a." + Identifiers.quote(keys.get(i)))).as("_k" + i));
    }
    group.add(functions.when(inBatch, functions.to_date(functions.col("a." + Identifiers.quote(eventTime)))).as(DATE));
    Row totals = audited.select(keyAndTime).as("a")
        .join(batchKeys, ChangeCounter.sameKeyAndDate(keys, eventTime, "a", "b"), "left_outer")
        .groupBy(group.toArray(Column[]::new)).count()
        .agg(functions.sum("count"), functions.count(functions.when(functions.col("count").gt(1)
            .and(functions.col(DATE).isNotNull()), true))).first();
    return new Tally(totals.isNullAt(0) ? 0 : totals.getLong(0), totals.getLong(1));
  }

  /** expectedRows: main's rows plus inserts minus deletes in the dates the tally read. */
  void requireRows(String branch, Tally tally, long expectedRows) {
    if (tally.rows() != expectedRows) {
      throw new AuditFailedException("Cannot publish to " + table + ": audit of branch " + branch
          + " counted " + tally.rows() + " rows in the touched event dates, expected " + expectedRows
          + " (main's rows plus inserts minus deletes); main is unchanged");
    }
  }
}
