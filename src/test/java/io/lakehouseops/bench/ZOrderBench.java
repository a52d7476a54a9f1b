package io.lakehouseops.bench;

import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Row;

/**
 * P4: how well a layout lets Iceberg skip files. All of lineitem in one unpartitioned table of
 * many files, rewritten by `compact` with binpack, a linear sort, and z-order on (l_shipday,
 * l_partkey), l_shipday being the ship date as days since the epoch. After each, the share of
 * data files Iceberg plans for a predicate selecting the middle quarter of each column's range
 * (one sixteenth of the rows: 6.25% of the files at best).
 */
final class ZOrderBench {
  private static final String TABLE = "lake.bench.zorder";

  private ZOrderBench() {}

  static List<Measurement> run(BenchLakehouse lake, long rows) throws Exception {
    var spark = lake.spark();
    spark.sql("DROP TABLE IF EXISTS " + TABLE);
    // Files of about 1/64 of the data, so the layout, not the file count, decides the share.
    long fileBytes = Math.max(256 * 1024, rows * 40 / 64);
    spark.sparkContext().setJobDescription("bench: create the z-order table");
    spark.sql("CREATE TABLE " + TABLE + " USING iceberg TBLPROPERTIES ('write.target-file-size-bytes' = '"
        + fileBytes + "', 'write.distribution-mode' = 'none') AS SELECT *, "
        + "CAST(unix_date(CAST(l_shipdate AS DATE)) AS INT) AS l_shipday FROM avro.`" + lake.rawGlob() + "`");
    Row range = spark.sql("SELECT min(l_shipday), max(l_shipday), min(l_partkey), max(l_partkey) FROM " + TABLE).first();
    Expression quarter = Expressions.and(middleQuarter("l_shipday", range.getInt(0), range.getInt(1)),
        middleQuarter("l_partkey", range.getLong(2), range.getLong(3)));
    List<String> common = List.of("--table", "bench.zorder", "--target-file-size", fileBytes / 1024 + "KB",
        "--set", "lakehouse.compact.options.rewrite-all=true");

    double binpackSeconds = compact(lake, common, "binpack");
    double binpackShare = share(lake, quarter);
    double sortSeconds = compact(lake, common, "sort");
    double sortShare = share(lake, quarter);
    double zorderSeconds = compact(lake, common, "zorder");
    double zorderShare = share(lake, quarter);
    long files = dataFiles(lake);

    String note = files + " data files; files planned: binpack " + percent(binpackShare) + ", linear sort "
        + percent(sortShare) + " (" + String.format(java.util.Locale.ROOT, "%.1f", sortSeconds)
        + " s), z-order " + percent(zorderShare) + ", ideal 6.25%";
    List<Measurement> results = new ArrayList<>();
    results.add(Measurement.share("P4", "files planned after z-order vs binpack",
        "compact --strategy zorder --sort-columns l_shipday,l_partkey", "compact (binpack)",
        zorderSeconds, binpackSeconds, zorderShare, binpackShare, 0.12, rows, note));
    return results;
  }

  private static double compact(BenchLakehouse lake, List<String> common, String strategy) {
    List<String> args = new ArrayList<>(List.of("compact", "--strategy", strategy));
    args.addAll(common);
    if (!"binpack".equals(strategy)) {
      args.addAll(List.of("--sort-columns", "l_shipday,l_partkey"));
    }
    return Stopwatch.seconds(() -> lake.cli(args.toArray(String[]::new)));
  }

  /** The share of the table's data files a scan with the predicate plans (its file skipping). */
  private static double share(BenchLakehouse lake, Expression predicate) throws Exception {
    Table table = Spark3Util.loadIcebergTable(lake.spark(), TABLE);
    table.refresh();
    long all = count(table.newScan().planFiles());
    long planned = count(table.newScan().filter(predicate).planFiles());
    return (double) planned / all;
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

  private static Expression middleQuarter(String column, long min, long max) {
    long width = max - min + 1;
    long from = min + width * 3 / 8;
    long to = min + width * 5 / 8;
    return column.equals("l_shipday")
        ? Expressions.and(Expressions.greaterThanOrEqual(column, (int) from), Expressions.lessThan(column, (int) to))
        : Expressions.and(Expressions.greaterThanOrEqual(column, from), Expressions.lessThan(column, to));
  }

  private static String percent(double share) {
    return String.format(java.util.Locale.ROOT, "%.1f%%", share * 100);
  }
}
