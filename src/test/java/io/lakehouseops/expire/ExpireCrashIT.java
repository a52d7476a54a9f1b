package io.lakehouseops.expire;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.KilledRun;
import io.lakehouseops.testing.LakeState;
import io.lakehouseops.testing.SparkSubmitProcess;
import io.lakehouseops.testing.TestLakehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** expire-snapshots killed with SIGKILL between snapshot expiry and orphan removal. */
class ExpireCrashIT {
  private static final List<String> SPARK = SparkSubmitProcess.LOCAL;

  @Test
  void anExpiryKilledBeforeOrphanRemovalKeepsTheDataAndTheNextRunRemovesTheOrphans() throws Exception {
    SparkSession spark = TestLakehouse.spark();
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.killed");
    spark.sql("CREATE TABLE lake.killed.expiring (id BIGINT, v STRING) USING iceberg");
    for (int i = 0; i < 5; i++) {
      spark.sql("INSERT INTO lake.killed.expiring SELECT id, 'v' || id FROM range(" + i * 100 + ", " + (i + 1) * 100 + ")");
    }
    spark.sql("DELETE FROM lake.killed.expiring WHERE id % 10 = 0");
    String rows = checksum(spark);
    Path location = Paths.get(Tables.load(spark, new TableRef("lake", "killed", "expiring")).location()
        .replaceFirst("^file:", ""));
    Path orphan = location.resolve("data/orphan-from-a-failed-job.parquet");
    Files.writeString(orphan, "left behind by a job that died");
    Files.setLastModifiedTime(orphan, FileTime.from(Instant.now().minus(5, ChronoUnit.DAYS)));
    List<String> expire = List.of("expire-snapshots", "--table", "killed.expiring", "--older-than", "1s",
        "--retain-last", "1", "--remove-orphans", "--orphan-older-than", "2d", "--force",
        "--config", TestLakehouse.configFile().toString());

    KilledRun.killAt("expire.before-orphans", 1, SPARK, expire);

    spark.catalog().refreshTable("lake.killed.expiring");
    assertThat(spark.sql("SELECT count(*) FROM lake.killed.expiring.snapshots").first().getLong(0))
        .as("expiry committed before the kill").isEqualTo(1);
    assertThat(checksum(spark)).isEqualTo(rows);
    assertThat(orphan).exists();

    CliRun rerun = CliRun.of(expire.toArray(String[]::new));

    assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
    assertThat(orphan).doesNotExist();
    spark.catalog().refreshTable("lake.killed.expiring");
    assertThat(checksum(spark)).isEqualTo(rows);
    assertThat(LakeState.missingFiles("lake.killed.expiring")).isEmpty();
  }

  private static String checksum(SparkSession spark) {
    var row = spark.sql("SELECT count(*), sum(xxhash64(id, v)) FROM lake.killed.expiring").first();
    return row.get(0) + "/" + row.get(1);
  }
}
