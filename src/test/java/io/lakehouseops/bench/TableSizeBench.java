package io.lakehouseops.bench;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.opstables.QualityMetricsTable;
import io.lakehouseops.opstables.QualityRunsTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * P8: cost that grows with the work, not with the table. Two lakehouses in the one catalog,
 * alike but for their history: a curated table of the sample user_events holding 10 days, and
 * one holding 1,000 days (20 data files a day, one snapshot a day: 20,000 files, 1,000
 * snapshots), each with its own ops namespace holding a gate run and its metrics for every one
 * of those days. The same work is timed on both, alternating which goes first: promote of a
 * new day, backfill of one day from raw, health, and compact --where of one day; the ratio is
 * the big table's time over the small one's (goal <= 1.2x), with the Spark jobs and the Iceberg
 * metadata files (table metadata, manifest lists, manifests) each run read.
 *
 * <p>The history is built, not promoted (1,000 promotes would take most of an hour): rows of a
 * promoted day, shifted back one day at a time, written by Spark to a branch of the table, 20
 * files a day, then appended to main one day per commit (Iceberg's merging append, as Spark's
 * appends are); the ops rows by Spark, the first live day's dated back a day at a time, one
 * file a day (as the maintenance DAG's compaction leaves a table partitioned by day). Then
 * promote and health again after both tables' snapshots are expired to 10 (the maintenance
 * DAG's expiry keeps a week): how much of the growth is the snapshots'; backfill and compact
 * --where after Iceberg's rewrite_manifests on both tables; compact --where again once the
 * manifests are rewritten at a target of 64 KB (about a month of the tables' files each).
 */
final class TableSizeBench {
  static final String DATASET = "history";
  private static final LocalDate FIRST_LIVE_DAY = LocalDate.parse("2027-01-01");
  private static final int FILES_PER_DAY = 20;
  private static final int ROWS_PER_HISTORY_DAY = 400;
  private static final int TIMED = 3;
  private static final long CLUSTERED_MANIFEST_BYTES = 64 * 1024;

  private TableSizeBench() {}

  /** One of the two lakehouses: its config file (namespaces of its own) and days of history. */
  private record House(String namespace, int days, Path config) {
    String table() {
      return namespace + "." + DATASET;
    }

    TableRef ops(String table) {
      return new TableRef("lake", namespace + "_ops", table);
    }

    String cli(BenchLakehouse lake, String... args) {
      return lake.cli(config, args);
    }
  }

  static List<Measurement> run(BenchLakehouse lake, SparkJobCounter jobs, int rowsPerDay, int bigDays)
      throws Exception {
    House small = house(lake, 10);
    House big = house(lake, bigDays);
    // Live days: the first creates each table, the second warms up, then TIMED promoted timed
    // and TIMED more after the snapshots are expired.
    int liveDays = 2 + 2 * TIMED;
    small.cli(lake, "sample-data", "--dataset", DATASET, "--start", FIRST_LIVE_DAY.toString(), "--days",
        String.valueOf(liveDays), "--rows-per-day", String.valueOf(rowsPerDay));
    for (House house : List.of(small, big)) {
      long started = System.nanoTime();
      house.cli(lake, "promote", "--dataset", DATASET, "--date", FIRST_LIVE_DAY.toString());
      buildHistory(lake, house);
      System.out.printf("bench: P8 history of %d days built in %.0f s%n", house.days(),
          (System.nanoTime() - started) / 1e9);
    }
    for (House house : List.of(small, big)) {
      house.cli(lake, "promote", "--dataset", DATASET, "--date", FIRST_LIVE_DAY.plusDays(1).toString());
    }
    List<Measurement> results = new ArrayList<>();
    results.add(compare(lake, jobs, "promote", "promote of a new day", rowsPerDay, big, small,
        i -> house -> () -> house.cli(lake, "promote", "--dataset", DATASET, "--date",
            FIRST_LIVE_DAY.plusDays(2 + i).toString())));
    String backfilled = FIRST_LIVE_DAY.plusDays(1).toString();
    results.add(compare(lake, jobs, "backfill", "backfill of one day from raw", rowsPerDay, big, small,
        i -> house -> () -> house.cli(lake, "backfill", "--dataset", DATASET, "--from", backfilled,
            "--to", backfilled, "--triggered-by", "manual")));
    results.add(compare(lake, jobs, "health", "health", 0, big, small,
        i -> house -> () -> house.cli(lake, "health", "--table", house.table())));
    results.add(compare(lake, jobs, "compact", "compact --where of one history day", 0, big, small,
        i -> house -> () -> house.cli(lake, "compact", "--table", house.table(), "--where",
            oneDay(FIRST_LIVE_DAY.minusDays(3 + i)))));
    // What is left with the snapshots expired (the maintenance DAG's expire-snapshots keeps a
    // week): the snapshots' share of the growth (each load and commit reads and writes the
    // table metadata, which lists every snapshot) against the files'.
    for (House house : List.of(small, big)) {
      Table iceberg = Tables.load(lake.spark(), TableRef.parse(house.table(), "lake", "bench"));
      SparkActions.get(lake.spark()).expireSnapshots(iceberg).expireOlderThan(System.currentTimeMillis())
          .retainLast(10).execute();
    }
    results.add(compare(lake, jobs, "promote-expired", "promote of a new day, snapshots expired to 10", rowsPerDay,
        big, small, i -> house -> () -> house.cli(lake, "promote", "--dataset", DATASET, "--date",
            FIRST_LIVE_DAY.plusDays(2 + TIMED + i).toString())));
    results.add(compare(lake, jobs, "health-expired", "health, snapshots expired to 10", 0, big, small,
        i -> house -> () -> house.cli(lake, "health", "--table", house.table())));
    // Manifests clustered by partition (Iceberg's rewrite_manifests sorts their entries so):
    // does a one-day scan then skip the manifests of other days?
    for (House house : List.of(small, big)) {
      lake.spark().sql("CALL lake.system.rewrite_manifests('" + house.table() + "')");
    }
    results.add(compare(lake, jobs, "backfill-manifests", "backfill of one day, manifests rewritten", rowsPerDay,
        big, small, i -> house -> () -> house.cli(lake, "backfill", "--dataset", DATASET, "--from", backfilled,
            "--to", backfilled, "--triggered-by", "manual")));
    results.add(compare(lake, jobs, "compact-manifests", "compact --where of one day, manifests rewritten", 0,
        big, small, i -> house -> () -> house.cli(lake, "compact", "--table", house.table(), "--where",
            oneDay(FIRST_LIVE_DAY.minusDays(6 + i)))));
    // Iceberg's default manifest target (8 MB, about 100,000 entries here) leaves manifests that
    // span hundreds of days, each decoded whole by a one-day plan. At about a month of files
    // (20 a day, about 100 bytes an entry compressed: 64 KB) a one-day plan reads one month.
    for (House house : List.of(small, big)) {
      lake.spark().sql("ALTER TABLE lake." + house.table() + " SET TBLPROPERTIES ('"
          + TableProperties.MANIFEST_TARGET_SIZE_BYTES + "' = '" + CLUSTERED_MANIFEST_BYTES + "')");
      lake.spark().sql("CALL lake.system.rewrite_manifests('" + house.table() + "')");
    }
    // The history days the rows above left alone (3 to 8 days back were compacted).
    int[] untouched = {1, 2, 9};
    results.add(compare(lake, jobs, "compact-clustered", "compact --where of one day, manifests of 64 KB", 0,
        big, small, i -> house -> () -> house.cli(lake, "compact", "--table", house.table(), "--where",
            oneDay(FIRST_LIVE_DAY.minusDays(untouched[i])))));
    return results;
  }

  /** A config of the bench's, with curated, quarantine and ops namespaces of its own. */
  private static House house(BenchLakehouse lake, int days) throws IOException {
    String namespace = "p8_" + days + "d";
    Path config = lake.work().resolve(namespace + ".conf");
    Files.writeString(config, """
        include file("%s")
        lakehouse.namespaces { curated = %s, quarantine = %s_quarantine, ops = %s_ops }
        lakehouse.datasets.%s = ${lakehouse.datasets.user_events} { raw.path = "%s" }
        """.formatted(lake.config(), namespace, namespace, namespace, DATASET,
        lake.work().resolve("raw/" + DATASET)));
    for (String ns : List.of(namespace, namespace + "_quarantine", namespace + "_ops")) {
      lake.spark().sql("CREATE NAMESPACE IF NOT EXISTS lake." + ns);
    }
    return new House(namespace, days, config);
  }

  private static String oneDay(LocalDate day) {
    return "event_ts >= TIMESTAMP'" + day + " 00:00:00' AND event_ts < TIMESTAMP'" + day.plusDays(1) + " 00:00:00'";
  }

  /** The same work on both lakehouses, TIMED times, alternating which goes first. */
  private static Measurement compare(BenchLakehouse lake, SparkJobCounter jobs, String id, String name, long rows,
      House big, House small, IntFunction<java.util.function.Function<House, Callable<?>>> work) {
    double bigSeconds = 0;
    double smallSeconds = 0;
    Side bigLast = null;
    Side smallLast = null;
    for (int i = 0; i < TIMED; i++) {
      var run = work.apply(i);
      if (i % 2 == 0) {
        bigLast = timed(lake, jobs, run.apply(big));
        smallLast = timed(lake, jobs, run.apply(small));
      } else {
        smallLast = timed(lake, jobs, run.apply(small));
        bigLast = timed(lake, jobs, run.apply(big));
      }
      bigSeconds += bigLast.seconds();
      smallSeconds += smallLast.seconds();
    }
    return Measurement.cost("P8-" + id, name + ", " + big.days() + " vs " + small.days() + " days",
        id + " on the " + big.days() + "-day table", id + " on the " + small.days() + "-day table",
        bigSeconds, smallSeconds, 1.2, rows * TIMED, bigLast.jobs(),
        String.format(Locale.ROOT, "%d runs each; last run's Spark jobs %d vs %d, Iceberg metadata files read %s vs %s",
            TIMED, bigLast.jobs(), smallLast.jobs(), bigLast.reads(), smallLast.reads()));
  }

  private record Side(double seconds, long jobs, CountingLocalFileSystem.Reads reads) {}

  private static Side timed(BenchLakehouse lake, SparkJobCounter jobs, Callable<?> run) {
    CountingLocalFileSystem.Reads before = CountingLocalFileSystem.reads();
    double[] seconds = new double[1];
    long count = jobs.jobsOf(lake.spark(), () -> seconds[0] = Stopwatch.seconds(run));
    return new Side(seconds[0], count, CountingLocalFileSystem.reads().since(before));
  }

  /**
   * The house's table and ops tables given its days of history before the first live day:
   * rows of that promoted day shifted back, and its gate run and metrics recorded for each day
   * (the metrics jittered by up to 2%, so that anomaly scoring sees a spread).
   */
  private static void buildHistory(BenchLakehouse lake, House house) throws Exception {
    SparkSession spark = lake.spark();
    String table = "lake." + house.table();
    spark.sparkContext().setJobDescription("bench: P8 history of " + house.days() + " days");
    Dataset<Row> day = spark.table(table).where(oneDay(FIRST_LIVE_DAY)).limit(ROWS_PER_HISTORY_DAY);
    String[] columns = day.columns();
    Dataset<Row> shifted = day.crossJoin(spark.range(1, house.days() + 1).withColumnRenamed("id", "back"))
        .withColumn("event_ts", functions.expr("event_ts - make_dt_interval(CAST(back AS INT))"))
        .withColumn("ingested_at", functions.expr("ingested_at - make_dt_interval(CAST(back AS INT))"))
        .withColumn("event_id", functions.concat(functions.col("event_id"), functions.lit("-h"),
            functions.col("back")))
        .selectExpr(columns);
    Table iceberg = Tables.load(spark, TableRef.parse(table, "lake", "bench"));
    iceberg.manageSnapshots().createBranch("p8_history", iceberg.currentSnapshot().snapshotId()).commit();
    // Sorted within each of FILES_PER_DAY tasks, no distribution: each task writes a file a day.
    shifted.repartition(FILES_PER_DAY).sortWithinPartitions("event_ts")
        .writeTo(table + ".branch_p8_history").option("distribution-mode", "none").append();
    iceberg.refresh();
    Map<Integer, List<DataFile>> byDay = new TreeMap<>();
    for (DataFile file : iceberg.snapshot(iceberg.refs().get("p8_history").snapshotId()).addedDataFiles(iceberg.io())) {
      byDay.computeIfAbsent(file.partition().get(0, Integer.class), d -> new ArrayList<>()).add(file);
    }
    for (List<DataFile> files : byDay.values()) {
      AppendFiles append = iceberg.newAppend();
      files.forEach(append::appendFile);
      append.commit();
    }
    iceberg.manageSnapshots().removeBranch("p8_history").commit();
    recordOpsHistory(spark, house);
  }

  /**
   * The first live day's gate run and metrics, as promote recorded them, once for each day of
   * history, dated that day (so in that day's partition of the ops tables, one file a day: as
   * the maintenance DAG's compaction leaves them), the metrics jittered by up to 2%.
   */
  private static void recordOpsHistory(SparkSession spark, House house) throws Exception {
    String live = FIRST_LIVE_DAY.toString();
    Dataset<Row> back = spark.range(1, house.days() + 1).withColumnRenamed("id", "back")
        .withColumn("day", functions.expr("string(date_sub(DATE'" + live + "', CAST(back AS INT)))"));
    for (String table : List.of(QualityRunsTable.NAME, QualityMetricsTable.NAME)) {
      String name = house.ops(table).name();
      boolean runs = table.equals(QualityRunsTable.NAME);
      Dataset<Row> recorded = spark.table(name).where("dataset = '" + DATASET + "'");
      String[] columns = recorded.columns();
      String at = runs ? "run_at" : "recorded_at";
      Dataset<Row> history = recorded.crossJoin(back)
          .withColumn(at, functions.expr(at + " - make_dt_interval(CAST(back AS INT))"))
          .withColumn("partition_key", functions.expr("replace(partition_key, '" + live + "', day)"))
          .withColumn("run_id", functions.expr("concat('p8-history-', day)"));
      history = runs ? history.withColumn("details", functions.expr("replace(details, '" + live + "', day)"))
          : history.withColumn("value", functions.expr("value * (0.98 + 0.04 * rand(" + house.days() + "))"));
      history.selectExpr(columns).writeTo(name).append();
    }
  }
}
