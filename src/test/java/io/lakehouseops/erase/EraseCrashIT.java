package io.lakehouseops.erase;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.KilledRun;
import io.lakehouseops.testing.LakeState;
import io.lakehouseops.testing.SparkSubmitProcess;
import io.lakehouseops.testing.TestLakehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * erase killed with SIGKILL through spark-submit: after its rewrite committed (the history not
 * yet expired) and in the raw purge between deleting a raw file and moving its rewrite into
 * place. The re-run finishes the request; no file the table references is missing, no raw
 * file lost its name, and the subjects are gone everywhere.
 */
class EraseCrashIT {
  private static final List<String> SPARK = SparkSubmitProcess.LOCAL;

  @Test
  void aKilledErasureIsFinishedByItsReRun() throws Exception {
    SparkSession spark = TestLakehouse.spark();
    String name = "erase_killed";
    Path config = TestLakehouse.configWithDataset(name, "");
    ok(CliRun.of("sample-data", "--dataset", name, "--start", "2024-01-01", "--days", "2", "--rows-per-day", "300",
        "--config", config.toString()));
    for (String date : List.of("2024-01-01", "2024-01-02")) {
      ok(CliRun.of("promote", "--dataset", name, "--date", date, "--config", config.toString()));
    }
    String table = "lake.curated." + name;
    List<Long> users = spark.sql("SELECT user_id FROM " + table + " WHERE user_id > 0 GROUP BY user_id "
        + "ORDER BY count(*) DESC, user_id LIMIT 2").collectAsList().stream().map(r -> r.getLong(0)).toList();
    Map<String, Long> rawBefore = rawFiles(name);
    long rows = count(spark, "SELECT count(*) FROM " + table);

    for (int i = 0; i < 2; i++) {
      String point = i == 0 ? "erase.after-rewrite" : "erase.raw-after-delete";
      long user = users.get(i);
      long subjectRows = count(spark, "SELECT count(*) FROM " + table + " WHERE user_id = " + user);
      List<String> erase = List.of("erase", "--dataset", name, "--where", "user_id = " + user, "--request-id",
          "KILL-" + i, "--purge-raw", "--config", config.toString());

      KilledRun.killAt(point, 1, SPARK, erase);

      CliRun rerun = ok(CliRun.of(erase.toArray(String[]::new)));
      assertThat(rerun.report().get("result").get("verification").get("passed").asBoolean()).as(point).isTrue();
      LakeState.refresh(table);
      assertThat(LakeState.missingFiles(table)).as(point).isEmpty();
      assertThat(count(spark, "SELECT count(*) FROM " + table + " WHERE user_id = " + user)).as(point).isZero();
      assertThat(count(spark, "SELECT count(*) FROM " + table)).as(point).isEqualTo(rows - subjectRows);
      rows -= subjectRows;
      assertThat(rawFiles(name).keySet()).as(point + ": every raw file under its name").isEqualTo(rawBefore.keySet());
      assertThat(spark.read().format("avro").option("recursiveFileLookup", "true")
          .load(TestLakehouse.rawZone().resolve(name).toString()).where("user_id = " + user).count())
          .as(point).isZero();
      assertThat(count(spark, "SELECT count(*) FROM lake.ops.erasure_ledger WHERE request_id = 'KILL-" + i
          + "' AND status = 'completed'")).as(point).isPositive();
    }
  }

  private static long count(SparkSession spark, String sql) {
    return spark.sql(sql).first().getLong(0);
  }

  private static CliRun ok(CliRun run) {
    assertThat(run.exitCode()).as(run.toString()).isZero();
    return run;
  }

  private static Map<String, Long> rawFiles(String name) {
    Path root = TestLakehouse.rawZone().resolve(name);
    Map<String, Long> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : new ArrayList<>(walk.filter(Files::isRegularFile).toList())) {
        files.put(root.relativize(p).toString(), Files.size(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }
}
