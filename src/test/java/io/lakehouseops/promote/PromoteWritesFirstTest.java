package io.lakehouseops.promote;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.JobDescriptions;
import io.lakehouseops.testing.RawFiles;
import io.lakehouseops.testing.TestLakehouse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * promote into a table that needs no change writes the partition to an audit branch first and
 * gates the written rows: a clean partition is written once and that snapshot becomes main; a
 * failed gate, a re-promotion or changed rows leave no branch and the same rows as the
 * gate-first path would.
 */
class PromoteWritesFirstTest {
  private static final Schema SCHEMA = RawFiles.userEventsSchema("Event", "[\"null\",\"string\"]", "[\"null\",\"long\"]");
  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = TestLakehouse.spark();
  }

  @Test
  void aCleanLaterPartitionIsWrittenOnceAndThatSnapshotIsPublished() throws Exception {
    Path config = publishedFirstDay("w_clean");
    Table table = table("w_clean");
    Snapshot before = table.currentSnapshot();
    int snapshots = snapshotCount(table);
    RawFiles.write("w_clean", "2024-05-02", "part-0.avro", SCHEMA,
        List.of(event("b1", 1, "2024-05-02", "click"), event("b2", 2, "2024-05-02", "click"),
            event("b3", 3, "2024-05-02", "signup")));

    CliRun run = promote(config, "w_clean", "2024-05-02", "--run-id", "run-w-clean");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.report().get("result").get("rows_inserted").asLong()).isEqualTo(3);
    table.refresh();
    Snapshot published = table.currentSnapshot();
    assertThat(snapshotCount(table)).as("one snapshot: the staged append, published as it is").isEqualTo(snapshots + 1);
    assertThat(published.parentId()).isEqualTo(before.snapshotId());
    assertThat(published.snapshotId()).isEqualTo(run.report().get("result").get("snapshot_id").asLong());
    assertThat(published.summary()).containsEntry("lakehouse.run-id", "run-w-clean")
        .containsEntry("lakehouse.command", "promote");
    assertThat(published.summary().get("lakehouse.source-partition")).endsWith("w_clean/dt=2024-05-02");
    assertThat(table.refs().keySet()).as("the audit branch is dropped").noneMatch(name -> name.startsWith("audit_"));
    assertThat(count("SELECT count(*) FROM lake.curated.w_clean")).isEqualTo(5);
    List<Row> runs = spark.sql("SELECT status, snapshot_id FROM lake.ops.data_quality_runs WHERE run_id = 'run-w-clean'")
        .collectAsList();
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).getString(0)).isEqualTo("passed");
    assertThat(runs.get(0).getLong(1)).isEqualTo(published.snapshotId());
  }

  @Test
  void theGateOfAWrittenPartitionTakesTheKeysUniquenessFromTheAuditAndScansOnce() throws Exception {
    Path config = publishedFirstDay("w_unique");
    RawFiles.write("w_unique", "2024-05-02", "part-0.avro", SCHEMA,
        List.of(event("o1", 1, "2024-05-02", "click"), event("o2", 2, "2024-05-02", "click")));
    GateJobs gateJobs = new GateJobs();
    spark.sparkContext().addSparkListener(gateJobs);
    CliRun run;
    try {
      run = promote(config, "w_unique", "2024-05-02");
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.sparkContext().removeSparkListener(gateJobs);
    }

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(gateJobs.callSites).as("Deequ's one shared scan; no frequency count of event_id")
        .hasSize(1).allMatch(site -> site.contains("AnalysisRunner"));
    var result = run.report().get("result");
    assertThat(result.get("quality_status").asText()).isEqualTo("passed");
    List<String> judged = new java.util.ArrayList<>();
    result.get("rules").forEach(rule -> judged.add(rule.path("rule").asText() + "=" + rule.path("metric").asDouble()));
    assertThat(judged).contains("unique(event_id)=1.0", "row-count=2.0");
    assertThat(count("SELECT count(*) FROM lake.curated.w_unique")).isEqualTo(4);
  }

  /** The call sites of the Spark jobs a promote's gate runs (Deequ's run under its description). */
  private static final class GateJobs extends org.apache.spark.scheduler.SparkListener {
    private final java.util.Set<String> callSites = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart jobStart) {
      String description = jobStart.properties() == null ? null
          : jobStart.properties().getProperty("spark.job.description");
      if (description != null && description.startsWith("lakehouse-ops promote: quality gate of")) {
        // A job's call site names its stages: "collect at AnalysisRunner.scala:327".
        jobStart.stageInfos().foreach(stage -> callSites.add(stage.name()));
      }
    }
  }

  @Test
  void newKeysOnADateMainAlreadyHasAreAuditedAndPublishedAsWritten() throws Exception {
    Path config = publishedFirstDay("w_late");
    Table table = table("w_late");
    int snapshots = snapshotCount(table);
    // A late event of 2024-05-01, which main already has rows of, and one of 2024-05-02.
    Map<String, Object> late = event("a3", 3, "2024-05-01", "click");
    late.put("ingested_at", RawFiles.micros("2024-05-02", 1));
    RawFiles.write("w_late", "2024-05-02", "part-0.avro", SCHEMA, List.of(late, event("b1", 4, "2024-05-02", "click")));

    CliRun run = promote(config, "w_late", "2024-05-02");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.report().get("result").get("rows_inserted").asLong()).isEqualTo(2);
    table.refresh();
    assertThat(snapshotCount(table)).as("written once").isEqualTo(snapshots + 1);
    assertThat(table.refs().keySet()).as("no audit branch left").noneMatch(name -> name.startsWith("audit_"));
    assertThat(count("SELECT count(*) FROM lake.curated.w_late WHERE to_date(event_ts) = DATE'2024-05-01'")).isEqualTo(3);
    assertThat(count("SELECT count(DISTINCT event_id) FROM lake.curated.w_late")).isEqualTo(4);
  }

  @Test
  void aFailedGateOnWrittenRowsQuarantinesThemAndLeavesMainAsItWas() throws Exception {
    Path config = publishedFirstDay("w_failed");
    Long before = table("w_failed").currentSnapshot().snapshotId();
    int snapshots = snapshotCount(table("w_failed"));
    RawFiles.write("w_failed", "2024-05-02", "part-0.avro", SCHEMA,
        List.of(event("f1", -1, "2024-05-02", "click"), event("f2", 2, "2024-05-02", "click")));

    CliRun run = promote(config, "w_failed", "2024-05-02", "--run-id", "run-w-failed");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
    assertThat(run.report().get("result").get("failed_rules").toString()).contains("non-negative(user_id)");
    Table table = table("w_failed");
    assertThat(table.currentSnapshot().snapshotId()).isEqualTo(before);
    assertThat(table.refs().keySet()).as("the staged branch is dropped").noneMatch(name -> name.startsWith("audit_"));
    assertThat(snapshotCount(table)).as("the staged snapshot is discarded").isEqualTo(snapshots);
    assertThat(unreferencedDataFiles(table)).as("and its files deleted").isEmpty();
    assertThat(count("SELECT count(*) FROM lake.curated.w_failed")).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM lake.quarantine.w_failed WHERE _quarantine_run_id = 'run-w-failed'"))
        .isEqualTo(2);
  }

  @Test
  void quarantineRowsOnWrittenRowsPublishesTheRestAndDiscardsTheStagedSnapshot() throws Exception {
    Path config = TestLakehouse.configWithDataset("w_rows",
        "quality.on-failure = quarantine-rows, quality.max-quarantine-fraction = 0.1");
    RawFiles.write("w_rows", "2024-05-01", "part-0.avro", SCHEMA, List.of(event("a1", 1, "2024-05-01", "click")));
    assertThat(promote(config, "w_rows", "2024-05-01").exitCode()).isZero();
    int snapshots = snapshotCount(table("w_rows"));
    List<Map<String, Object>> rows = new java.util.ArrayList<>();
    for (int i = 0; i < 19; i++) {
      rows.add(event("q" + i, i, "2024-05-02", "click"));
    }
    rows.add(event("bad", -1, "2024-05-02", "click"));
    RawFiles.write("w_rows", "2024-05-02", "part-0.avro", SCHEMA, rows);

    CliRun run = promote(config, "w_rows", "2024-05-02");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.report().get("result").get("rows_quarantined").asLong()).isEqualTo(1);
    assertThat(run.report().get("result").get("rows_inserted").asLong()).isEqualTo(19);
    assertThat(count("SELECT count(*) FROM lake.curated.w_rows WHERE user_id < 0")).isZero();
    Table table = table("w_rows");
    assertThat(snapshotCount(table)).as("the good rows' snapshot; the staged one discarded").isEqualTo(snapshots + 1);
    assertThat(table.refs().keySet()).as("no audit branch left").noneMatch(name -> name.startsWith("audit_"));
    assertThat(unreferencedDataFiles(table)).isEmpty();
  }

  @Test
  void rePromotingAWrittenFirstPartitionWritesNothing() throws Exception {
    Path config = publishedFirstDay("w_again");
    RawFiles.write("w_again", "2024-05-02", "part-0.avro", SCHEMA,
        List.of(event("r1", 1, "2024-05-02", "click"), event("r2", 2, "2024-05-02", "click")));
    assertThat(promote(config, "w_again", "2024-05-02").exitCode()).isZero();
    Long before = table("w_again").currentSnapshot().snapshotId();
    int snapshots = snapshotCount(table("w_again"));

    CliRun again = promote(config, "w_again", "2024-05-02");

    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.report().get("result").get("rows_inserted").asLong()).isZero();
    assertThat(again.report().get("result").get("rows_updated").asLong()).isZero();
    Table table = table("w_again");
    assertThat(table.currentSnapshot().snapshotId()).isEqualTo(before);
    assertThat(snapshotCount(table)).as("a re-run is settled gate-first: nothing written").isEqualTo(snapshots);
    assertThat(table.refs().keySet()).as("no audit branch left").noneMatch(name -> name.startsWith("audit_"));
    assertThat(count("SELECT count(*) FROM lake.curated.w_again")).isEqualTo(4);
  }

  @Test
  void changedRowsOfPublishedKeysAreMergedNotAppended() throws Exception {
    Path config = publishedFirstDay("w_changed");
    // a1 again, same event date, now a purchase; and one new event.
    Map<String, Object> corrected = event("a1", 1, "2024-05-01", "purchase");
    corrected.put("ingested_at", RawFiles.micros("2024-05-03", 2));
    RawFiles.write("w_changed", "2024-05-03", "part-0.avro", SCHEMA,
        List.of(corrected, event("c1", 7, "2024-05-03", "click")));

    CliRun run = promote(config, "w_changed", "2024-05-03");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.report().get("result").get("rows_inserted").asLong()).isEqualTo(1);
    assertThat(run.report().get("result").get("rows_updated").asLong()).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM lake.curated.w_changed")).isEqualTo(3);
    assertThat(count("SELECT count(DISTINCT event_id) FROM lake.curated.w_changed")).isEqualTo(3);
    assertThat(spark.sql("SELECT event_type FROM lake.curated.w_changed WHERE event_id = 'a1'").first().getString(0))
        .isEqualTo("purchase");
    assertThat(table("w_changed").refs().keySet()).noneMatch(name -> name.startsWith("audit_"));
  }

  @Test
  void repeatedRowsOfAWrittenPartitionAreDeletedByPositionAndTheRestPublishedAsWritten() throws Exception {
    Path config = publishedFirstDay("w_dupes");
    Table table = table("w_dupes");
    Snapshot before = table.currentSnapshot();
    int snapshots = snapshotCount(table);
    Map<String, Object> resent = event("d1", 1, "2024-05-02", "signup");
    resent.put("ingested_at", RawFiles.micros("2024-05-02", 11));
    // A late event re-delivered too: its rows go to 2024-05-01, a date main has, so the
    // deletes span two partitions and the branch is audited against main's rows there.
    Map<String, Object> late = event("d3", 3, "2024-05-01", "click");
    RawFiles.write("w_dupes", "2024-05-02", "part-0.avro", SCHEMA,
        List.of(event("d1", 1, "2024-05-02", "click"), resent, event("d2", 2, "2024-05-02", "click"), late,
            new HashMap<>(late)));

    CliRun run = promote(config, "w_dupes", "2024-05-02");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.report().get("result").get("rows_read").asLong()).isEqualTo(5);
    assertThat(run.report().get("result").get("duplicates_removed").asLong()).isEqualTo(2);
    assertThat(run.report().get("result").get("rows_inserted").asLong()).isEqualTo(3);
    assertThat(count("SELECT count(*) FROM lake.curated.w_dupes WHERE event_id IN ('d1', 'd3')")).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM lake.curated.w_dupes")).isEqualTo(5);
    assertThat(spark.sql("SELECT event_type FROM lake.curated.w_dupes WHERE event_id = 'd1'").first().getString(0))
        .as("dedupe-order ingested_at asc keeps the first").isEqualTo("click");
    table.refresh();
    Snapshot published = table.currentSnapshot();
    assertThat(snapshotCount(table)).as("the staged append and its deletes, published as they are")
        .isEqualTo(snapshots + 2);
    Snapshot appended = table.snapshot(published.parentId());
    assertThat(appended.parentId()).isEqualTo(before.snapshotId());
    assertThat(appended.summary()).containsEntry("added-records", "5");
    assertThat(published.summary()).containsEntry("added-position-deletes", "2")
        .containsEntry("added-delete-files", "2").doesNotContainKey("added-data-files")
        .containsEntry("lakehouse.command", "promote");
    assertThat(published.snapshotId()).isEqualTo(run.report().get("result").get("snapshot_id").asLong());
    assertThat(table.refs().keySet()).as("no audit branch left").noneMatch(name -> name.startsWith("audit_"));
    assertThat(unreferencedDataFiles(table)).isEmpty();
  }

  @Test
  void aFailedGateAfterRepeatedRowsWereDeletedDiscardsTheAppendAndTheDeletes() throws Exception {
    Path config = publishedFirstDay("w_dupes_failed");
    Table table = table("w_dupes_failed");
    Long before = table.currentSnapshot().snapshotId();
    int snapshots = snapshotCount(table);
    RawFiles.write("w_dupes_failed", "2024-05-02", "part-0.avro", SCHEMA,
        List.of(event("e1", -1, "2024-05-02", "click"), event("e1", -1, "2024-05-02", "click"),
            event("e2", 2, "2024-05-02", "click")));

    JobDescriptions jobs = new JobDescriptions();
    CliRun run = jobs.during(spark, () -> promote(config, "w_dupes_failed", "2024-05-02"));

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
    assertThat(run.report().get("result").get("duplicates_removed").asLong()).isEqualTo(1);
    assertThat(jobs.descriptions()).as("the repeated row was deleted from the branch before the gate")
        .anyMatch(d -> d.startsWith("lakehouse-ops: find the rows dedupe drops in"))
        .as("the rows left counted from the audit's counts, not read again")
        .noneMatch(d -> d.startsWith("lakehouse-ops: audit the rows left in"));
    table.refresh();
    assertThat(table.currentSnapshot().snapshotId()).isEqualTo(before);
    assertThat(table.refs().keySet()).as("no audit branch left").noneMatch(name -> name.startsWith("audit_"));
    assertThat(snapshotCount(table)).as("both staged snapshots discarded").isEqualTo(snapshots);
    assertThat(unreferencedDataFiles(table)).as("and their data and delete files deleted").isEmpty();
    assertThat(count("SELECT count(*) FROM lake.quarantine.w_dupes_failed")).isEqualTo(2);
  }

  @Test
  void aWrittenPartitionWithANullKeyIsDedupedAsABatch() throws Exception {
    Path config = TestLakehouse.configWithDataset("w_dupes_null", "quality.rules = []");
    RawFiles.write("w_dupes_null", "2024-05-01", "part-0.avro", SCHEMA, List.of(event("a1", 1, "2024-05-01", "click")));
    assertThat(promote(config, "w_dupes_null", "2024-05-01").exitCode()).isZero();
    Map<String, Object> noKey = event(null, 9, "2024-05-02", "click");
    RawFiles.write("w_dupes_null", "2024-05-02", "part-0.avro", SCHEMA,
        List.of(event("n1", 1, "2024-05-02", "click"), event("n1", 1, "2024-05-02", "click"), noKey));

    JobDescriptions jobs = new JobDescriptions();
    CliRun run = jobs.during(spark, () -> promote(config, "w_dupes_null", "2024-05-02"));

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(jobs.descriptions()).as("a null key: dedupe's choice is not deleted from the branch")
        .noneMatch(d -> d.startsWith("lakehouse-ops: find the rows dedupe drops"))
        .anyMatch(d -> d.startsWith("lakehouse-ops: append to lake.curated.w_dupes_null branch"));
    assertThat(count("SELECT count(*) FROM lake.curated.w_dupes_null WHERE event_id = 'n1'")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM lake.curated.w_dupes_null WHERE event_id IS NULL")).isEqualTo(1);
    assertThat(unreferencedDataFiles(table("w_dupes_null"))).isEmpty();
  }

  @Test
  void aFormatVersion3TableDedupesAWrittenPartitionAsABatch() throws Exception {
    Path config = publishedFirstDay("w_dupes_v3");
    spark.sql("ALTER TABLE lake.curated.w_dupes_v3 SET TBLPROPERTIES ('format-version' = '3')");
    int snapshots = snapshotCount(table("w_dupes_v3"));
    RawFiles.write("w_dupes_v3", "2024-05-02", "part-0.avro", SCHEMA,
        List.of(event("v1", 1, "2024-05-02", "click"), event("v1", 1, "2024-05-02", "click"),
            event("v2", 2, "2024-05-02", "click")));

    JobDescriptions jobs = new JobDescriptions();
    CliRun run = jobs.during(spark, () -> promote(config, "w_dupes_v3", "2024-05-02"));

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.report().get("result").get("rows_inserted").asLong()).isEqualTo(2);
    assertThat(jobs.descriptions()).as("v3 keeps deletes in deletion vectors: no position-delete file is written")
        .noneMatch(d -> d.startsWith("lakehouse-ops: find the rows dedupe drops"));
    Table table = table("w_dupes_v3");
    assertThat(snapshotCount(table)).as("the deduped batch's snapshot; the staged one discarded").isEqualTo(snapshots + 1);
    assertThat(count("SELECT count(*) FROM lake.curated.w_dupes_v3.delete_files")).isZero();
    assertThat(count("SELECT count(*) FROM lake.curated.w_dupes_v3 WHERE event_id = 'v1'")).isEqualTo(1);
    assertThat(unreferencedDataFiles(table)).isEmpty();
  }

  // --- helpers ---------------------------------------------------------------------------

  /** A dataset whose table exists with two events of 2024-05-01 (a1, a2), promoted gate-first. */
  private static Path publishedFirstDay(String dataset) throws Exception {
    Path config = TestLakehouse.configWithDataset(dataset, "");
    RawFiles.write(dataset, "2024-05-01", "part-0.avro", SCHEMA,
        List.of(event("a1", 1, "2024-05-01", "click"), event("a2", 2, "2024-05-01", "click")));
    CliRun first = promote(config, dataset, "2024-05-01");
    assertThat(first.exitCode()).as(first.toString()).isZero();
    return config;
  }

  private static CliRun promote(Path config, String dataset, String date, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("promote", "--dataset", dataset, "--date", date,
        "--config", config.toString()));
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  private static Table table(String dataset) {
    Table table = Tables.load(spark, new TableRef("lake", "curated", dataset));
    table.refresh();
    return table;
  }

  private static int snapshotCount(Table table) {
    int n = 0;
    for (Snapshot ignored : table.snapshots()) {
      n++;
    }
    return n;
  }

  /** Data and delete files under the table's folder that main does not reference (what a discard must not leave). */
  private static List<String> unreferencedDataFiles(Table table) throws Exception {
    java.util.Set<String> referenced = new java.util.HashSet<>();
    try (var tasks = table.newScan().planFiles()) {
      tasks.forEach(task -> {
        referenced.add(java.net.URI.create(task.file().location()).getPath());
        task.deletes().forEach(delete -> referenced.add(java.net.URI.create(delete.location()).getPath()));
      });
    }
    Path data = Path.of(java.net.URI.create(table.location()).getPath(), "data");
    try (var files = java.nio.file.Files.walk(data)) {
      return files.filter(f -> f.toString().endsWith(".parquet")).map(Path::toString)
          .filter(f -> !referenced.contains(f)).toList();
    }
  }

  private static long count(String sql) {
    return spark.sql(sql).first().getLong(0);
  }

  private static Map<String, Object> event(String id, long userId, String date, String type) {
    Map<String, Object> row = new HashMap<>();
    row.put("event_id", id);
    row.put("user_id", userId);
    row.put("event_type", type);
    row.put("country", "DE");
    row.put("event_ts", RawFiles.micros(date, 9));
    row.put("ingested_at", RawFiles.micros(date, 10));
    return row;
  }
}
