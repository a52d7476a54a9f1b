package io.lakehouseops.bench;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;

/**
 * P5: correct 1% of a year of lineitem, spread over 30 event days, through `backfill --source`
 * (write-audit-publish of a MERGE) against an INSERT OVERWRITE of the same 30 day partitions
 * with the corrected rows; under copy-on-write and merge-on-read. Both start from identical
 * day-partitioned tables and must end with the same rows (compared in the 30 days; counted in all). Iceberg's MERGE INTO of the same
 * rows, without gate or audit, is timed alongside: the least a MERGE can cost here. A quick
 * check runs merge-on-read only, the mode with the 3x target.
 */
final class BackfillBench {
  private static final String DATASET = "lineitem_daily";
  private static final String CURATED = "lake.curated." + DATASET;
  private static final String OVERWRITTEN = "lake.bench.lineitem_overwritten";
  private static final String MERGED = "lake.bench.lineitem_merged";
  private static final String FIX = "lake.bench.lineitem_fix";
  private static final String DAYS_TEMPLATE = "lake.bench.lineitem_days";
  private static final int DAYS = 30;

  private BackfillBench() {}

  static List<Measurement> run(BenchLakehouse lake, SparkJobCounter jobs, String partition, boolean quick) {
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

    String template = createDayTemplate(lake, partition);
    List<Measurement> results = new ArrayList<>();
    for (String mode : quick ? List.of("merge-on-read") : List.of("copy-on-write", "merge-on-read")) {
      copyOfDays(lake, CURATED, template, mode);
      copyOfDays(lake, OVERWRITTEN, template, mode);
      copyOfDays(lake, MERGED, template, mode);
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
      requireSameRows(lake, CURATED, corrected, pushable(days));
      requireSameRows(lake, MERGED, corrected, pushable(days));
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

  /**
   * The year's rows in a day-partitioned table, as promote would have left it, written once;
   * returns its metadata file, which each of the six tables starts from.
   */
  private static String createDayTemplate(BenchLakehouse lake, String partition) {
    lake.spark().sql("CREATE NAMESPACE IF NOT EXISTS lake.curated");
    lake.spark().sql("DROP TABLE IF EXISTS " + DAYS_TEMPLATE);
    lake.spark().sql("CREATE TABLE " + DAYS_TEMPLATE + " USING iceberg PARTITIONED BY (days(l_shipdate)) "
        + "TBLPROPERTIES ('format-version' = '2', 'write.wap.enabled' = 'true') AS SELECT * FROM avro.`"
        + lake.rawGlob().replace("dt=*", "dt=" + partition) + "`");
    Table table = Tables.load(lake.spark(), TableRef.parse(DAYS_TEMPLATE, "lake", "the template table"));
    return ((HasTableOperations) table).operations().current().metadataFileLocation();
  }

  /**
   * A table registered on the template's metadata file (Iceberg's register_table): the same
   * rows and files without writing them again (writing six tables was most of P5's set-up).
   * Each commit writes new files under their own names, so the tables never see each other's.
   */
  private static void copyOfDays(BenchLakehouse lake, String table, String metadataFile, String mode) {
    var spark = lake.spark();
    spark.sql("DROP TABLE IF EXISTS " + table);
    spark.sql("CALL lake.system.register_table(table => '" + table.substring("lake.".length()) + "', metadata_file => '"
        + metadataFile + "')");
    spark.sql("ALTER TABLE " + table + " SET TBLPROPERTIES ('write.merge.mode' = '" + mode + "', "
        + "'write.update.mode' = '" + mode + "', 'write.delete.mode' = '" + mode + "')");
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

  /**
   * Every way must leave the same rows: the 30 days' rows compared equal, both ways, and the
   * same row count in all. The other days' files are the template's in every table (no way
   * rewrites them); comparing them row by row was a third of P5's time.
   */
  private static void requireSameRows(BenchLakehouse lake, String table, long corrected, String daysPushable) {
    var spark = lake.spark();
    String mine = "(SELECT * FROM " + table + " WHERE " + daysPushable + ")";
    String theirs = "(SELECT * FROM " + OVERWRITTEN + " WHERE " + daysPushable + ")";
    long differing = spark.sql("SELECT count(*) FROM ((" + mine + " EXCEPT ALL " + theirs + ") UNION ALL ("
        + theirs + " EXCEPT ALL " + mine + "))").first().getLong(0);
    long fixed = spark.sql("SELECT count(*) FROM " + mine + " WHERE l_comment LIKE 'corrected: %'").first().getLong(0);
    long rows = spark.table(table).count();
    long overwrittenRows = spark.table(OVERWRITTEN).count();
    if (differing != 0 || fixed != corrected || rows != overwrittenRows) {
      throw new IllegalStateException(table + " and the INSERT OVERWRITE disagree: " + differing
          + " rows of the days differ; " + fixed + " of " + corrected + " corrections in " + table + "; "
          + rows + " rows against " + overwrittenRows);
    }
  }

  /** The days as ranges on l_shipdate itself, which Iceberg prunes files with (a CAST is not pushed down). */
  private static String pushable(List<LocalDate> days) {
    return days.stream().map(d -> "(l_shipdate >= TIMESTAMP'" + d + " 00:00:00' AND l_shipdate < TIMESTAMP'"
        + d.plusDays(1) + " 00:00:00')").collect(Collectors.joining(" OR ", "(", ")"));
  }
}
