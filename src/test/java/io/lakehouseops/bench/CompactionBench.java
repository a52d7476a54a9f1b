package io.lakehouseops.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.pmod;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * P3: a lineitem table made of thousands of small files by many small appends (as hourly
 * loads leave it). A selective and a full aggregate query are timed before and after
 * `compact` (binpack); the compaction itself against a CTAS copy of the same rows.
 */
final class CompactionBench {
  private static final String TABLE = "lake.bench.small_files";
  private static final int APPENDS = 10;
  /** 10 appends x 12 months x 17: 2,040 files, just past the 2,000 the benchmark asks for. */
  private static final int FILES_PER_MONTH_PER_APPEND = 17;
  /** TPC-H Q6, the forecasting revenue change query: about 2% of the year's rows. */
  private static final String SELECTIVE = "SELECT sum(l_extendedprice * l_discount) FROM " + TABLE
      + " WHERE l_shipdate >= TIMESTAMP'%s-01-01' AND l_shipdate < TIMESTAMP'%s-01-01'"
      + " AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24";
  private static final String FULL = "SELECT l_returnflag, l_linestatus, sum(l_quantity), avg(l_discount), "
      + "count(*) FROM " + TABLE + " GROUP BY 1, 2";

  private CompactionBench() {}

  /** runs: timed runs of each query (the median counts); a quick check takes one. */
  static List<Measurement> run(BenchLakehouse lake, String partition, int runs) throws Exception {
    var spark = lake.spark();
    long rows = smallFilesTable(lake, TABLE, partition);
    long files = spark.sql("SELECT count(*) FROM " + TABLE + ".files").first().getLong(0);
    String selective = selectiveQuery(TABLE, partition);

    warmUp(lake, selective, FULL);
    double selectiveBefore = query(lake, selective, runs);
    double fullBefore = query(lake, FULL, runs);
    spark.sql("DROP TABLE IF EXISTS lake.bench.ctas_copy");
    double ctas = Stopwatch.seconds(() -> spark.sql("CREATE TABLE lake.bench.ctas_copy USING iceberg "
        + "PARTITIONED BY (months(l_shipdate)) AS SELECT * FROM " + TABLE));
    double compact = Stopwatch.seconds(() -> lake.cli("compact", "--table", "bench.small_files"));
    long filesAfter = spark.sql("SELECT count(*) FROM " + TABLE + ".files").first().getLong(0);
    warmUp(lake, selective, FULL);
    double selectiveAfter = query(lake, selective, runs);
    double fullAfter = query(lake, FULL, runs);

    String shape = files + " data files before, " + filesAfter + " after (" + APPENDS + " appends)";
    List<Measurement> results = new ArrayList<>();
    results.add(Measurement.speedup("P3-selective", "selective query (TPC-H Q6) after binpack", "after compact",
        "before compact", selectiveAfter, selectiveBefore, 20, rows, null, shape));
    results.add(Measurement.speedup("P3-full", "full aggregate after binpack", "after compact",
        "before compact", fullAfter, fullBefore, 20, rows, null, shape));
    results.add(Measurement.cost("P3-compact", "compaction vs CTAS copy", "compact (binpack, Iceberg "
        + "rewrite_data_files)", "CREATE TABLE AS SELECT of the same rows", compact, ctas, 1.5, rows, null, shape));
    return results;
  }

  /**
   * The table P3 compacts: the partition's rows in APPENDS appends of FILES_PER_MONTH_PER_APPEND
   * files a month each (about 2,000 small files); returns its rows.
   */
  static long smallFilesTable(BenchLakehouse lake, String table, String partition) throws Exception {
    // Cached: the appends each take a slice of the partition, which read the Avro once each.
    Dataset<Row> source = lake.rawPartition(partition).cache();
    long rows = source.count();
    lake.createEmptyLineitemTable(table, "'write.distribution-mode' = 'none'");
    for (int i = 0; i < APPENDS; i++) {
      source.filter(pmod(col("l_orderkey"), org.apache.spark.sql.functions.lit(APPENDS)).equalTo(i))
          .repartition(FILES_PER_MONTH_PER_APPEND).writeTo(table).append();
    }
    source.unpersist();
    return rows;
  }

  /** TPC-H Q6 on a table of the partition's year. */
  static String selectiveQuery(String table, String partition) {
    String year = partition.substring(0, 4);
    return SELECTIVE.replace(TABLE, table).formatted(year, Integer.parseInt(year) + 1);
  }

  /**
   * Plans both queries untimed: Iceberg reads the table's metadata (manifests of every file)
   * before the timed runs, which then measure reading the files. Running the queries to warm
   * up cost a quick check more than their timed runs (planning was a small part of that).
   */
  private static void warmUp(BenchLakehouse lake, String... queries) {
    for (String sql : queries) {
      lake.spark().sql(sql).queryExecution().executedPlan();
    }
  }

  /** Median of the timed runs of the query. */
  private static double query(BenchLakehouse lake, String sql, int runs) {
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      times.add(Stopwatch.seconds(() -> lake.spark().sql(sql).collect()));
    }
    return Stopwatch.median(times);
  }
}
