package io.lakehouseops.bench;

import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.Row;

/**
 * P4: how well a layout lets Iceberg skip files. Three years of lineitem in one unpartitioned
 * table of many files, rewritten by `compact` with binpack, a linear sort, Iceberg's z-order
 * (its action, for reference) and ours, on the Z curve and on the Hilbert curve (the default),
 * on (l_shipday, l_partkey), l_shipday being the ship date
 * as days since the epoch. After each, the share of data files Iceberg plans for predicates
 * selecting a quarter of each column's range (one sixteenth of the rows: 6.25% of the files at
 * best), averaged over 49 positions of the two windows.
 */
final class ZOrderBench {
  private static final String TABLE = "lake.bench.zorder";

  private ZOrderBench() {}

  /** references: also a linear sort and Iceberg's own z-order, for comparison (a quick check skips them). */
  static List<Measurement> run(BenchLakehouse lake, List<String> partitions, boolean references) throws Exception {
    var spark = lake.spark();
    spark.sql("DROP TABLE IF EXISTS " + TABLE);
    spark.read().format("avro").load(partitions.stream().map(lake::rawPath).toArray(String[]::new))
        .createOrReplaceTempView("zorder_source");
    long rows = spark.table("zorder_source").count();
    // Files of about 1/64 of the data, so the layout, not the file count, decides the share.
    long fileBytes = Math.max(128 * 1024, rows * 40 / 64);
    spark.sparkContext().setJobDescription("bench: create the z-order table");
    spark.sql("CREATE TABLE " + TABLE + " USING iceberg TBLPROPERTIES ('write.target-file-size-bytes' = '"
        + fileBytes + "', 'write.distribution-mode' = 'none') AS SELECT *, "
        + "CAST(unix_date(CAST(l_shipdate AS DATE)) AS INT) AS l_shipday FROM zorder_source");
    Row range = spark.sql("SELECT min(l_shipday), max(l_shipday), min(l_partkey), max(l_partkey) FROM " + TABLE).first();
    List<Expression> quarters = quarterWindows(range.getInt(0), range.getInt(1), range.getLong(2), range.getLong(3));
    Expression middle = quarters.get(quarters.size() / 2);
    List<String> common = List.of("--table", "bench.zorder", "--target-file-size", fileBytes / 1024 + "KB",
        "--set", "lakehouse.compact.options.rewrite-all=true");

    double binpackSeconds = compact(lake, common, "binpack");
    double binpackShare = share(lake, quarters);
    String referenceNote = "linear sort and Iceberg's z-order not run (a quick check)";
    if (references) {
      compact(lake, common, "sort");
      double sortShare = share(lake, quarters);
      double icebergSeconds = Stopwatch.seconds(() -> SparkActions.get(spark)
          .rewriteDataFiles(Spark3Util.loadIcebergTable(spark, TABLE)).zOrder("l_shipday", "l_partkey")
          .option("target-file-size-bytes", String.valueOf(fileBytes)).option("rewrite-all", "true").execute());
      referenceNote = String.format(java.util.Locale.ROOT, "linear sort %s, Iceberg's z-order %s (%.1f s; the middle "
          + "quarter of both: %s)", percent(sortShare), percent(share(lake, quarters)), icebergSeconds,
          percent(share(lake, List.of(middle))));
    }
    // Ours on the Z curve (lakehouse.compact.curve = z), then on the default Hilbert curve.
    List<String> onZ = new ArrayList<>(common);
    onZ.addAll(List.of("--set", "lakehouse.compact.curve=z"));
    double zSeconds = compact(lake, onZ, "zorder");
    double zShare = share(lake, quarters);
    double zorderSeconds = compact(lake, common, "zorder");
    double zorderShare = share(lake, quarters);
    double zorderMiddle = share(lake, List.of(middle));
    long files = dataFiles(lake);

    String note = String.format(java.util.Locale.ROOT, "%d rows, %d data files; mean over %d quarter windows "
        + "(7 positions per column): binpack %s, ours %s (the middle quarter of both: %s), ours on the Z curve %s "
        + "(%.1f s); %s; ideal 6.25%%", rows, files, quarters.size(), percent(binpackShare), percent(zorderShare),
        percent(zorderMiddle), percent(zShare), zSeconds, referenceNote);
    List<Measurement> results = new ArrayList<>();
    results.add(Measurement.share("P4", "files planned after z-order vs binpack",
        "compact --strategy zorder --sort-columns l_shipday,l_partkey", "compact (binpack)",
        zorderSeconds, binpackSeconds, zorderShare, binpackShare, 0.07, rows, note));
    return results;
  }

  /** Predicates on a quarter of each column's range, at 7 positions per column (0, 1/8, ... 6/8). */
  private static List<Expression> quarterWindows(int dayMin, int dayMax, long partMin, long partMax) {
    List<Expression> windows = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      for (int j = 0; j < 7; j++) {
        windows.add(Expressions.and(window("l_shipday", dayMin, dayMax, i), window("l_partkey", partMin, partMax, j)));
      }
    }
    return windows;
  }

  private static Expression window(String column, long min, long max, int eighth) {
    long width = max - min + 1;
    long from = min + width * eighth / 8;
    long to = from + width / 4;
    return column.equals("l_shipday")
        ? Expressions.and(Expressions.greaterThanOrEqual(column, (int) from), Expressions.lessThan(column, (int) to))
        : Expressions.and(Expressions.greaterThanOrEqual(column, from), Expressions.lessThan(column, to));
  }

  private static double compact(BenchLakehouse lake, List<String> common, String strategy) {
    List<String> args = new ArrayList<>(List.of("compact", "--strategy", strategy));
    args.addAll(common);
    if (!"binpack".equals(strategy)) {
      args.addAll(List.of("--sort-columns", "l_shipday,l_partkey"));
    }
    return Stopwatch.seconds(() -> lake.cli(args.toArray(String[]::new)));
  }

  /** The mean share of the table's data files scans with the predicates plan (their file skipping). */
  private static double share(BenchLakehouse lake, List<Expression> predicates) throws Exception {
    Table table = Spark3Util.loadIcebergTable(lake.spark(), TABLE);
    table.refresh();
    long all = count(table.newScan().planFiles());
    double sum = 0;
    for (Expression predicate : predicates) {
      sum += (double) count(table.newScan().filter(predicate).planFiles()) / all;
    }
    return sum / predicates.size();
  }

  private static long dataFiles(BenchLakehouse lake) throws Exception {
    Table table = Spark3Util.loadIcebergTable(lake.spark(), TABLE);
    table.refresh();
    return count(table.newScan().planFiles());
  }

  private static long count(CloseableIterable<FileScanTask> tasks) throws java.io.IOException {
    long n = 0;
    try (tasks) {
      for (FileScanTask ignored : tasks) {
        n++;
      }
    }
    return n;
  }

  private static String percent(double share) {
    return String.format(java.util.Locale.ROOT, "%.1f%%", share * 100);
  }
}
