package io.lakehouseops.publish;

import io.lakehouseops.config.Identifiers;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * KeyCounts of a batch whose keys are all complete, without Spark's shuffle of every key: each
 * task sorts a 64-bit hash (xxhash64) of its rows' keys and counts its rows per event date, the
 * driver merges the sorted hashes. Distinct hashes mean distinct keys, so "unique" is exact. An
 * equal pair (a repeated key, or two keys with one hash: about one chance in 40 million at a
 * million rows) is handed back by its hash, so that KeyCounts groups only the rows that have it.
 * A null key part, or a key part of a type whose equal values may hash apart (floating point:
 * Spark's grouping normalizes -0.0 and NaN, the hash does not) gives null, and KeyCounts groups
 * the rows by key instead. At 900,000 lineitem rows the grouped count took 0.7-0.8 s, this
 * 0.2-0.3 s (docs/performance.md). The hashes come to the driver, 8 bytes a row: a task with
 * more than its share of MAX_ROWS stops, and the batch is counted by grouping.
 */
final class KeyHashes {
  /**
   * The most rows whose hashes are brought to the driver: 32 MB of them, at most three times
   * that while they are merged (the tasks' arrays, their concatenation, the sort's buffer),
   * well inside a default 1 GB driver.
   */
  static final long MAX_ROWS = 4_000_000L;

  private KeyHashes() {}

  /**
   * The most distinct hashes that repeat which hash() hands back: a partition's re-delivered
   * events, whose rows are then grouped alone (KeyCounts) and deduped alone (RowCleaner).
   */
  static final int MAX_REPEATED = 100_000;

  /**
   * A batch's keys hashed: its rows, its rows per event date (each row under its own), and the
   * hashes that occur more than once, in order (a repeated key, or rarely two keys with one hash).
   */
  record Hashed(long rows, Map<LocalDate, Long> byDate, List<Long> repeated) {}

  /** The batch's counts when every key is complete and once; null when that is not shown (count exactly). */
  static KeyCounts ifUnique(Dataset<Row> rows, List<String> keys, String eventTime) {
    return ifUnique(rows, keys, eventTime, MAX_ROWS);
  }

  /** As above, bringing at most maxRows hashes to the driver. */
  static KeyCounts ifUnique(Dataset<Row> rows, List<String> keys, String eventTime, long maxRows) {
    Hashed hashed = hash(rows, keys, eventTime, maxRows);
    return hashed == null || !hashed.repeated().isEmpty() ? null : KeyCounts.unique(hashed);
  }

  /**
   * The batch's keys hashed in one scan; null when its keys cannot be shown so (a null key
   * part, a floating-point key, more than maxRows rows, more than MAX_REPEATED hashes repeated).
   */
  static Hashed hash(Dataset<Row> rows, List<String> keys, String eventTime, long maxRows) {
    if (!keys.stream().allMatch(key -> hashesAsGrouped(typeOf(rows, key)))) {
      return null;
    }
    Column complete = Arrays.stream(keyColumns(keys)).map(Column::isNotNull).reduce(Column::and).orElseThrow();
    Column day = functions.datediff(functions.to_date(functions.col(Identifiers.quote(eventTime))),
        functions.lit(java.sql.Date.valueOf("1970-01-01")));
    // Spark's internal rows, read in place: converting each to a Row, and boxing its date's
    // count, took 0.5-0.8 s of a year of lineitem where this takes 0.5-0.7 s (a scan alone 0.3-0.7 s).
    JavaRDD<InternalRow> selected = rows.select(of(keys), complete, day).queryExecution().toRdd().toJavaRDD();
    // Each task keeps at most its share of maxRows: a larger batch stops early and is grouped.
    long perTask = Math.max(1, maxRows / Math.max(1, selected.getNumPartitions()));
    List<TaskHashes> tasks = selected.mapPartitions(new HashTask(perTask)).collect();
    long total = 0;
    Map<LocalDate, Long> byDate = new TreeMap<>();
    for (TaskHashes task : tasks) {
      if (task.grouped) {
        return null;
      }
      total += task.hashes.length;
      task.rowsByDay.forEach((d, n) -> byDate.merge(LocalDate.ofEpochDay(d), n, Long::sum));
    }
    List<Long> repeated = repeats(tasks, total);
    return repeated == null ? null : new Hashed(total, byDate, repeated);
  }

  /** The 64-bit hash of a row's keys that hash() sorts, as a column. */
  static Column of(List<String> keys) {
    return functions.xxhash64(keyColumns(keys));
  }

  private static Column[] keyColumns(List<String> keys) {
    return keys.stream().map(k -> functions.col(Identifiers.quote(k))).toArray(Column[]::new);
  }

  /** The column's type, its name matched as Spark resolves it (case-insensitively); null if there is none. */
  private static DataType typeOf(Dataset<Row> rows, String column) {
    return Arrays.stream(rows.schema().fields()).filter(f -> f.name().equalsIgnoreCase(column))
        .map(org.apache.spark.sql.types.StructField::dataType).findFirst().orElse(null);
  }

  /**
   * Whether two values of the type that Spark groups as one always hash alike: not so for
   * floating point (-0.0 and 0.0, NaNs), nor for anything that may hold it (arrays, structs).
   */
  private static boolean hashesAsGrouped(DataType type) {
    return type instanceof StringType || type instanceof IntegerType || type instanceof LongType
        || type instanceof ShortType || type instanceof ByteType || type instanceof DecimalType
        || type instanceof DateType || type instanceof TimestampType || type instanceof TimestampNTZType
        || type instanceof BooleanType || type instanceof BinaryType;
  }

  /**
   * The hashes that occur more than once across the tasks' sorted hashes, each once and in
   * order; null when they are more than MAX_REPEATED.
   */
  private static List<Long> repeats(List<TaskHashes> tasks, long total) {
    long[] all = new long[Math.toIntExact(total)];
    int at = 0;
    for (TaskHashes task : tasks) {
      System.arraycopy(task.hashes, 0, all, at, task.hashes.length);
      at += task.hashes.length;
    }
    // Sorted runs, one per task: the JDK's sort finds and merges them.
    Arrays.sort(all);
    List<Long> repeated = new java.util.ArrayList<>();
    for (int i = 1; i < all.length; i++) {
      if (all[i] == all[i - 1] && (repeated.isEmpty() || repeated.get(repeated.size() - 1) != all[i])) {
        if (repeated.size() == MAX_REPEATED) {
          return null;
        }
        repeated.add(all[i]);
      }
    }
    return repeated;
  }

  /**
   * One task's rows: their key hashes sorted and their rows per epoch day (a null date left
   * out); or, when it found a null key part or more rows than its share, only that (grouped).
   */
  static final class TaskHashes implements Serializable {
    private static final long serialVersionUID = 1L;
    long[] hashes = new long[0];
    final Map<Integer, Long> rowsByDay = new HashMap<>();
    boolean grouped;
  }

  private static final class HashTask implements FlatMapFunction<Iterator<InternalRow>, TaskHashes> {
    private static final long serialVersionUID = 1L;
    private final long maxRows;

    HashTask(long maxRows) {
      this.maxRows = maxRows;
    }

    @Override
    public Iterator<TaskHashes> call(Iterator<InternalRow> rows) {
      TaskHashes task = new TaskHashes();
      int capacity = (int) Math.min(1024, maxRows);
      long[] hashes = new long[capacity];
      // The rows' epoch days, counted once sorted: no boxed count per row.
      int[] days = new int[capacity];
      int n = 0;
      int dated = 0;
      while (rows.hasNext()) {
        // Read at once: Spark reuses the row object for the next row.
        InternalRow row = rows.next();
        if (!row.getBoolean(1) || n == maxRows) {
          // The batch is counted by grouping: the rest of this task's rows need not be read.
          task.grouped = true;
          return List.of(task).iterator();
        }
        if (n == hashes.length) {
          hashes = Arrays.copyOf(hashes, (int) Math.min(maxRows, 2L * n));
          days = Arrays.copyOf(days, hashes.length);
        }
        hashes[n++] = row.getLong(0);
        if (!row.isNullAt(2)) {
          days[dated++] = row.getInt(2);
        }
      }
      task.hashes = Arrays.copyOf(hashes, n);
      Arrays.sort(task.hashes);
      Arrays.sort(days, 0, dated);
      for (int i = 0; i < dated; ) {
        int run = i;
        while (run < dated && days[run] == days[i]) {
          run++;
        }
        task.rowsByDay.put(days[i], (long) (run - i));
        i = run;
      }
      return List.of(task).iterator();
    }
  }
}
