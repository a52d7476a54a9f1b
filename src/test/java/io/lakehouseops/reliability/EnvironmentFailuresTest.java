package io.lakehouseops.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.LakeState;
import io.lakehouseops.testing.TestLakehouse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The machine fails the job rather than the input: a read-only warehouse, a full disk. The job
 * exits 1 with one line naming the path and the cause, and changes no table and no raw file.
 * Both need root (immutable folders, a small tmpfs): where that is refused, the test says so
 * and is skipped.
 */
class EnvironmentFailuresTest {
  private static final String DS = "env_fail";
  private static Path config;

  @BeforeAll
  static void aPromotedDataset() {
    config = TestLakehouse.configWithDataset(DS, "");
    ok("sample-data", "--dataset", DS, "--start", "2024-08-01", "--days", "2", "--rows-per-day", "200");
    ok("promote", "--dataset", DS, "--date", "2024-08-01");
  }

  @Test
  void aReadOnlyWarehouseFailsThePromotionAndChangesNothing() throws Exception {
    Path warehouse = TestLakehouse.root().resolve("warehouse");
    Map<String, String> tables = LakeState.tables("lake", false);
    List<String> raw = LakeState.listing(TestLakehouse.rawZone());
    // Root ignores permission bits; the immutable attribute stops root too.
    assume(shell("chattr", "-R", "+i", warehouse.toString()), "chattr +i (immutable folders) is refused here");
    CliRun run;
    try {
      run = CliRun.of("promote", "--dataset", DS, "--date", "2024-08-02", "--config", config.toString());
    } finally {
      shell("chattr", "-R", "-i", warehouse.toString());
    }

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(errorLine(run)).contains(warehouse.toString());
    assertThat(LakeState.tables("lake", false)).isEqualTo(tables);
    assertThat(LakeState.listing(TestLakehouse.rawZone())).isEqualTo(raw);
  }

  @Test
  void aFullDiskFailsThePromotionAndChangesNothing() throws Exception {
    Path disk = Files.createTempDirectory(TestLakehouse.root(), "small-disk");
    assume(shell("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", disk.toString()),
        "mounting a small tmpfs (to fill it) is refused here");
    try {
      CliRun property = CliRun.of("sql", "ALTER TABLE lake.curated." + DS + " SET TBLPROPERTIES "
          + "('write.data.path' = '" + disk + "')", "--config", config.toString());
      assertThat(property.exitCode()).as(property.toString()).isZero();
      fill(disk.resolve("filler"));
      Map<String, String> tables = LakeState.tables("lake", false);
      List<String> raw = LakeState.listing(TestLakehouse.rawZone());

      CliRun run = CliRun.of("promote", "--dataset", DS, "--date", "2024-08-02", "--config", config.toString());

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertThat(errorLine(run)).contains("No space left on device");
      assertThat(LakeState.tables("lake", false)).isEqualTo(tables);
      assertThat(LakeState.listing(TestLakehouse.rawZone())).isEqualTo(raw);
    } finally {
      CliRun.of("sql", "ALTER TABLE lake.curated." + DS + " UNSET TBLPROPERTIES ('write.data.path')",
          "--config", config.toString());
      // Lazily: the failed write may still hold a file there open, which made a plain umount fail.
      shell("umount", "-l", disk.toString());
    }
  }

  private static void fill(Path file) throws IOException {
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      // the disk is full: what the job must now meet
    }
  }

  private static void ok(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(List.of("--config", config.toString()));
    CliRun run = CliRun.of(all.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.toString()).isZero();
  }

  private static String errorLine(CliRun run) {
    List<String> lines = run.stderr().lines().filter(l -> l.startsWith("lakehouse-ops promote:")).toList();
    assertThat(lines).as(run.stderr()).hasSize(1);
    System.out.println("environment failure, exit " + run.exitCode() + ": " + lines.get(0));
    return lines.get(0);
  }

  private static void assume(boolean done, String why) {
    Assumptions.assumeTrue(done, "Skipped: " + why);
  }

  private static boolean shell(String... command) throws Exception {
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start().waitFor() == 0;
  }
}
