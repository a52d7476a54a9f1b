package io.lakehouseops.bench;

import io.lakehouseops.testing.LoopbackRelay;
import io.lakehouseops.testing.S3MockServer;
import java.util.ArrayList;
import java.util.List;

/**
 * P6: `tier` of N objects (one data file per day partition, all old enough) on the loopback
 * S3 server, at concurrency 1 against concurrency 16, on two identical tables; with the bytes
 * the server sent during each run (counted by a relay in front of it), which a server-side
 * copy keeps to the XML of its responses.
 */
final class TierBench {
  private static final String AS_OF = "2026-01-01";

  private TierBench() {}

  /** proxy: the byte-counting relay in front of the S3 server, the lakehouse's S3 endpoint. */
  static List<Measurement> run(BenchLakehouse lake, LoopbackRelay proxy, int objects) throws Exception {
    long bytes = createTable(lake, "tier_c1", objects);
    createTable(lake, "tier_c16", objects);

    proxy.reset();
    double serial = Stopwatch.seconds(() -> tier(lake, "tier_c1", 1));
    long serialRead = proxy.bytesFromServer();
    proxy.reset();
    double parallel = Stopwatch.seconds(() -> tier(lake, "tier_c16", 16));
    long parallelRead = proxy.bytesFromServer();

    String note = String.format(java.util.Locale.ROOT, "%d objects, %.1f MB; %.0f objects/s at 16, %.0f at 1; "
        + "bytes the server sent: %,d at 16 and %,d at 1 (%.2f%% of the objects' bytes)", objects,
        bytes / 1e6, objects / parallel, objects / serial, parallelRead, serialRead,
        100.0 * Math.max(serialRead, parallelRead) / bytes);
    List<Measurement> results = new ArrayList<>();
    results.add(Measurement.speedup("P6", "tier at concurrency 16 vs 1", "tier --concurrency 16",
        "tier --concurrency 1", parallel, serial, 1.0, objects, null, note));
    results.add(new Measurement("P6-bytes", "bytes read by tier (server-side copy)", "tier --concurrency 16",
        "the objects' bytes", parallel, 0, (double) parallelRead / bytes, "<= 1% of the objects' bytes",
        parallelRead <= bytes / 100, objects, objects / parallel, null, note));
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
