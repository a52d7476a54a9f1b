package io.lakehouseops.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.KilledRun;
import io.lakehouseops.testing.LakeState;
import io.lakehouseops.testing.SparkSubmitProcess;
import io.lakehouseops.testing.TestLakehouse;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A backfill of three one-day chunks killed with SIGKILL through spark-submit, at each of its
 * fault points, then resumed with the same backfill id: between chunks (after the second) and
 * right after the third chunk's `running` audit row.
 */
class BackfillCrashIT {
  private static final List<String> SPARK = SparkSubmitProcess.LOCAL;

  @ParameterizedTest(name = "killed at {0} after {1} chunks")
  @CsvSource({"backfill.between-chunks, 2", "backfill.after-audit-running, 3"})
  void aKilledBackfillKeepsItsFinishedChunksAndTheRerunFinishesOnlyTheRest(String point, int after)
      throws Exception {
    SparkSession spark = TestLakehouse.spark();
    String dataset = "b_crash_" + after;
    Path config = BackfillCommandTest.promotedDataset(dataset, "2024-07-01", 3, 150);
    String table = "lake.curated." + dataset;
    List<String> rawBefore = LakeState.listing(
        TestLakehouse.rawZone().resolve(dataset));
    String[] healthy = new String[3];
    for (int day = 0; day < 3; day++) {
      healthy[day] = BackfillCommandTest.checksum(table, onDay(day));
    }
    spark.sql("UPDATE " + table + " SET user_id = user_id + 1000000000 WHERE pmod(hash(event_id), 20) = 0");
    String corruptedDay3 = BackfillCommandTest.checksum(table, onDay(2));
    assertThat(corruptedDay3).isNotEqualTo(healthy[2]);
    String id = "crash-" + after;
    List<String> backfill = List.of("backfill", "--dataset", dataset, "--from", "2024-07-01", "--to",
        "2024-07-03", "--triggered-by", "bug_fix", "--backfill-id", id, "--config", config.toString());
    boolean midChunk = point.equals("backfill.after-audit-running");

    KilledRun.killAt(point, after, SPARK, backfill);

    refresh(spark, table);
    assertThat(audit(spark, id)).containsExactlyElementsOf(midChunk
        ? List.of("dt=2024-07-01 success", "dt=2024-07-02 success", "dt=2024-07-03 running")
        : List.of("dt=2024-07-01 success", "dt=2024-07-02 success"));
    assertThat(BackfillCommandTest.checksum(table, onDay(0))).isEqualTo(healthy[0]);
    assertThat(BackfillCommandTest.checksum(table, onDay(1))).isEqualTo(healthy[1]);
    assertThat(BackfillCommandTest.checksum(table, onDay(2))).as("third chunk not merged").isEqualTo(corruptedDay3);

    CliRun resumed = SparkSubmitProcess.run(SPARK, backfill);

    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    JsonNode result = resumed.report().get("result");
    assertThat(result.get("partitions_skipped").asInt()).isEqualTo(2);
    assertThat(result.get("partitions_done").asInt()).isEqualTo(1);
    assertThat(result.get("superseded_running_rows").asLong()).isEqualTo(midChunk ? 1 : 0);
    refresh(spark, table);
    assertThat(audit(spark, id)).containsExactlyElementsOf(midChunk
        ? List.of("dt=2024-07-01 success", "dt=2024-07-02 success", "dt=2024-07-03 failed", "dt=2024-07-03 success")
        : List.of("dt=2024-07-01 success", "dt=2024-07-02 success", "dt=2024-07-03 success"));
    assertThat(LakeState.listing(TestLakehouse.rawZone().resolve(dataset)))
        .as("raw zone unchanged").isEqualTo(rawBefore);
    for (int day = 0; day < 3; day++) {
      assertThat(BackfillCommandTest.checksum(table, onDay(day))).isEqualTo(healthy[day]);
    }
    assertThat(spark.sql("SELECT count(*) FROM " + table + " GROUP BY event_id HAVING count(*) > 1").count())
        .as("no key twice").isZero();
    assertThat(LakeState.missingFiles(table)).isEmpty();
  }

  private static String onDay(int day) {
    return "CAST(event_ts AS DATE) = DATE'2024-07-01' + " + day;
  }

  private static void refresh(SparkSession spark, String table) {
    spark.catalog().refreshTable(table);
    spark.catalog().refreshTable("lake.ops.backfill_audit_log");
  }

  private static List<String> audit(SparkSession spark, String id) {
    return spark.sql("SELECT partition_key, status FROM lake.ops.backfill_audit_log WHERE backfill_id = '" + id + "' "
        + "ORDER BY partition_key, started_at").collectAsList().stream()
        .map((Row r) -> r.getString(0) + " " + r.getString(1)).toList();
  }
}
