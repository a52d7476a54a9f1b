package io.lakehouseops.bench;

import io.lakehouseops.testing.LoopbackRelay;
import io.lakehouseops.testing.S3MockServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.SparkSession;

/**
 * P9-deletes: objects deleted per second by an expiry on the loopback S3 server, behind the
 * relay that holds each request for 50 ms (P6's). Each table has `objects` data files, one a
 * partition, all removed by a later whole-table delete; an expiry of the first snapshot deletes
 * them. Before: Iceberg's expire action with a delete function of its own that asks each file's
 * size, then deletes it (what expire-snapshots did until it took the bytes from the manifests:
 * Iceberg then logs "Custom delete function provided. Using non-bulk deletes" and deletes one
 * object per request, on the job's pool of 8). After: expire-snapshots, which hands the files
 * to the FileIO's bulk delete. Both through Iceberg's S3FileIO (a catalog with ResolvingFileIO,
 * which maps s3a:// to it: up to 250 objects per DeleteObjects request), and through the
 * project's default s3a:// (HadoopFileIO, whose bulk delete is one request per object on a pool).
 * Data files deleted per second of the whole run (the metadata walk and commit included).
 */
final class ExpireDeleteBench {
  private static final long LATENCY_MILLIS = 50;
  private static final String S3FILEIO_CATALOG = "lake_s3fileio";
  private static final String NAMESPACE = "p9s3";
  private static final int OLD_POOL = 8;

  private ExpireDeleteBench() {}

  /** One way to expire: its name, the catalog its tables are in, and whether it is expire-snapshots. */
  private record Way(String name, String catalog, boolean ours) {}

  static List<Measurement> run(BenchLakehouse lake, LoopbackRelay relay, int objects) throws Exception {
    SparkSession spark = lake.spark();
    Path s3fileio = s3FileIoConfig(lake, relay);
    registerCatalog(spark, relay);
    List<Way> ways = List.of(new Way("before_s3fileio", S3FILEIO_CATALOG, false),
        new Way("after_s3fileio", S3FILEIO_CATALOG, true), new Way("before_s3a", "lake", false),
        new Way("after_s3a", "lake", true));
    // Each way once on a few objects first, the S3 clients and the classes then warm alike; all
    // built before any expires, so that each first snapshot is older than expire-snapshots' 1s.
    for (Way way : ways) {
      build(spark, way, "warm_" + way.name(), 5);
    }
    for (Way way : ways) {
      expire(lake, s3fileio, way, "warm_" + way.name());
    }
    for (Way way : ways) {
      build(spark, way, way.name(), objects);
    }
    double[] seconds = new double[ways.size()];
    long[] deleted = new long[ways.size()];
    for (int i = 0; i < ways.size(); i++) {
      Way way = ways.get(i);
      long before = dataObjects(spark, way.name());
      relay.latency(LATENCY_MILLIS);
      try {
        seconds[i] = Stopwatch.seconds(() -> expire(lake, s3fileio, way, way.name()));
      } finally {
        relay.latency(0);
      }
      deleted[i] = before - dataObjects(spark, way.name());
      if (deleted[i] != objects) {
        throw new IllegalStateException("P9-deletes: " + way.name() + " deleted " + deleted[i] + " of " + objects
            + " data files");
      }
    }
    String note = String.format(Locale.ROOT, "%d data files a table, %d ms per request; data files deleted per "
        + "second: S3FileIO %.0f before, %.0f after; s3a %.0f before, %.0f after", objects, LATENCY_MILLIS,
        deleted[0] / seconds[0], deleted[1] / seconds[1], deleted[2] / seconds[2], deleted[3] / seconds[3]);
    List<Measurement> results = new ArrayList<>();
    results.add(Measurement.speedup("P9-deletes", "expire on S3 (S3FileIO), bulk vs per-object deletes, 50 ms "
        + "per request", "expire-snapshots (S3FileIO bulk delete)", "expire action, custom delete function",
        seconds[1], seconds[0], 1.0, objects, null, note));
    results.add(Measurement.speedup("P9-deletes-s3a", "expire on S3 (s3a://, HadoopFileIO), bulk vs per-object "
        + "deletes, 50 ms per request", "expire-snapshots (HadoopFileIO bulk delete)",
        "expire action, custom delete function", seconds[3], seconds[2], 1.0, objects, null, "see P9-deletes"));
    return results;
  }

  /** The bench's configuration with its catalog renamed and given ResolvingFileIO and the relay's endpoint. */
  private static Path s3FileIoConfig(BenchLakehouse lake, LoopbackRelay relay) throws IOException {
    Path config = lake.work().resolve("bench-s3fileio.conf");
    Files.writeString(config, """
        include "bench.conf"
        lakehouse.catalog.name = "%s"
        lakehouse.catalog.properties {
        %s
        }
        """.formatted(S3FILEIO_CATALOG, String.join("\n", catalogProperties(relay).stream()
        .map(p -> "  \"" + p[0] + "\" = \"" + p[1] + "\"").toList())));
    return config;
  }

  /** The S3FileIO catalog in this session too, for the tables' set-up and the baseline's action. */
  private static void registerCatalog(SparkSession spark, LoopbackRelay relay) {
    String prefix = "spark.sql.catalog." + S3FILEIO_CATALOG;
    spark.conf().set(prefix, "org.apache.iceberg.spark.SparkCatalog");
    for (String key : List.of("type", "uri", "warehouse", "jdbc.schema-version")) {
      spark.conf().set(prefix + "." + key, spark.conf().get("spark.sql.catalog.lake." + key));
    }
    catalogProperties(relay).forEach(p -> spark.conf().set(prefix + "." + p[0], p[1]));
  }

  private static List<String[]> catalogProperties(LoopbackRelay relay) {
    // The loopback server takes any credentials; S3FileIO signs its requests with these.
    return List.of(new String[] {"io-impl", "org.apache.iceberg.io.ResolvingFileIO"},
        new String[] {"s3.endpoint", relay.endpoint()}, new String[] {"s3.path-style-access", "true"},
        new String[] {"s3.access-key-id", "bench"}, new String[] {"s3.secret-access-key", "bench"},
        new String[] {"client.region", "us-east-1"},
        // The client the project ships for S3FileIO (Iceberg's default, Apache 5, is not shipped).
        new String[] {"http-client.type", "urlconnection"});
  }

  /** `objects` data files on S3, one a partition, then a delete of every row: the first snapshot is expirable. */
  private static void build(SparkSession spark, Way way, String name, int objects) {
    String table = way.catalog() + "." + NAMESPACE + "." + name;
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + way.catalog() + "." + NAMESPACE);
    spark.sql("CREATE TABLE " + table + " (id BIGINT, part INT) USING iceberg PARTITIONED BY (part) LOCATION '"
        + location(name) + "'");
    spark.sql("INSERT INTO " + table + " SELECT id, CAST(id AS INT) FROM range(0, " + objects + ")");
    spark.sql("DELETE FROM " + table);
  }

  private static Object expire(BenchLakehouse lake, Path s3fileio, Way way, String name) throws Exception {
    if (way.ours()) {
      String[] args = {"expire-snapshots", "--table", NAMESPACE + "." + name, "--older-than", "1s",
          "--retain-last", "1", "--force"};
      return S3FILEIO_CATALOG.equals(way.catalog()) ? lake.cli(s3fileio, args) : lake.cli(args);
    }
    Table table = Spark3Util.loadIcebergTable(lake.spark(), way.catalog() + "." + NAMESPACE + "." + name);
    FileIO io = table.io();
    ExecutorService pool = Executors.newFixedThreadPool(OLD_POOL);
    try {
      return SparkActions.get(lake.spark()).expireSnapshots(table)
          .expireOlderThan(System.currentTimeMillis()).retainLast(1)
          .deleteWith(path -> {
            io.newInputFile(path).getLength(); // the bytes the old function counted
            io.deleteFile(path);
          })
          .executeDeleteWith(pool).execute();
    } finally {
      pool.shutdown();
    }
  }

  private static String location(String name) {
    return "s3a://" + S3MockServer.BUCKET + "/p9-deletes/" + name;
  }

  /** The table's data files on the server, listed through s3a (with the relay's latency off). */
  private static long dataObjects(SparkSession spark, String name) throws IOException {
    org.apache.hadoop.fs.Path data = new org.apache.hadoop.fs.Path(location(name) + "/data");
    FileSystem fs = data.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (!fs.exists(data)) {
      return 0;
    }
    long count = 0;
    for (RemoteIterator<?> files = fs.listFiles(data, true); files.hasNext(); files.next()) {
      count++;
    }
    return count;
  }
}
