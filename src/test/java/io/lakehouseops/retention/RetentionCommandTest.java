package io.lakehouseops.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.SampleDataset;
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
import org.apache.iceberg.Table;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * retention on real Iceberg tables: old partitions leave the metadata whole (no file read or
 * written), held dates stay, the guards refuse before anything changes, and raw is untouched.
 */
class RetentionCommandTest {
  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = TestLakehouse.spark();
  }

  /** Six promoted days (late events reach back to 2023-12-30) with the given overrides. */
  private static Path promotedDays(String name, String overrides) {
    return SampleDataset.promoted(name, overrides, "2024-01-01", 6, 300).config();
  }

  private static CliRun run(Path config, String... args) {
    return new SampleDataset("", config).run(args);
  }

  private static CliRun ok(CliRun run) {
    assertThat(run.exitCode()).as(run.toString()).isZero();
    return run;
  }

  /** Rows per event date of the curated table. */
  private static Map<String, Long> rowsByDate(String name) {
    Map<String, Long> rows = new TreeMap<>();
    spark.sql("SELECT CAST(to_date(event_ts) AS STRING), count(*) FROM lake.curated." + name + " GROUP BY 1")
        .collectAsList().forEach(r -> rows.put(r.getString(0), r.getLong(1)));
    return rows;
  }

  private static Table table(String name) {
    Table table = Tables.load(spark, new TableRef("lake", "curated", name));
    table.refresh();
    return table;
  }

  /** Every raw file and its size. */
  private static Map<String, Long> rawFiles(String name) {
    Path root = TestLakehouse.rawZone().resolve(name);
    Map<String, Long> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(p).toString(), Files.size(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  @Test
  void dropsWholePartitionsPastTheLimitAndKeepsHeldOnes() {
    String name = "retention_days";
    Path config = promotedDays(name, "retention { days = 3, max-fraction = 0.5, "
        + "holds = [{ from = \"2024-01-01\", to = \"2024-01-01\", reason = \"litigation 4711\" }] }");
    Map<String, Long> before = rowsByDate(name);
    Map<String, Long> raw = rawFiles(name);
    long snapshot = table(name).currentSnapshot().snapshotId();
    assertThat(before).containsKeys("2023-12-31", "2024-01-01", "2024-01-02", "2024-01-06");

    CliRun dryRun = ok(run(config, "retention", "--dataset", name, "--as-of", "2024-01-06", "--dry-run"));
    JsonNode planned = dryRun.report().get("result");
    assertThat(planned.get("cutoff").asText()).isEqualTo("2024-01-03");
    assertThat(table(name).currentSnapshot().snapshotId()).as("a dry run changes nothing").isEqualTo(snapshot);

    CliRun retention = ok(run(config, "retention", "--dataset", name, "--as-of", "2024-01-06"));

    JsonNode result = retention.report().get("result");
    assertThat(result.get("mode").asText()).isEqualTo("metadata-only");
    List<String> deleted = new ArrayList<>();
    result.get("partitions_deleted").forEach(p -> deleted.add(p.get("last_event_date").asText()));
    List<String> expected = before.keySet().stream().filter(d -> d.compareTo("2024-01-03") < 0)
        .filter(d -> !d.equals("2024-01-01")).toList();
    assertThat(deleted).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(planned.get("partitions_deleted")).as("the dry run listed the same").isEqualTo(
        result.get("partitions_deleted"));
    long expectedRows = expected.stream().mapToLong(before::get).sum();
    assertThat(result.get("rows_deleted").asLong()).isEqualTo(expectedRows);
    assertThat(result.get("holds").get(0).get("reason").asText()).isEqualTo("litigation 4711");
    assertThat(result.get("holds").get(0).get("partitions_kept").toString()).contains("2024-01-01");
    Map<String, Long> after = rowsByDate(name);
    Map<String, Long> kept = new TreeMap<>(before);
    expected.forEach(kept::remove);
    assertThat(after).as("held and young dates untouched, old ones gone").isEqualTo(kept);
    Map<String, String> summary = table(name).currentSnapshot().summary();
    assertThat(summary).as("metadata only: files dropped, none written")
        .containsEntry("lakehouse.command", "retention").doesNotContainKey("added-data-files");
    assertThat(Long.parseLong(summary.get("deleted-data-files"))).isPositive();
    assertThat(rawFiles(name)).as("raw never touched").isEqualTo(raw);

    // Again: nothing is past the limit outside the hold.
    CliRun again = ok(run(config, "retention", "--dataset", name, "--as-of", "2024-01-06"));
    assertThat(again.report().get("status").asText()).isEqualTo("NOTHING_TO_DO");
  }

  @Test
  void guardsRefuseBeforeAnythingChanges() {
    String name = "retention_guard";
    Path config = promotedDays(name, "retention.days = 3");
    long snapshot = table(name).currentSnapshot().snapshotId();
    List<String[]> cases = List.of(
        // more than max-fraction (default 0.2) of the rows
        new String[] {"retention", "--dataset", name, "--as-of", "2024-01-06"},
        // the newest partition, whatever the fraction
        new String[] {"retention", "--dataset", name, "--older-than", "1d", "--as-of", "2030-01-01"},
        new String[] {"retention", "--dataset", name, "--older-than", "0d"},
        new String[] {"retention", "--dataset", name, "--older-than", "two years"},
        new String[] {"retention", "--dataset", "nope"},
        new String[] {"retention", "--table", "curated.no_such_dataset"});
    for (String[] args : cases) {
      CliRun refused = run(config, args);
      assertThat(refused.exitCode()).as(String.join(" ", args) + ": " + refused).isEqualTo(2);
    }
    CliRun newest = run(config, cases.get(1));
    assertThat(newest.stderr()).contains("newest partition").contains("--force");
    assertThat(table(name).currentSnapshot().snapshotId()).as("nothing changed").isEqualTo(snapshot);
    // A dataset without a policy: told how to set one.
    Path noPolicy = TestLakehouse.configWithDataset(name + "_none", "");
    CliRun none = CliRun.of("retention", "--dataset", name + "_none", "--config", noPolicy.toString());
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.stderr()).contains("retention.days");

    // --force goes past the fraction guard; health saw the partitions due first.
    JsonNode health = ok(run(config, "health", "--table", "curated." + name)).report().get("result");
    assertThat(health.get("actions").toString()).contains("retention");
    CliRun forced = ok(run(config, "retention", "--dataset", name, "--as-of", "2024-01-06", "--force"));
    assertThat(forced.report().get("result").get("fraction_of_rows").asDouble()).isGreaterThan(0.2);
    assertThat(rowsByDate(name).keySet()).allMatch(d -> d.compareTo("2024-01-03") >= 0);
  }

  @Test
  void aTableNotPartitionedByTimeLosesItsOldRowsByRewrite() {
    String name = "retention_rows";
    Path config = promotedDays(name, "partition-by = [], retention { days = 3, max-fraction = 0.6 }");
    Map<String, Long> before = rowsByDate(name);

    CliRun retention = ok(run(config, "retention", "--dataset", name, "--as-of", "2024-01-06"));

    assertThat(retention.report().get("result").get("mode").asText()).isEqualTo("rewrite");
    Map<String, Long> kept = new TreeMap<>(before);
    kept.keySet().removeIf(d -> d.compareTo("2024-01-03") < 0);
    assertThat(rowsByDate(name)).isEqualTo(kept);
  }
}
