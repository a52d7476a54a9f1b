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
 * A batch's rows counted by key: the rows, the rows beyond the first of each complete key
 * (what dedupe drops), the rows with a null key part (never deduped: the gate judges them),
 * the rows per event date, and the uniqueness of the key as Deequ defines it (so the gate
 * need not count the keys again).
 * byDate is exact when no key repeats (a repeated key's rows count under one of its dates, or
 * each under its own). repeatedKeyHashes: when the keys were counted by their hashes, the
 * hashes of the keys that repeat (KeyHashes.of), so that dedupe can sort their rows alone;
 * empty otherwise.
 */
public record KeyCounts(long rows, long duplicates, long nullKeyRows, Map<LocalDate, Long> byDate,
    long rowsWithKeyValue, long rowsWithUniqueKey, List<Long> repeatedKeyHashes) {

  /** Every complete key once and no null key. */
  public boolean keysUnique() {
    return duplicates == 0 && nullKeyRows == 0;
  }

  /**
   * Whether byDate counts each row under its own event date: when every key is complete and
   * once, and when the keys were counted by their hashes (a repeated key's rows each under
   * their own date); not when rows were grouped by key.
   */
  private boolean byDateExact() {
    return keysUnique() || !repeatedKeyHashes.isEmpty();
  }

  /**
   * The counts of these rows less the ones dedupe drops, each complete key then once, without
   * reading them again: the dropped rows must number exactly the duplicates (droppedByDate:
   * those of them with an event date, per date) and byDate must be exact; null when either is
   * not so (count the rows left).
   */
  public KeyCounts withoutDuplicates(long dropped, Map<LocalDate, Long> droppedByDate) {
    if (nullKeyRows != 0 || dropped != duplicates || !byDateExact()) {
      return null;
    }
    Map<LocalDate, Long> left = new TreeMap<>(byDate);
    for (Map.Entry<LocalDate, Long> date : droppedByDate.entrySet()) {
      long rest = left.getOrDefault(date.getKey(), 0L) - date.getValue();
      if (rest < 0) {
        return null;
      }
      if (rest == 0) {
        left.remove(date.getKey());
      } else {
        left.put(date.getKey(), rest);
      }
    }
    long kept = rows - dropped;
    return new KeyCounts(kept, 0, 0, left, kept, kept, List.of());
  }

  /**
   * Deequ's uniqueness of the key columns: of the rows with at least one key part non-null,
   * the share whose key occurs once; null when there is no such row.
   */
  public Double keyUniqueness() {
    return rowsWithKeyValue == 0 ? null : (double) rowsWithUniqueKey / rowsWithKeyValue;
  }

  /**
   * The counts of the rows: by the keys' hashes where they can be (KeyHashes, no shuffle; the
   * rows of a repeated hash, if any, grouped alone), otherwise grouped by key.
   */
  public static KeyCounts of(Dataset<Row> rows, List<String> keys, String eventTime) {
    KeyHashes.Hashed hashed = KeyHashes.hash(rows, keys, eventTime, KeyHashes.MAX_ROWS);
    if (hashed == null) {
      return grouped(rows, keys, eventTime);
    }
    if (hashed.repeated().isEmpty()) {
      return unique(hashed);
    }
    // Only rows of a repeated hash can share a key: they are grouped by key, exactly.
    Column[] keyColumns = keys.stream().map(k -> functions.col(Identifiers.quote(k))).toArray(Column[]::new);
    Row repeats = withHashes(rows, keys, hashed.repeated()).groupBy(keyColumns).count()
        .filter(functions.col("count").gt(1))
        .agg(functions.sum("count"), functions.count(functions.lit(1))).first();
    long rowsOfRepeatedKeys = repeats.isNullAt(0) ? 0 : repeats.getLong(0);
    long repeatedKeys = repeats.getLong(1);
    return new KeyCounts(hashed.rows(), rowsOfRepeatedKeys - repeatedKeys, 0, hashed.byDate(), hashed.rows(),
        hashed.rows() - rowsOfRepeatedKeys, hashed.repeated());
  }

  /** The counts of rows whose hashes showed every key complete and once. */
  static KeyCounts unique(KeyHashes.Hashed hashed) {
    return new KeyCounts(hashed.rows(), 0, 0, hashed.byDate(), hashed.rows(), hashed.rows(), List.of());
  }

  /** The rows whose keys have one of the given hashes (KeyHashes.of): a join with them, broadcast. */
  public static Dataset<Row> withHashes(Dataset<Row> rows, List<String> keys, List<Long> hashes) {
    Dataset<Row> wanted = rows.sparkSession().createDataset(hashes, org.apache.spark.sql.Encoders.LONG())
        .toDF("_lakehouse_hash");
    return rows.join(functions.broadcast(wanted),
        KeyHashes.of(keys).equalTo(functions.col("_lakehouse_hash")), "left_semi");
  }

  /**
   * Whether the rows' keys are shown complete and once each by their hashes alone (KeyHashes, no
   * shuffle). False means not shown, not repeated: a caller that must know counts exactly.
   */
  public static boolean shownUnique(Dataset<Row> rows, List<String> keys, String eventTime) {
    return KeyHashes.ifUnique(rows, keys, eventTime) != null;
  }

  /** The counts by grouping the rows by key: one query that shuffles the keys and the event date. */
  static KeyCounts grouped(Dataset<Row> rows, List<String> keys, String eventTime) {
    Column[] keyColumns = keys.stream().map(functions::col).toArray(Column[]::new);
    Column complete = keys.stream().map(k -> functions.col(k).isNotNull()).reduce(Column::and).orElseThrow();
    Column anyValue = keys.stream().map(k -> functions.col(k).isNotNull()).reduce(Column::or).orElseThrow();
    Column n = functions.col("n");
    List<Row> perDate = rows.groupBy(keyColumns)
        .agg(functions.count(functions.lit(1)).as("n"),
            functions.first(functions.to_date(functions.col(eventTime))).as("d"))
        .groupBy("d")
        .agg(functions.sum(n),
            functions.sum(functions.when(complete.and(n.gt(1)), n.minus(1)).otherwise(0L)),
            functions.sum(functions.when(functions.not(complete), n).otherwise(0L)),
            functions.sum(functions.when(anyValue, n).otherwise(0L)),
            functions.sum(functions.when(anyValue.and(n.equalTo(1)), 1L).otherwise(0L)))
        .collectAsList();
    long total = 0;
    long duplicates = 0;
    long nullKeyRows = 0;
    long withValue = 0;
    long unique = 0;
    Map<LocalDate, Long> byDate = new TreeMap<>();
    for (Row row : perDate) {
      total += row.getLong(1);
      duplicates += row.getLong(2);
      nullKeyRows += row.getLong(3);
      withValue += row.getLong(4);
      unique += row.getLong(5);
      if (!row.isNullAt(0)) {
        byDate.put(row.getDate(0).toLocalDate(), row.getLong(1));
      }
    }
    return new KeyCounts(total, duplicates, nullKeyRows, byDate, withValue, unique, List.of());
  }
}
