package io.lakehouseops.bench;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.iceberg.SyntheticHistory;
import org.apache.iceberg.Table;
import org.apache.spark.sql.SparkSession;

/**
 * P9: large metadata. Tables of `appends` + 1 snapshots (appends of 20 files of a day, ten a
 * day, manifests merged every 100 appends; a retention delete of the first 100 days 1,000
 * appends before the end), built straight into Iceberg's metadata (SyntheticHistory). Timed:
 * health against Iceberg's metadata tables (the partitions and snapshots a health check reads;
 * Iceberg has no health procedure), and expire-snapshots --dry-run and expire-snapshots on one
 * table against Iceberg's expire_snapshots procedure on another built alike (the same
 * retention: older than 7 days, the newest one kept; both must leave the same snapshots and
 * files). The dry run is set against the real procedure: Iceberg has no dry run, and a preview
 * should not cost more than the work. Then each once more on two more copies with the heap
 * sampled (HeapWatch: a full collection every 100 ms, so those runs are not timed).
 */
final class LargeMetadataBench {
  private static final String NAMESPACE = "p9";
  private static final String OURS = NAMESPACE + ".history_ours";
  private static final String ICEBERGS = NAMESPACE + ".history_iceberg";
  private static final String HEAP = "_heap";
  private static final int RUNS = 2;

  private LargeMetadataBench() {}

  private record Subject(String name, Callable<?> step) {}

  static List<Measurement> run(BenchLakehouse lake, int appends) throws IOException {
    SparkSession spark = lake.spark();
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake." + NAMESPACE);
    // Commits every 2.4 hours, ten a day: the newest 3 days old, so a 7-day expiry keeps 40.
    long now = System.currentTimeMillis();
    SyntheticHistory.Shape shape = new SyntheticHistory.Shape(appends, 20, 10, 100, appends - 1000, 100,
        now - Duration.ofDays(3).toMillis(), Duration.ofMinutes(144).toMillis());
    SyntheticHistory.Written written = null;
    for (String name : List.of(OURS, ICEBERGS, OURS + HEAP, ICEBERGS + HEAP)) {
      long started = System.nanoTime();
      written = build(lake, name, shape);
      System.out.printf("bench: P9 table %s built in %.0f s: %s%n", name, (System.nanoTime() - started) / 1e9, written);
    }
    // Both expiries once on small tables of the same shape first: the timed runs are warm alike.
    SyntheticHistory.Shape small = new SyntheticHistory.Shape(300, 20, 10, 100, 200, 10, shape.lastCommitMillis(),
        shape.commitIntervalMillis());
    build(lake, OURS + "_warm", small);
    build(lake, ICEBERGS + "_warm", small);
    expireOurs(lake, OURS + "_warm");
    expireIcebergs(spark, ICEBERGS + "_warm");
    String shapeText = String.format(Locale.ROOT, "%,d snapshots, %,d data files (%,d live), %,d manifests",
        written.snapshots(), written.dataFiles(), written.dataFiles() - written.deletedDataFiles(), written.manifests());

    // Health and its Iceberg counterpart read the same table, alternating which goes first.
    List<Double> health = new ArrayList<>();
    List<Double> metadataTables = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      if (i % 2 == 0) {
        health.add(Stopwatch.seconds(health(lake, OURS)));
        metadataTables.add(Stopwatch.seconds(metadataTables(spark, OURS)));
      } else {
        metadataTables.add(Stopwatch.seconds(metadataTables(spark, OURS)));
        health.add(Stopwatch.seconds(health(lake, OURS)));
      }
    }
    double dryRun = 0;
    for (int i = 0; i < RUNS; i++) {
      dryRun += Stopwatch.seconds(() -> dryRun(lake, OURS));
    }
    double expire = Stopwatch.seconds(() -> expireOurs(lake, OURS));
    double procedure = Stopwatch.seconds(() -> expireIcebergs(spark, ICEBERGS));
    String left = sameOutcome(lake, OURS, ICEBERGS);

    HeapWatch.Heap healthHeap = HeapWatch.sampled(health(lake, OURS + HEAP));
    HeapWatch.Heap metadataTablesHeap = HeapWatch.sampled(metadataTables(spark, OURS + HEAP));
    HeapWatch.Heap dryRunHeap = HeapWatch.sampled(() -> dryRun(lake, OURS + HEAP));
    HeapWatch.Heap expireHeap = HeapWatch.sampled(() -> expireOurs(lake, OURS + HEAP));
    HeapWatch.Heap procedureHeap = HeapWatch.sampled(() -> expireIcebergs(spark, ICEBERGS + HEAP));
    sameOutcome(lake, OURS + HEAP, ICEBERGS + HEAP);

    List<Measurement> results = new ArrayList<>();
    results.add(Measurement.cost("P9-health", "health, " + shapeText, "health",
        "Iceberg's partitions and snapshots metadata tables", sum(health), sum(metadataTables), 1.0, 0, null,
        RUNS + " runs each; " + heap(healthHeap, metadataTablesHeap)));
    results.add(Measurement.cost("P9-dry-run", "expire-snapshots --dry-run, " + shapeText,
        "expire-snapshots --dry-run", "Iceberg's expire_snapshots (it has no dry run)", dryRun,
        procedure * RUNS, 1.0, 0, null, RUNS + " dry runs against the procedure's one run, twice; "
            + heap(dryRunHeap, procedureHeap)));
    results.add(Measurement.cost("P9-expire", "expire-snapshots, " + shapeText, "expire-snapshots",
        "Iceberg's expire_snapshots", expire, procedure, 1.0, 0, null, "one run each, on tables built alike; "
            + left + "; " + heap(expireHeap, procedureHeap)));
    return results;
  }

  private static SyntheticHistory.Written build(BenchLakehouse lake, String name, SyntheticHistory.Shape shape) {
    lake.spark().sql("DROP TABLE IF EXISTS lake." + name);
    lake.spark().sql("CREATE TABLE lake." + name + " (event_id string, event_ts timestamp, user_id string, "
        + "amount double) USING iceberg PARTITIONED BY (days(event_ts)) TBLPROPERTIES ('format-version' = '2')");
    return SyntheticHistory.write(table(lake, name), shape);
  }

  private static Callable<?> health(BenchLakehouse lake, String name) {
    return () -> lake.cli("health", "--table", name);
  }

  /** What health reads, from Iceberg's metadata tables: snapshots, and files and bytes per partition. */
  private static Callable<?> metadataTables(SparkSession spark, String name) {
    return () -> spark.sql("SELECT (SELECT count(*) FROM lake." + name + ".snapshots), sum(file_count), "
        + "sum(total_data_file_size_in_bytes), max(last_updated_at) FROM lake." + name + ".partitions").collect();
  }

  private static String dryRun(BenchLakehouse lake, String name) {
    return lake.cli("expire-snapshots", "--table", name, "--older-than", "7d", "--retain-last", "1", "--dry-run");
  }

  private static String expireOurs(BenchLakehouse lake, String name) {
    return lake.cli("expire-snapshots", "--table", name, "--older-than", "7d", "--retain-last", "1");
  }

  private static Object expireIcebergs(SparkSession spark, String name) {
    return spark.sql("CALL lake.system.expire_snapshots(table => '" + name + "', older_than => TIMESTAMP '"
        + sessionTime(spark, Instant.now().minus(Duration.ofDays(7))) + "', retain_last => 1, stream_results => true)")
        .collect();
  }

  /** A timestamp literal for the procedure's older_than (its only form there): in the session's zone. */
  private static String sessionTime(SparkSession spark, Instant instant) {
    return LocalDateTime.ofInstant(instant, ZoneId.of(spark.conf().get("spark.sql.session.timeZone")))
        .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS"));
  }

  /** Both expiries must leave the same: snapshots, data files and metadata files on disk. */
  private static String sameOutcome(BenchLakehouse lake, String ours, String icebergs) throws IOException {
    String a = outcome(lake, ours);
    String b = outcome(lake, icebergs);
    if (!a.equals(b)) {
      throw new IllegalStateException("P9: expire-snapshots left " + a + ", Iceberg's procedure " + b);
    }
    return "both left " + a;
  }

  private static String outcome(BenchLakehouse lake, String name) throws IOException {
    Table table = table(lake, name);
    table.refresh();
    long snapshots = 0;
    for (var ignored : table.snapshots()) {
      snapshots++;
    }
    Path root = Paths.get(table.location().replaceFirst("^file:", ""));
    return String.format(Locale.ROOT, "%d snapshots, %d data files, %d manifests and lists on disk", snapshots,
        count(root.resolve("data"), ".parquet"), count(root.resolve("metadata"), ".avro"));
  }

  private static long count(Path folder, String suffix) throws IOException {
    if (!Files.exists(folder)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(f -> f.toString().endsWith(suffix)).count();
    }
  }

  private static Table table(BenchLakehouse lake, String name) {
    return Tables.load(lake.spark(), TableRef.parse(name, "lake", NAMESPACE));
  }

  private static double sum(List<Double> seconds) {
    return seconds.stream().mapToDouble(Double::doubleValue).sum();
  }

  private static String heap(HeapWatch.Heap subject, HeapWatch.Heap baseline) {
    return "sampled runs: " + subject.text() + " against " + baseline.text();
  }
}
