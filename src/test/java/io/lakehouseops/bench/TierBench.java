package io.lakehouseops.bench;

import io.lakehouseops.testing.LoopbackRelay;
import io.lakehouseops.testing.S3MockServer;
import java.util.ArrayList;
import java.util.List;

/**
 * P6: `tier` of N objects (one data file per day partition, all old enough) on the loopback
 * S3 server behind a relay that holds each request for a real endpoint's latency (50 ms: the
 * loopback server answers in microseconds, which hides what concurrency buys), at concurrency
 * 1, 16, 64 and 128 on identical tables; with the bytes the server sent during the run at 16
 * (counted by the relay), which a server-side copy keeps to the XML of its responses.
 */
final class TierBench {
  private static final String AS_OF = "2026-01-01";
  private static final long LATENCY_MILLIS = 50;
  private static final int[] CONCURRENCY = {1, 16, 64, 128};

  private TierBench() {}

  /** proxy: the byte-counting relay in front of the S3 server, the lakehouse's S3 endpoint. */
  static List<Measurement> run(BenchLakehouse lake, LoopbackRelay proxy, int objects) throws Exception {
    long bytes = 0;
    for (int concurrency : CONCURRENCY) {
      bytes = createTable(lake, "tier_c" + concurrency, objects);
    }
    proxy.latency(LATENCY_MILLIS);
    double[] seconds = new double[CONCURRENCY.length];
    long[] read = new long[CONCURRENCY.length];
    try {
      for (int i = 0; i < CONCURRENCY.length; i++) {
        int concurrency = CONCURRENCY[i];
        proxy.reset();
        seconds[i] = Stopwatch.seconds(() -> tier(lake, "tier_c" + concurrency, concurrency));
        read[i] = proxy.bytesFromServer();
      }
    } finally {
      proxy.latency(0);
    }
    StringBuilder rates = new StringBuilder();
    for (int i = 0; i < CONCURRENCY.length; i++) {
      rates.append(String.format(java.util.Locale.ROOT, "%s%.0f objects/s at %d", i == 0 ? "" : ", ",
          objects / seconds[i], CONCURRENCY[i]));
    }
    String note = String.format(java.util.Locale.ROOT, "%d objects, %.1f MB, %d ms per request: %s; bytes the "
        + "server sent: %,d at 16 and %,d at 1 (%.2f%% of the objects' bytes)", objects, bytes / 1e6,
        LATENCY_MILLIS, rates, read[1], read[0], 100.0 * Math.max(read[0], read[1]) / bytes);
    List<Measurement> results = new ArrayList<>();
    results.add(Measurement.speedup("P6", "tier at concurrency 16 vs 1, 50 ms per S3 request",
        "tier --concurrency 16", "tier --concurrency 1", seconds[1], seconds[0], 10.0, objects, null, note));
    for (int i = 2; i < CONCURRENCY.length; i++) {
      results.add(Measurement.speedup("P6-" + CONCURRENCY[i], "tier at concurrency " + CONCURRENCY[i]
          + " vs 1, 50 ms per S3 request (where the client saturates)", "tier --concurrency " + CONCURRENCY[i],
          "tier --concurrency 1", seconds[i], seconds[0], 1.0, objects, null, "see P6"));
    }
    results.add(new Measurement("P6-bytes", "bytes read by tier (server-side copy)", "tier --concurrency 16",
        "the objects' bytes", seconds[1], 0, (double) read[1] / bytes, "<= 1% of the objects' bytes",
        read[1] <= bytes / 100, objects, objects / seconds[1], null, "see P6"));
    return results;
  }

  /** One file per day in `objects` old day partitions; returns the files' total bytes. */
  private static long createTable(BenchLakehouse lake, String name, int objects) {
    var spark = lake.spark();
    String table = "lake.bench." + name;
    spark.sql("DROP TABLE IF EXISTS " + table);
    spark.sql("CREATE TABLE " + table + " (id BIGINT, ts TIMESTAMP, payload STRING) USING iceberg "
        + "PARTITIONED BY (days(ts)) LOCATION 's3a://" + S3MockServer.BUCKET + "/bench/" + name + "'");
    // About 128 KB per file: 256 rows of 16 hashes each.
    spark.sql("INSERT INTO " + table + " SELECT id, timestamp_seconds(unix_timestamp(DATE'" + AS_OF + "') "
        + "- (60 + id % " + objects + ") * 86400), concat_ws('', transform(sequence(1, 16), i -> "
        + "sha2(concat(id, ':', i), 256))) FROM range(0, " + objects * 256L + ")");
    return spark.sql("SELECT sum(file_size_in_bytes) FROM " + table + ".files").first().getLong(0);
  }

  private static Object tier(BenchLakehouse lake, String name, int concurrency) {
    return lake.cli("tier", "--table", "bench." + name, "--rule", "30d=STANDARD_IA", "--as-of", AS_OF,
        "--concurrency", String.valueOf(concurrency));
  }
}
