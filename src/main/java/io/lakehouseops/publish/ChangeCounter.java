package io.lakehouseops.publish;

import io.lakehouseops.config.Identifiers;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Counts, per event date, what a MERGE of a batch on (keys, event date) would change in the
 * table's rows of the same dates: rows to insert (new keys), to update (a column differs) and,
 * when the batch replaces those dates, to delete (keys the batch no longer has); with main's
 * row count in those dates, which the audit reconciles against. Main's rows are joined with
 * the batch's (an inner join, then one aggregate of the matched rows) and counted per date
 * apart, from the event-time column alone (RowsByDate); the batch's inserts are its rows per
 * date less those that matched. Main is the streamed side, so a batch that is small next to
 * main's dates (a correction) is broadcast and main's rows are never shuffled; a full outer
 * join shuffled every row of main's dates, more than the MERGE itself cost, and a left outer
 * join carried each of them, every column, through the join. The sides are aliased, so a
 * batch read from the table itself still joins unambiguously.
 */
final class ChangeCounter {
  private final List<String> keys;
  private final String eventTime;

  ChangeCounter(List<String> keys, String eventTime) {
    this.keys = keys;
    this.eventTime = eventTime;
  }

  /**
   * The comparison: changes per event date (rows without an event date are inserted by the
   * MERGE but belong to no date), main's rows in the batch's dates, and whether every row of
   * the batch is new, so that appending the batch is the same as merging it; and whether every
   * batch row that matches one of main differs from it, so that the MERGE need not compare them.
   */
  record Comparison(Map<LocalDate, RowChanges> byDate, long mainRows, boolean onlyNewRows,
      boolean everyMatchChanges) {}

  /** batchRows: the batch's rows per event date (rows without one left out). */
  Comparison compare(Dataset<Row> batch, Map<LocalDate, Long> batchRows, Dataset<Row> main, boolean updates,
      boolean deletes) {
    Column date = functions.to_date(functions.col("t." + Identifiers.quote(eventTime)));
    // The MERGE's own changed-row condition, so the count and the MERGE agree on what changed.
    Column changed = functions.not(functions.expr(MergeStatement.sameRow(batch.schema())));
    List<Row> matchedRows = main.as("t").join(batch.as("s"), matches(), "inner").groupBy(date.as("d"))
        .agg(functions.count(functions.lit(1)), countWhere(updates ? changed : functions.lit(false)))
        .collectAsList();
    Map<LocalDate, Matched> matchedByDate = new TreeMap<>();
    for (Row row : matchedRows) {
      matchedByDate.put(row.getDate(0).toLocalDate(), new Matched(row.getLong(1), row.getLong(2)));
    }
    Map<LocalDate, Long> mainByDate = RowsByDate.of(main, eventTime).byDate();
    // The batch holds each key once per date and so does main (every publish is audited): a
    // row of main is matched once at most, and main's rows that matched none are the deletes
    // of a replacement; the batch's rows that matched none are its inserts.
    Map<LocalDate, RowChanges> byDate = new TreeMap<>();
    long mainRows = 0;
    long matched = 0;
    long changedRows = 0;
    for (Map.Entry<LocalDate, Long> e : mainByDate.entrySet()) {
      Matched m = matchedByDate.getOrDefault(e.getKey(), Matched.NONE);
      mainRows += e.getValue();
      matched += m.rows();
      changedRows += m.changed();
      byDate.put(e.getKey(), new RowChanges(0, m.changed(), deletes ? e.getValue() - m.rows() : 0));
    }
    Map<LocalDate, Long> inserts = new TreeMap<>(batchRows);
    matchedByDate.forEach((d, m) -> inserts.merge(d, -m.rows(), Long::sum));
    inserts.forEach((d, n) -> byDate.merge(d, new RowChanges(n, 0, 0), RowChanges::plus));
    boolean deleted = byDate.values().stream().anyMatch(c -> c.deleted() > 0);
    byDate.values().removeIf(RowChanges::isEmpty);
    // No batch row matched one of main and nothing is deleted: appending the batch is the MERGE.
    return new Comparison(byDate, mainRows, matched == 0 && !deleted, updates && changedRows == matched);
  }

  /** Main's rows of a date that a batch row matched, and how many of those the batch changes. */
  private record Matched(long rows, long changed) {
    static final Matched NONE = new Matched(0, 0);
  }

  /** The comparison when main has no rows in the batch's dates: every row is an insert. */
  static Comparison allNew(Map<LocalDate, Long> batchRowsByDate) {
    Map<LocalDate, RowChanges> byDate = new TreeMap<>();
    batchRowsByDate.forEach((date, rows) -> byDate.put(date, new RowChanges(rows, 0, 0)));
    return new Comparison(byDate, 0, true, true);
  }

  /** Rows of main in the batch's dates whose key the batch lacks (the deletes of a replacement). */
  Dataset<Row> missingFromBatch(Dataset<Row> batch, Dataset<Row> main) {
    return main.as("t").join(batch.as("s"), matches(), "left_anti");
  }

  private static Column countWhere(Column condition) {
    return functions.sum(functions.when(condition, 1L).otherwise(0L));
  }

  private Column matches() {
    return sameKeyAndDate(keys, eventTime, "s", "t");
  }

  /** Rows of two aliased sides with the same keys and the same event date (the MERGE's match). */
  static Column sameKeyAndDate(List<String> keys, String eventTime, String left, String right) {
    String ts = Identifiers.quote(eventTime);
    Column join = functions.to_date(functions.col(left + "." + ts)).equalTo(functions.to_date(functions.col(right + "." + ts)));
    for (String key : keys) {
      String k = Identifiers.quote(key);
      join = join.and(functions.col(left + "." + k).equalTo(functions.col(right + "." + k)));
    }
    return join;
  }
}
