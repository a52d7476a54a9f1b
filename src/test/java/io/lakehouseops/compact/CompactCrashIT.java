package io.lakehouseops.compact;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.KilledRun;
import io.lakehouseops.testing.LakeState;
import io.lakehouseops.testing.SparkSubmitProcess;
import io.lakehouseops.testing.TestLakehouse;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** compact with partial progress, killed with SIGKILL right after its first file-group commit. */
class CompactCrashIT {
  private static final List<String> SPARK = SparkSubmitProcess.LOCAL;

  @Test
  void aCompactionKilledBetweenGroupCommitsKeepsEveryRowAndTheNextRunFinishesIt() throws Exception {
    SparkSession spark = TestLakehouse.spark();
    TableRef table = SmallFilesTable.create(spark, "killed", true, 6, 10, 2000);
    String rows = SmallFilesTable.checksum(spark, table);
    long filesBefore = SmallFilesTable.dataFiles(spark, table);
    List<String> compact = List.of("compact", "--table", "compaction.killed", "--partial-progress",
        "--config", TestLakehouse.configFile().toString());

    KilledRun.killAt("compact.between-group-commits", 1, SPARK, compact);

    spark.catalog().refreshTable(table.name());
    long filesAfterKill = SmallFilesTable.dataFiles(spark, table);
    assertThat(filesAfterKill).as("one group committed, the rest not").isLessThan(filesBefore).isGreaterThan(4);
    assertThat(SmallFilesTable.checksum(spark, table)).isEqualTo(rows);
    assertThat(LakeState.missingFiles(table.name())).isEmpty();

    CliRun rerun = CliRun.of(compact.toArray(String[]::new));

    assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
    spark.catalog().refreshTable(table.name());
    assertThat(SmallFilesTable.dataFiles(spark, table)).as("one file per day partition").isEqualTo(4);
    assertThat(SmallFilesTable.checksum(spark, table)).isEqualTo(rows);
    assertThat(LakeState.missingFiles(table.name())).isEmpty();
  }
}
