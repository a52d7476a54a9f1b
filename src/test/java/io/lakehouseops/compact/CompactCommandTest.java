package io.lakehouseops.compact;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.opstables.GateStatus;
import io.lakehouseops.opstables.QualityRun;
import io.lakehouseops.opstables.QualityRunsTable;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.TestLakehouse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.Table;
import org.apache.iceberg.events.Listeners;
import org.apache.iceberg.events.ScanEvent;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CompactCommandTest {
  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = TestLakehouse.spark();
  }

  private static CliRun compact(TableRef table, String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "compact";
    all[1] = "--table";
    all[2] = table.namespace() + "." + table.table();
    System.arraycopy(args, 0, all, 3, args.length);
    return CliRun.withTestConfig(all);
  }

  private static Long snapshot(TableRef ref) {
    Table table = Tables.load(spark, ref);
    table.refresh();
    return table.currentSnapshot().snapshotId();
  }

  @Test
  void binpackMergesSmallFilesPerPartitionAndKeepsEveryRow() throws Exception {
    TableRef ref = SmallFilesTable.create(spark, "binpack", true, 25, 8, 400);
    String checksum = SmallFilesTable.checksum(spark, ref);
    long before = SmallFilesTable.dataFiles(spark, ref);
    assertThat(before).as("small files").isGreaterThanOrEqualTo(200);
    long scanBefore = SmallFilesTable.plannedFiles(spark, ref, Expressions.alwaysTrue());

    CliRun run = compact(ref, "--run-id", "compact-binpack");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode result = run.report().get("result");
    assertThat(SmallFilesTable.dataFiles(spark, ref)).as("one file per day partition").isEqualTo(4);
    assertThat(SmallFilesTable.checksum(spark, ref)).isEqualTo(checksum);
    assertThat(SmallFilesTable.plannedFiles(spark, ref, Expressions.alwaysTrue())).isLessThan(scanBefore);
    assertThat(result.get("data_files_rewritten").asLong()).isEqualTo(before);
    assertThat(result.get("data_files_added").asLong()).isEqualTo(4);
    assertThat(result.get("before").get("data_files").asLong()).isEqualTo(before);
    assertThat(result.get("before").get("scope").isNull()).as("the whole table").isTrue();
    assertThat(result.get("after").get("data_files").asLong()).isEqualTo(4);
    assertThat(Tables.load(spark, ref).currentSnapshot().summary())
        .containsEntry("lakehouse.run-id", "compact-binpack").containsEntry("lakehouse.command", "compact");

    CliRun again = compact(ref);
    assertThat(again.exitCode()).isZero();
    assertThat(again.report().get("status").asText()).isEqualTo("NOTHING_TO_DO");
  }

  @ParameterizedTest
  @ValueSource(strings = {"hilbert", "z"})
  void zorderOnTwoColumnsPrunesMoreFilesThanBinpackForARangeOnBoth(String curve) throws Exception {
    TableRef binpacked = SmallFilesTable.create(spark, "z_binpack_" + curve, false, 10, 4, 20_000);
    TableRef zordered = SmallFilesTable.create(spark, "z_order_" + curve, false, 10, 4, 20_000);
    assertThat(compact(binpacked, "--target-file-size", "1MB").exitCode()).isZero();
    CliRun run = compact(zordered, "--strategy", "zorder", "--sort-columns", "x,y", "--target-file-size", "1MB",
        "--set", "lakehouse.compact.curve=" + curve);
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(SmallFilesTable.checksum(spark, zordered)).isEqualTo(SmallFilesTable.checksum(spark, binpacked));

    var range = Expressions.and(Expressions.lessThan("x", 200L), Expressions.lessThan("y", 200L));
    long binpackFiles = SmallFilesTable.plannedFiles(spark, binpacked, range);
    long zorderFiles = SmallFilesTable.plannedFiles(spark, zordered, range);
    assertThat(SmallFilesTable.dataFiles(spark, zordered)).as("several output files").isGreaterThan(3);
    JsonNode plan = run.report().get("result").get("plan");
    assertThat(plan.size()).as("the groups committed").isEqualTo(run.report().get("result").get("groups_rewritten").asInt())
        .isPositive();
    long written = 0;
    for (JsonNode group : plan) {
      written += group.get("expected_output_files").asLong();
    }
    assertThat(written).as("the files the groups wrote").isEqualTo(SmallFilesTable.dataFiles(spark, zordered));
    assertThat(zorderFiles).as("files read for x < 200 AND y < 200").isLessThan(binpackFiles);
  }

  @Test
  void zorderScalesColumnsToTheirRangesAndSkipsMoreFilesThanIcebergsZorder() throws Exception {
    // Off-centre ranges, as days since 1970 next to part keys: Iceberg interleaves the raw
    // encodings, whose first splits fall where there are no values.
    TableRef ours = offCentreTable("z_scaled");
    TableRef iceberg = offCentreTable("z_iceberg");
    String before = SmallFilesTable.checksum(spark, ours);
    CliRun run = compact(ours, "--strategy", "zorder", "--sort-columns", "day,part", "--target-file-size", "128KB",
        "--set", "lakehouse.compact.options.rewrite-all=true");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    SparkActions.get(spark).rewriteDataFiles(Tables.load(spark, iceberg)).zOrder("day", "part")
        .option("target-file-size-bytes", String.valueOf(128 * 1024)).option("rewrite-all", "true").execute();

    assertThat(SmallFilesTable.checksum(spark, ours)).as("rows unchanged").isEqualTo(before);
    Table table = Tables.load(spark, ours);
    assertThat(table.currentSnapshot().operation()).isEqualTo("replace");
    assertThat(table.currentSnapshot().summary()).containsEntry("lakehouse.command", "compact");
    var middleQuarters = Expressions.and(
        Expressions.and(Expressions.greaterThanOrEqual("day", 8_900L), Expressions.lessThan("day", 9_525L)),
        Expressions.and(Expressions.greaterThanOrEqual("part", 75_000L), Expressions.lessThan("part", 125_000L)));
    long oursPlanned = SmallFilesTable.plannedFiles(spark, ours, middleQuarters);
    long icebergPlanned = SmallFilesTable.plannedFiles(spark, iceberg, middleQuarters);
    assertThat(SmallFilesTable.dataFiles(spark, ours)).as("output files").isGreaterThanOrEqualTo(16);
    assertThat(oursPlanned).as("files planned for the middle quarter of both ranges: ours "
        + oursPlanned + ", Iceberg's " + icebergPlanned).isLessThan(icebergPlanned);
  }

  /** day in [8000, 10500), part in [0, 200000): 200,000 rows in 40 files. */
  private static TableRef offCentreTable(String name) {
    TableRef ref = SmallFilesTable.create(spark, name, false, 10, 4, 20_000);
    spark.sql("ALTER TABLE " + ref.quoted() + " ADD COLUMNS (day BIGINT, part BIGINT)");
    spark.sql("UPDATE " + ref.quoted() + " SET day = 8000 + pmod(xxhash64(id, 3), 2500), "
        + "part = pmod(xxhash64(id, 4), 200000)");
    return ref;
  }

  @Test
  void sortWritesFilesWithNonOverlappingRanges() {
    TableRef ref = SmallFilesTable.create(spark, "sorted", false, 10, 4, 20_000);
    CliRun run = compact(ref, "--strategy", "sort", "--sort-columns", "x", "--target-file-size", "1MB");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    List<Row> bounds = spark.sql("SELECT readable_metrics.x.lower_bound, readable_metrics.x.upper_bound FROM "
        + ref.name() + ".data_files ORDER BY 1").collectAsList();
    assertThat(bounds.size()).isGreaterThan(1);
    for (int i = 1; i < bounds.size(); i++) {
      assertThat(bounds.get(i).getLong(0)).as("file %s starts after file %s ends", i, i - 1)
          .isGreaterThanOrEqualTo(bounds.get(i - 1).getLong(1));
    }
  }

  @Test
  void whereLimitsTheRewriteToMatchingPartitions() {
    TableRef ref = SmallFilesTable.create(spark, "where", true, 10, 4, 400);
    long day4Before = spark.sql("SELECT count(*) FROM " + ref.name() + ".data_files WHERE partition.ts_day = DATE'2024-01-04'")
        .first().getLong(0);
    long inScope = spark.sql("SELECT count(*) FROM " + ref.name() + ".data_files WHERE partition.ts_day < DATE'2024-01-03'")
        .first().getLong(0);
    String where = "ts < TIMESTAMP'2024-01-03 00:00:00'";
    AtomicInteger scans = new AtomicInteger();
    Listeners.register(scan -> {
      if (scan.tableName().endsWith(ref.name())) {
        scans.incrementAndGet();
      }
    }, ScanEvent.class);

    CliRun run = compact(ref, "--where", where);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    // The health in the report counts the files --where selects, not the table's.
    JsonNode result = run.report().get("result");
    assertThat(result.get("before").get("scope").asText()).isEqualTo(where);
    assertThat(result.get("before").get("data_files").asLong()).isEqualTo(inScope);
    assertThat(result.get("before").get("partitions").asLong()).isEqualTo(2);
    assertThat(result.get("after").get("data_files").asLong()).isEqualTo(2);
    assertThat(run.report().get("message").asText()).contains("(" + inScope + " -> 2 files matching --where)");
    // Planned once, by the rewrite: its plan is the groups it committed, with the files each wrote.
    assertThat(scans.get()).as("scans planned: health before, the rewrite, health after").isEqualTo(3);
    JsonNode plan = result.get("plan");
    assertThat(result.get("groups_planned").asInt()).isEqualTo(2);
    assertThat(plan.size()).isEqualTo(2);
    assertThat(plan.get(0).get("input_files").asLong() + plan.get(1).get("input_files").asLong()).isEqualTo(inScope);
    assertThat(plan.get(0).get("expected_output_files").asInt()).isEqualTo(1);
    assertThat(plan.get(1).get("expected_output_files").asInt()).isEqualTo(1);
    List<Row> perDay = spark.sql("SELECT partition.ts_day, count(*) FROM " + ref.name()
        + ".data_files GROUP BY 1 ORDER BY 1").collectAsList();
    assertThat(perDay.get(0).getLong(1)).isEqualTo(1);
    assertThat(perDay.get(1).getLong(1)).isEqualTo(1);
    assertThat(perDay.get(3).getLong(1)).as("outside --where: untouched").isEqualTo(day4Before);
  }

  @Test
  void dryRunPrintsThePlanAndCommitsNothing() {
    TableRef ref = SmallFilesTable.create(spark, "dry", true, 8, 4, 400);
    Long before = snapshot(ref);

    CliRun run = compact(ref, "--dry-run");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(snapshot(ref)).isEqualTo(before);
    JsonNode plan = run.report().get("result").get("plan");
    assertThat(plan.size()).isEqualTo(4);
    assertThat(plan.get(0).get("input_files").asInt()).isGreaterThan(1);
    assertThat(plan.get(0).get("expected_output_files").asInt()).isEqualTo(1);
    assertThat(run.report().get("message").asText()).startsWith("dry run: would rewrite");
  }

  @Test
  void positionDeletesAreRewrittenAfterMergeOnReadDeletes() {
    TableRef ref = SmallFilesTable.create(spark, "deletes", false, 4, 2, 1000);
    assertThat(compact(ref).exitCode()).isZero();
    spark.sql("DELETE FROM " + ref.name() + " WHERE id % 10 = 0");
    spark.sql("DELETE FROM " + ref.name() + " WHERE id % 10 = 1");
    String checksum = SmallFilesTable.checksum(spark, ref);
    long deleteFiles = spark.table(ref.name() + ".delete_files").count();
    assertThat(deleteFiles).isGreaterThan(0);

    CliRun run = compact(ref, "--rewrite-deletes", "--set", "lakehouse.compact.options.delete-file-threshold=1");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode result = run.report().get("result");
    assertThat(result.get("before").get("delete_files").asLong()).isEqualTo(deleteFiles);
    assertThat(result.get("delete_files_removed").asLong() + result.get("delete_files_rewritten").asLong())
        .isGreaterThan(0);
    assertThat(spark.table(ref.name() + ".delete_files").count()).as("deletes applied").isZero();
    assertThat(SmallFilesTable.checksum(spark, ref)).isEqualTo(checksum);
  }

  @Test
  void concurrentAppendsDuringCompactionLoseNothing() throws Exception {
    TableRef ref = SmallFilesTable.create(spark, "concurrent", true, 20, 6, 400);
    String expectedRows = String.valueOf(20 * 400 + 5 * 100);

    CompletableFuture<CliRun> compaction = CompletableFuture.supplyAsync(() -> compact(ref));
    for (int i = 0; i < 5; i++) {
      SmallFilesTable.append(spark, ref, 1_000_000L + i * 100, 100, 2);
    }
    CliRun run = compaction.get();

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(SmallFilesTable.checksum(spark, ref)).startsWith(expectedRows + "/");
    assertThat(spark.table(ref.name()).select("id").distinct().count()).isEqualTo(Long.parseLong(expectedRows));
  }

  @Test
  void badInputsAreUsageErrors() {
    TableRef ref = SmallFilesTable.create(spark, "bad_input", false, 2, 2, 10);
    CliRun noColumn = compact(ref, "--where", "nope > 1");
    assertThat(noColumn.exitCode()).isEqualTo(2);
    assertThat(noColumn.stderr()).contains("Invalid --where 'nope > 1'");

    CliRun statement = compact(ref, "--where", "1=1; DROP TABLE lake.compaction.bad_input");
    assertThat(statement.exitCode()).isEqualTo(2);
    assertThat(statement.stderr()).contains("Invalid --where");
    assertThat(Tables.exists(spark, ref)).isTrue();

    CliRun unknownTable = CliRun.withTestConfig("compact", "--table", "compaction.nowhere");
    assertThat(unknownTable.exitCode()).isEqualTo(2);
    assertThat(unknownTable.stderr()).contains("Unknown table lake.compaction.nowhere");

    CliRun unknownOption = compact(ref, "--set", "lakehouse.compact.options.frobnicate=1");
    assertThat(unknownOption.exitCode()).isEqualTo(2);
    assertThat(unknownOption.stderr()).contains("Invalid compaction option", "frobnicate");

    CliRun zorderWithoutColumns = compact(ref, "--strategy", "zorder");
    assertThat(zorderWithoutColumns.exitCode()).isEqualTo(2);
    assertThat(zorderWithoutColumns.stderr()).contains("zorder needs the columns");
  }

  @Test
  void healthRecommendsCompactionOnSmallFilesAndNothingAfterIt() {
    TableRef ref = SmallFilesTable.create(spark, "health", true, 10, 4, 400);

    CliRun sick = CliRun.withTestConfig("health", "--table", "compaction.health");
    assertThat(sick.exitCode()).as(sick.toString()).isZero();
    JsonNode table = sick.report().get("result").get("tables").get(0);
    assertThat(table.get("health").get("data_files").asLong()).isEqualTo(SmallFilesTable.dataFiles(spark, ref));
    assertThat(sick.report().get("result").get("actions").toString()).contains("compact");
    assertThat(table.get("recommendations").get(0).get("command").asText())
        .isEqualTo("lakehouse-ops compact --table lake.compaction.health");

    assertThat(compact(ref).exitCode()).isZero();
    CliRun healthy = CliRun.withTestConfig("health", "--table", "compaction.health");
    assertThat(healthy.report().get("result").get("actions").size()).isZero();
    assertThat(healthy.report().get("message").asText()).isEqualTo("no maintenance needed");
  }

  @Test
  void healthDoesNotAskForACompactionThatCompactWouldNotDo() {
    // 4 appends of one file per day partition: 16 small files, 4 in each partition, fewer than
    // compact's --min-input-files 5, so compact with its defaults rewrites none of them.
    TableRef ref = SmallFilesTable.create(spark, "few_per_partition", true, 4, 1, 100);

    CliRun health = CliRun.withTestConfig("health", "--table", "compaction.few_per_partition");
    CliRun compact = compact(ref);

    assertThat(health.exitCode()).as(health.toString()).isZero();
    JsonNode shape = health.report().get("result").get("tables").get(0).get("health");
    assertThat(shape.get("small_files").asLong()).isEqualTo(16);
    assertThat(shape.get("compactable_small_files").asLong()).isZero();
    assertThat(health.report().get("result").get("actions").toString()).doesNotContain("\"compact\"");
    assertThat(compact.report().get("status").asText()).isEqualTo("NOTHING_TO_DO");

    CliRun lowerThreshold = CliRun.withTestConfig("health", "--table", "compaction.few_per_partition",
        "--set", "lakehouse.compact.min-input-files=4");
    assertThat(lowerThreshold.report().get("result").get("tables").get(0).get("health")
        .get("compactable_small_files").asLong()).as("compact's threshold is health's").isEqualTo(16);
  }

  @Test
  void aRunThatOnlyRemovesDanglingDeleteFilesSaysSo() {
    TableRef ref = SmallFilesTable.create(spark, "dangling", true, 3, 2, 200);
    spark.sql("DELETE FROM " + ref.name() + " WHERE id % 10 = 0");
    assertThat(compact(ref).report().get("status").asText()).isEqualTo("SUCCEEDED");
    long dangling = spark.table(ref.name() + ".delete_files").count();
    assertThat(dangling).as("the binpack applied the deletes and left their files").isPositive();

    CliRun run = compact(ref, "--rewrite-deletes");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.report().get("status").asText()).as("it committed").isEqualTo("SUCCEEDED");
    assertThat(run.report().get("result").get("delete_files_removed").asLong()).isEqualTo(dangling);
    assertThat(run.report().get("message").asText())
        .contains("0 data files rewritten").contains(dangling + " delete files removed");
    assertThat(spark.table(ref.name() + ".delete_files").count()).isZero();
    Table table = Tables.load(spark, ref);
    table.refresh();
    assertThat(table.currentSnapshot().summary()).as("the removal's commit says who made it")
        .containsEntry("lakehouse.command", "compact")
        .containsEntry("lakehouse.run-id", run.report().get("run_id").asText());
  }

  @Test
  void healthAllCoversTheOpsTablesWhoseOneFilePerRunCompactMerges() {
    // Each run appends its own small file to an ops table: ten runs' records (health's
    // min-compactable-files), ten files at least.
    QualityRunsTable runs = new QualityRunsTable(spark, new TableRef("lake", "ops", QualityRunsTable.NAME));
    for (int i = 0; i < 10; i++) {
      runs.record(new QualityRun("ops-files-" + i, null, "ops_files", "dt=2024-01-" + (10 + i), GateStatus.SKIPPED, 0, 0,
          null, 0, null, "{}"));
    }

    CliRun health = CliRun.withTestConfig("health", "--all");

    assertThat(health.exitCode()).as(health.toString()).isZero();
    JsonNode opsRuns = tableOf(health, "lake.ops.data_quality_runs");
    assertThat(opsRuns.get("health").get("data_files").asLong()).isGreaterThanOrEqualTo(10);
    assertThat(opsRuns.get("recommendations").toString()).contains("lakehouse-ops compact --table lake.ops.data_quality_runs");

    CliRun compact = CliRun.withTestConfig("compact", "--table", "ops.data_quality_runs");
    assertThat(compact.exitCode()).as(compact.toString()).isZero();
    assertThat(tableOf(CliRun.withTestConfig("health", "--all"), "lake.ops.data_quality_runs").get("health")
        .get("data_files").asLong()).isEqualTo(1);
  }

  private static JsonNode tableOf(CliRun health, String name) {
    for (JsonNode table : health.report().get("result").get("tables")) {
      if (name.equals(table.get("health").get("table").asText())) {
        return table;
      }
    }
    throw new AssertionError(name + " is not in the report: " + health);
  }
}
