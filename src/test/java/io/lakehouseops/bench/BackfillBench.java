package io.lakehouseops.bench;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * P5: correct 1% of a year of lineitem, spread over 30 event days, through `backfill --source`
 * (write-audit-publish of a MERGE) against an INSERT OVERWRITE of the same 30 day partitions
 * with the corrected rows; under copy-on-write and merge-on-read. Both start from identical
 * day-partitioned tables and must end with the same rows. Iceberg's MERGE INTO of the same
 * rows, without gate or audit, is timed alongside: the least a MERGE can cost here.
 */
final class BackfillBench {
  private static final String DATASET = "lineitem_daily";
  private static final String CURATED = "lake.curated." + DATASET;
  private static final String OVERWRITTEN = "lake.bench.lineitem_overwritten";
  private static final String MERGED = "lake.bench.lineitem_merged";
  private static final String FIX = "lake.bench.lineitem_fix";
  private static final int DAYS = 30;

  private BackfillBench() {}

  static List<Measurement> run(BenchLakehouse lake, SparkJobCounter jobs, String partition) {
    var spark = lake.spark();
    String year = partition.substring(0, 4);
    List<LocalDate> days = new ArrayList<>();
    for (int i = 0; i < DAYS; i++) {
      days.add(LocalDate.parse(year + "-01-06").plusDays(12L * i));
    }
    String dayList = days.stream().map(d -> "DATE'" + d + "'").collect(Collectors.joining(", "));
    String inDays = "CAST(l_shipdate AS DATE) IN (" + dayList + ")";
    long rows = lake.rawPartition(partition).count();
    long rowsInDays = lake.rawPartition(partition).filter(inDays).count();
    // Every k-th order of those days, so the corrections are 1% of the year's rows.
    long k = Math.max(1, Math.round(rowsInDays / (rows * 0.01)));
    spark.sql("DROP TABLE IF EXISTS " + FIX);
    spark.sql("CREATE TABLE " + FIX + " USING iceberg AS SELECT l_orderkey, l_partkey, l_suppkey, "
        + "l_linenumber, l_quantity, l_extendedprice, l_discount * 0.5 AS l_discount, l_tax, l_returnflag, "
        + "l_linestatus, l_shipdate, l_commitdate, l_receiptdate, l_shipinstruct, l_shipmode, "
        + "concat('corrected: ', l_comment) AS l_comment FROM avro.`" + lake.rawGlob().replace("dt=*", "dt=" + partition)
        + "` WHERE " + inDays + " AND pmod(l_orderkey, " + k + ") = 0");
    long corrected = spark.table(FIX).count();

    List<Measurement> results = new ArrayList<>();
    for (String mode : List.of("copy-on-write", "merge-on-read")) {
      createDayTable(lake, CURATED, partition, mode);
      createDayTable(lake, OVERWRITTEN, partition, mode);
      createDayTable(lake, MERGED, partition, mode);
      jobs.resetProfile();
      double backfill = Stopwatch.seconds(() -> lake.cli("backfill", "--dataset", DATASET,
          "--from", days.get(0).toString(), "--to", days.get(DAYS - 1).toString(), "--triggered-by", "bug_fix",
          "--source", "bench.lineitem_fix", "--chunk-days", "400", "--force",
          "--set", "lakehouse.datasets." + DATASET + ".write-mode=" + mode));
      jobs.printProfile("P5 backfill, " + mode + " (" + String.format(java.util.Locale.ROOT, "%.1f", backfill)
          + " s; the rest is the driver's: planning, commits, metadata)");
      double overwrite = Stopwatch.seconds(() -> overwrite(lake, inDays));
      // For reference: Iceberg's MERGE INTO alone, what any backfill by MERGE pays at the least.
      double merge = Stopwatch.seconds(() -> merge(lake, inDays));
      requireSameRows(lake, CURATED, corrected);
      requireSameRows(lake, MERGED, corrected);
      results.add(Measurement.speedup("P5-" + (mode.startsWith("copy") ? "cow" : "mor"),
          "backfill MERGE vs INSERT OVERWRITE, " + mode, "backfill --source (" + mode + ")",
          "INSERT OVERWRITE of the " + DAYS + " day partitions", backfill, overwrite,
          mode.startsWith("merge") ? 3.0 : 1.0, corrected, null,
          corrected + " corrected rows (" + String.format(java.util.Locale.ROOT, "%.2f%%", 100.0 * corrected / rows)
              + " of " + rows + ") over " + DAYS + " days; Iceberg's MERGE INTO alone (no gate, no audit) "
              + String.format(java.util.Locale.ROOT, "%.2f s, %.2fx faster than the overwrite", merge, overwrite / merge)));
    }
    return results;
  }

  /** The year's rows in a day-partitioned table, as promote would have left it. */
  private static void createDayTable(BenchLakehouse lake, String table, String partition, String mode) {
    lake.spark().sql("CREATE NAMESPACE IF NOT EXISTS lake.curated");
    lake.spark().sql("DROP TABLE IF EXISTS " + table);
    lake.spark().sql("CREATE TABLE " + table + " USING iceberg PARTITIONED BY (days(l_shipdate)) TBLPROPERTIES ("
        + "'format-version' = '2', 'write.wap.enabled' = 'true', 'write.merge.mode' = '" + mode + "', "
        + "'write.update.mode' = '" + mode + "', 'write.delete.mode' = '" + mode + "') AS SELECT * FROM avro.`"
        + lake.rawGlob().replace("dt=*", "dt=" + partition) + "`");
  }

  /** The baseline: the 30 days rewritten whole, the corrected rows in place of the old ones. */
  private static Object overwrite(BenchLakehouse lake, String inDays) {
    var spark = lake.spark();
    spark.sparkContext().setJobDescription("bench: INSERT OVERWRITE");
    spark.conf().set("spark.sql.sources.partitionOverwriteMode", "dynamic");
    try {
      spark.sql("INSERT OVERWRITE " + OVERWRITTEN + " SELECT * FROM " + FIX + " UNION ALL SELECT t.* FROM "
          + OVERWRITTEN + " t LEFT ANTI JOIN " + FIX + " f ON t.l_orderkey = f.l_orderkey AND "
          + "t.l_linenumber = f.l_linenumber WHERE " + inDays.replace("l_shipdate", "t.l_shipdate"));
    } finally {
      spark.conf().unset("spark.sql.sources.partitionOverwriteMode");
    }
    return null;
  }

  /** The reference: the corrected rows MERGEd into the same 30 days by Iceberg alone. */
  private static Object merge(BenchLakehouse lake, String inDays) {
    lake.spark().sparkContext().setJobDescription("bench: Iceberg MERGE INTO");
    lake.spark().sql("MERGE INTO " + MERGED + " t USING " + FIX + " s ON t.l_orderkey = s.l_orderkey AND "
        + "t.l_linenumber = s.l_linenumber AND " + inDays.replace("l_shipdate", "t.l_shipdate")
        + " WHEN MATCHED THEN UPDATE SET *");
    return null;
  }

  /** Every way must leave the same rows: the benchmark compares equals. */
  private static void requireSameRows(BenchLakehouse lake, String table, long corrected) {
    var spark = lake.spark();
    long differing = spark.sql("SELECT count(*) FROM ((SELECT * FROM " + table + " EXCEPT ALL SELECT * FROM "
        + OVERWRITTEN + ") UNION ALL (SELECT * FROM " + OVERWRITTEN + " EXCEPT ALL SELECT * FROM " + table + "))")
        .first().getLong(0);
    long fixed = spark.sql("SELECT count(*) FROM " + table + " WHERE l_comment LIKE 'corrected: %'").first().getLong(0);
    if (differing != 0 || fixed != corrected) {
      throw new IllegalStateException(table + " and the INSERT OVERWRITE disagree: " + differing
          + " rows differ; " + fixed + " of " + corrected + " corrections in " + table);
    }
  }
}
