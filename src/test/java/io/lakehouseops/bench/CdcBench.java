package io.lakehouseops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;

/**
 * P7: a CDC table as a streaming upsert writer leaves it (sample-data --cdc: equality deletes
 * on about 20% of the keys, over many small commits) read before and after compact
 * --rewrite-deletes, what the maintenance DAG runs when health recommends it: the median of a
 * selective (one day) and a full (group by) query, each way in the same run. The compaction
 * is timed against a CTAS copy of the live rows (which reads through the same deletes). The
 * read amplification health estimates is noted before and after; both ways must read the same
 * rows.
 */
final class CdcBench {
  private static final String TABLE = "lake.bench.cdc_orders";
  private static final String COPY = "lake.bench.cdc_orders_copy";
  // Amounts are cents: summed as integers, both ways give the same answer whatever the order.
  private static final String SELECTIVE = "SELECT count(*), sum(CAST(round(amount * 100) AS BIGINT)) FROM " + TABLE
      + " WHERE created_at >= TIMESTAMP'2024-01-15 00:00:00' AND created_at < TIMESTAMP'2024-01-16 00:00:00'";
  private static final String FULL = "SELECT status, count(*), sum(CAST(round(amount * 100) AS BIGINT)) FROM " + TABLE
      + " GROUP BY status";

  private CdcBench() {}

  /**
   * rows: keys inserted; commits: upsert commits; runsBefore, runsAfter: timed runs of each
   * query before and after compaction (the median counts). At medium size one uncompacted full
   * query takes minutes, so there it runs once after the untimed run that takes its result.
   */
  static List<Measurement> run(BenchLakehouse lake, long rows, int commits, int runsBefore, int runsAfter) {
    var spark = lake.spark();
    spark.sql("DROP TABLE IF EXISTS " + TABLE);
    spark.sql("DROP TABLE IF EXISTS " + COPY);
    double written = Stopwatch.seconds(() -> lake.cli("sample-data", "--cdc", "--table", "bench.cdc_orders",
        "--rows", String.valueOf(rows), "--commits", String.valueOf(commits)));
    JsonNode before = deletes(lake);
    List<Row> selectiveBefore = spark.sql(SELECTIVE).collectAsList();
    List<Row> fullBefore = spark.sql(FULL).orderBy("status").collectAsList();
    // The untimed reads above that took the results are the warm-up.
    double selectiveSlow = query(lake, SELECTIVE, runsBefore);
    double fullSlow = query(lake, FULL, runsBefore);
    long live = spark.sql("SELECT count(*) FROM " + TABLE).first().getLong(0);
    double ctas = Stopwatch.seconds(() -> spark.sql("CREATE TABLE " + COPY + " USING iceberg PARTITIONED BY "
        + "(days(created_at)) AS SELECT * FROM " + TABLE));
    double compaction = Stopwatch.seconds(() -> lake.cli("compact", "--table", "bench.cdc_orders", "--rewrite-deletes"));
    JsonNode after = deletes(lake);
    // Untimed: the results to compare, and the warm-up of the timed runs after.
    if (!selectiveBefore.equals(spark.sql(SELECTIVE).collectAsList())
        || !fullBefore.equals(spark.sql(FULL).orderBy("status").collectAsList())) {
      throw new IllegalStateException("the compacted table answers differently");
    }
    double selectiveFast = query(lake, SELECTIVE, runsAfter);
    double fullFast = query(lake, FULL, runsAfter);
    String shape = String.format(Locale.ROOT, "%d keys, %d commits (written in %.0f s): %d equality-delete files, "
        + "%d delete rows; read amplification %.2f -> %.2f", rows, commits, written,
        before.get("equality_delete_files").asLong(), before.get("equality_delete_rows").asLong(),
        before.get("read_amplification").asDouble(), after.get("read_amplification").asDouble());
    List<Measurement> results = new ArrayList<>();
    results.add(Measurement.speedup("P7", "CDC table, selective query (one day) after compact --rewrite-deletes",
        "after", "before", selectiveFast, selectiveSlow, 10.0, live, null, runs(runsBefore, runsAfter) + "; " + shape));
    results.add(Measurement.speedup("P7", "CDC table, full query (group by status) after compact --rewrite-deletes",
        "after", "before", fullFast, fullSlow, 10.0, live, null, runs(runsBefore, runsAfter)));
    results.add(Measurement.cost("P7", "CDC compaction against a CTAS copy of the live rows",
        "compact --rewrite-deletes", "CREATE TABLE AS SELECT", compaction, ctas, 2.0, live, null,
        live + " live rows"));
    return results;
  }

  private static String runs(int before, int after) {
    return "median of " + before + " runs before, " + after + " after";
  }

  private static double query(BenchLakehouse lake, String sql, int runs) {
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      times.add(Stopwatch.seconds(() -> lake.spark().sql(sql).collectAsList()));
    }
    return Stopwatch.median(times);
  }

  private static JsonNode deletes(BenchLakehouse lake) {
    String out = lake.cli("health", "--table", "bench.cdc_orders");
    try {
      List<String> lines = out.lines().toList();
      return new ObjectMapper().readTree(lines.get(lines.size() - 1)).at("/result/tables/0/deletes");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
