package io.lakehouseops.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.SparkSubmitProcess;
import io.lakehouseops.testing.TestLakehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * A backfill killed mid-way through spark-submit (the JVM halts, as on SIGKILL, right after
 * writing the third chunk's `running` audit row), then resumed with the same backfill id.
 */
class BackfillCrashIT {
  private static final List<String> SPARK = List.of("--master", "local[2]",
      "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1");

  @Test
  void aCrashInTheThirdChunkKeepsTheFirstTwoAndTheRerunFinishesOnlyTheThird() throws Exception {
    SparkSession spark = TestLakehouse.spark();
    Path config = BackfillCommandTest.promotedDataset("b_crash", "2024-07-01", 3, 150);
    String table = "lake.curated.b_crash";
    String[] healthy = new String[3];
    for (int day = 0; day < 3; day++) {
      healthy[day] = BackfillCommandTest.checksum(table, onDay(day));
    }
    spark.sql("UPDATE " + table + " SET user_id = user_id + 1000000000 WHERE pmod(hash(event_id), 20) = 0");
    String corruptedDay3 = BackfillCommandTest.checksum(table, onDay(2));
    assertThat(corruptedDay3).isNotEqualTo(healthy[2]);
    List<String> backfill = List.of("backfill", "--dataset", "b_crash", "--from", "2024-07-01", "--to",
        "2024-07-03", "--triggered-by", "bug_fix", "--backfill-id", "crash-1", "--config", config.toString());

    CliRun crashed = SparkSubmitProcess.run(List.of("-Dlakehouse-ops.fault-point=backfill.after-audit-running",
        "-Dlakehouse-ops.fault-after=3"), SPARK, backfill);

    assertThat(crashed.exitCode()).as(crashed.toString()).isEqualTo(137);
    refresh(spark, table);
    assertThat(audit(spark)).containsExactly("dt=2024-07-01 success", "dt=2024-07-02 success", "dt=2024-07-03 running");
    assertThat(BackfillCommandTest.checksum(table, onDay(0))).isEqualTo(healthy[0]);
    assertThat(BackfillCommandTest.checksum(table, onDay(1))).isEqualTo(healthy[1]);
    assertThat(BackfillCommandTest.checksum(table, onDay(2))).as("third chunk not merged").isEqualTo(corruptedDay3);

    CliRun resumed = SparkSubmitProcess.run(SPARK, backfill);

    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    JsonNode result = resumed.report().get("result");
    assertThat(result.get("partitions_skipped").asInt()).isEqualTo(2);
    assertThat(result.get("partitions_done").asInt()).isEqualTo(1);
    assertThat(result.get("superseded_running_rows").asLong()).isEqualTo(1);
    refresh(spark, table);
    assertThat(audit(spark)).containsExactly("dt=2024-07-01 success", "dt=2024-07-02 success",
        "dt=2024-07-03 failed", "dt=2024-07-03 success");
    for (int day = 0; day < 3; day++) {
      assertThat(BackfillCommandTest.checksum(table, onDay(day))).isEqualTo(healthy[day]);
    }
    assertThat(spark.sql("SELECT count(*) FROM " + table + " GROUP BY event_id HAVING count(*) > 1").count())
        .as("no key twice").isZero();
    List<String> files = spark.sql("SELECT file_path FROM " + table + ".files").collectAsList().stream()
        .map(r -> r.getString(0)).toList();
    assertThat(files).isNotEmpty().allSatisfy(f -> assertThat(Files.exists(Paths.get(f.replaceFirst("^file:", "")))).isTrue());
  }

  private static String onDay(int day) {
    return "CAST(event_ts AS DATE) = DATE'2024-07-01' + " + day;
  }

  private static void refresh(SparkSession spark, String table) {
    spark.catalog().refreshTable(table);
    spark.catalog().refreshTable("lake.ops.backfill_audit_log");
  }

  private static List<String> audit(SparkSession spark) {
    return spark.sql("SELECT partition_key, status FROM lake.ops.backfill_audit_log WHERE backfill_id = 'crash-1' "
        + "ORDER BY partition_key, started_at").collectAsList().stream()
        .map((Row r) -> r.getString(0) + " " + r.getString(1)).toList();
  }
}
