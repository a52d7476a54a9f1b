package io.lakehouseops.erase;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.faults.FaultInjection;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * erase end to end on real Iceberg tables and Avro raw files: the subjects' rows are gone from
 * every data file any snapshot references and from storage, the ledger holds their hashes, and
 * promote and backfill of the raw days that held them publish everything else but not them.
 */
class EraseCommandTest {
  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = TestLakehouse.spark();
  }

  /** Three promoted days of sample data (late events land in the next day's raw partition). */
  private static Path promotedDays(String name, String overrides) {
    return SampleDataset.promoted(name, overrides, "2024-01-01", 3, 400).config();
  }

  private static CliRun run(Path config, String... args) {
    return new SampleDataset("", config).run(args);
  }

  private static CliRun ok(CliRun run) {
    assertThat(run.exitCode()).as(run.toString()).isZero();
    return run;
  }

  private static long count(String sql) {
    return spark.sql(sql).collectAsList().get(0).getLong(0);
  }

  private static String curated(String name) {
    return "lake.curated." + name;
  }

  private static Table table(String name) {
    Table table = Tables.load(spark, new TableRef("lake", "curated", name));
    table.refresh();
    return table;
  }

  /** The n most active users of the table. */
  private static List<Long> topUsers(String name, int n) {
    return spark.sql("SELECT user_id FROM " + curated(name) + " WHERE user_id > 0 GROUP BY user_id "
        + "ORDER BY count(*) DESC, user_id LIMIT " + n).collectAsList().stream().map(r -> r.getLong(0)).toList();
  }

  private static Path keysFile(String name, List<Long> users) {
    Path file = TestLakehouse.root().resolve(name + "-keys.csv");
    try {
      Files.writeString(file, "user_id\n" + users.stream().map(String::valueOf).collect(Collectors.joining("\n"))
          + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private static String in(List<Long> users) {
    return "user_id IN (" + users.stream().map(String::valueOf).collect(Collectors.joining(",")) + ")";
  }

  /** Rows of the users in every data file any snapshot references, read as stored (no deletes applied). */
  private static long storedRows(String name, List<Long> users) {
    List<String> files = spark.sql("SELECT DISTINCT file_path FROM " + curated(name) + ".all_data_files")
        .collectAsList().stream().map(r -> r.getString(0)).toList();
    return spark.read().option("mergeSchema", "true").parquet(files.toArray(String[]::new)).where(in(users)).count();
  }

  /** Every Avro file under the dataset's raw zone, relative to it. */
  private static Set<String> rawFiles(String name) {
    Path root = TestLakehouse.rawZone().resolve(name);
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
          .collect(Collectors.toCollection(TreeSet::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long rawRows(String name, String where) {
    return spark.read().format("avro").option("recursiveFileLookup", "true")
        .load(TestLakehouse.rawZone().resolve(name).toString()).where(where).count();
  }

  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode result(CliRun run) {
    return run.report().get("result");
  }

  @Test
  void erasesKeysFromEveryFileAndSnapshotAndReplaysNeverBringThemBack() {
    String name = "erase_keys";
    Path config = promotedDays(name, "");
    List<Long> users = topUsers(name, 3);
    long subjectRows = count("SELECT count(*) FROM " + curated(name) + " WHERE " + in(users));
    long total = count("SELECT count(*) FROM " + curated(name));
    String othersBefore = spark.sql("SELECT count(*), sum(hash(to_json(struct(*)))) FROM " + curated(name)
        + " WHERE NOT " + in(users)).collectAsList().get(0).toString();
    Set<String> filesWithSubjects = spark.sql("SELECT DISTINCT _file FROM " + curated(name) + " WHERE " + in(users))
        .collectAsList().stream().map(r -> r.getString(0)).collect(Collectors.toSet());
    long dataFiles = count("SELECT count(*) FROM " + curated(name) + ".files");
    assertThat(subjectRows).isPositive();
    assertThat(filesWithSubjects.size()).as("a fixture where some files hold none of the subjects")
        .isLessThan((int) dataFiles);

    CliRun erase = ok(run(config, "erase", "--dataset", name, "--keys-file", keysFile(name, users).toString(),
        "--request-id", "GDPR-1"));

    JsonNode result = result(erase);
    assertThat(erase.report().get("status").asText()).isEqualTo("SUCCEEDED");
    JsonNode curatedErasure = result.get("tables").get(0);
    assertThat(curatedErasure.get("table").asText()).isEqualTo(curated(name));
    assertThat(curatedErasure.get("rows_removed").asLong()).isEqualTo(subjectRows);
    assertThat(curatedErasure.get("data_files_rewritten").asInt()).as("only the files that held a subject")
        .isEqualTo(filesWithSubjects.size());
    assertThat(result.get("verification").get("passed").asBoolean()).isTrue();
    assertThat(result.get("verification").get("rows_matching").asLong()).isZero();
    assertThat(result.get("retention_exception").asText()).contains("one exception");
    // Gone from the table, from every file any snapshot references, and from storage.
    assertThat(count("SELECT count(*) FROM " + curated(name) + " WHERE " + in(users))).isZero();
    assertThat(count("SELECT count(*) FROM " + curated(name))).isEqualTo(total - subjectRows);
    assertThat(spark.sql("SELECT count(*), sum(hash(to_json(struct(*)))) FROM " + curated(name) + " WHERE NOT "
        + in(users)).collectAsList().get(0).toString()).as("every other row as it was").isEqualTo(othersBefore);
    assertThat(storedRows(name, users)).isZero();
    filesWithSubjects.forEach(file -> assertThat(Path.of(file.replaceFirst("^file:", ""))).doesNotExist());
    Table table = table(name);
    Snapshot erasure = StreamSupport.stream(table.snapshots().spliterator(), false)
        .filter(s -> "GDPR-1".equals(s.summary().get("lakehouse.erase-request-id"))).findFirst().orElseThrow();
    assertThat(table.snapshots()).as("no snapshot older than the erasure")
        .allMatch(s -> s.sequenceNumber() >= erasure.sequenceNumber());
    assertThat(erasure.summary()).containsEntry("lakehouse.command", "erase");
    // The ledger: one row per key, hashed, completed with what was removed.
    List<Row> ledger = spark.sql("SELECT * FROM lake.ops.erasure_ledger WHERE request_id = 'GDPR-1'").collectAsList();
    assertThat(ledger).hasSize(3);
    assertThat(ledger.stream().map(r -> r.<String>getAs("key_hash")))
        .as("SHA-256 of each key as text, never the key")
        .containsExactlyInAnyOrderElementsOf(users.stream().map(u -> sha256(String.valueOf(u))).toList());
    for (Row row : ledger) {
      assertThat(row.<String>getAs("status")).isEqualTo("completed");
      assertThat(row.<String>getAs("key_columns")).isEqualTo("user_id");
      assertThat(row.<Long>getAs("rows_removed")).isEqualTo(subjectRows);
      assertThat(row.<Object>getAs("completed_at")).isNotNull();
    }

    // Again: nothing left to do, the ledger keeps its record.
    CliRun again = ok(run(config, "erase", "--dataset", name, "--keys-file", keysFile(name, users).toString(),
        "--request-id", "GDPR-1"));
    assertThat(again.report().get("status").asText()).isEqualTo("NOTHING_TO_DO");
    assertThat(count("SELECT count(*) FROM lake.ops.erasure_ledger WHERE request_id = 'GDPR-1' AND status = "
        + "'completed' AND rows_removed = " + subjectRows)).isEqualTo(3);

    // Replays from the raw zone, which still holds the keys, never publish them again.
    assertThat(rawRows(name, in(users))).as("raw kept without --purge-raw").isPositive();
    CliRun republish = ok(run(config, "promote", "--dataset", name, "--date", "2024-01-02", "--republish"));
    assertThat(result(republish).get("rows_erased").asLong()).isPositive();
    ok(run(config, "backfill", "--dataset", name, "--from", "2024-01-01", "--to", "2024-01-03", "--triggered-by",
        "manual"));
    assertThat(count("SELECT count(*) FROM " + curated(name) + " WHERE " + in(users))).isZero();
    assertThat(count("SELECT count(*) FROM " + curated(name))).isEqualTo(total - subjectRows);
  }

  @Test
  void aTagPinningTheSubjectsStopsTheRequestUntilReleased() {
    String name = "erase_tag";
    Path config = promotedDays(name, "");
    List<Long> users = topUsers(name, 1);
    Table table = table(name);
    long snapshot = table.currentSnapshot().snapshotId();
    table.manageSnapshots().createTag("quarter_end", snapshot).commit();

    CliRun refused = run(config, "erase", "--dataset", name, "--where", "user_id = " + users.get(0),
        "--request-id", "GDPR-2");

    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
    assertThat(refused.stderr()).contains("tag 'quarter_end'").contains("--release-refs");
    assertThat(table(name).currentSnapshot().snapshotId()).as("nothing changed").isEqualTo(snapshot);
    assertThat(count("SELECT count(*) FROM " + curated(name) + " WHERE user_id = " + users.get(0))).isPositive();

    CliRun released = ok(run(config, "erase", "--dataset", name, "--where", "user_id = " + users.get(0),
        "--request-id", "GDPR-2", "--release-refs"));
    assertThat(result(released).get("tables").get(0).get("refs_released").toString()).contains("quarter_end");
    assertThat(table(name).refs()).doesNotContainKey("quarter_end");
    assertThat(storedRows(name, users)).isZero();
    assertThat(count("SELECT count(*) FROM lake.ops.erasure_ledger WHERE request_id = 'GDPR-2' AND key_hash IS NOT "
        + "NULL")).as("the predicate's key, hashed").isEqualTo(1);
  }

  @Test
  void purgeRawRewritesOnlyTheRawFilesThatHeldTheKeys() {
    String name = "erase_raw";
    Path config = promotedDays(name, "");
    List<Long> users = topUsers(name, 2);
    Set<String> filesBefore = rawFiles(name);
    long rawTotal = rawRows(name, "true");
    long rawSubjects = rawRows(name, in(users));

    CliRun erase = ok(run(config, "erase", "--dataset", name, "--keys-file", keysFile(name, users).toString(),
        "--request-id", "GDPR-3", "--purge-raw"));

    assertThat(result(erase).get("raw").get("purged").asBoolean()).isTrue();
    assertThat(result(erase).get("raw").get("rows_removed").asLong()).isEqualTo(rawSubjects);
    assertThat(rawFiles(name)).as("same files, same names, no staging left").isEqualTo(filesBefore);
    assertThat(rawRows(name, in(users))).isZero();
    assertThat(rawRows(name, "true")).isEqualTo(rawTotal - rawSubjects);
    assertThat(count("SELECT count(*) FROM lake.ops.erasure_ledger WHERE request_id = 'GDPR-3' AND "
        + "raw_files_rewritten > 0")).isEqualTo(2);
    ok(run(config, "promote", "--dataset", name, "--date", "2024-01-01", "--republish"));
  }

  @Test
  void aCrashAtEachPhaseConvergesOnReRun() {
    String name = "erase_crash";
    Path config = promotedDays(name, "");
    List<Long> users = topUsers(name, 5);
    long total = count("SELECT count(*) FROM " + curated(name));
    long rawTotal = rawRows(name, "true");
    long rawSubjects = rawRows(name, in(users));
    long subjectRows = count("SELECT count(*) FROM " + curated(name) + " WHERE " + in(users));
    Set<String> rawBefore = rawFiles(name);
    String[] points = {"erase.after-ledger", "erase.before-commit", "erase.after-rewrite", "erase.after-expire",
        "erase.raw-after-delete"};
    for (int i = 0; i < points.length; i++) {
      List<Long> subject = List.of(users.get(i));
      String request = "CRASH-" + i;
      System.setProperty(FaultInjection.PROPERTY, points[i]);
      CliRun crashed;
      try {
        crashed = run(config, "erase", "--dataset", name, "--where", "user_id = " + subject.get(0), "--request-id",
            request, "--purge-raw");
      } finally {
        System.clearProperty(FaultInjection.PROPERTY);
      }
      assertThat(crashed.exitCode()).as(points[i] + ": " + crashed).isEqualTo(1);
      CliRun rerun = ok(run(config, "erase", "--dataset", name, "--where", "user_id = " + subject.get(0),
          "--request-id", request, "--purge-raw"));
      assertThat(result(rerun).get("verification").get("passed").asBoolean()).as(points[i]).isTrue();
      assertThat(storedRows(name, subject)).as(points[i]).isZero();
      assertThat(rawRows(name, "user_id = " + subject.get(0))).as(points[i]).isZero();
      assertThat(rawFiles(name)).as(points[i] + ": raw files keep their names").isEqualTo(rawBefore);
      assertThat(count("SELECT count(*) FROM lake.ops.erasure_ledger WHERE request_id = '" + request
          + "' AND status = 'completed'")).as(points[i]).isPositive();
    }
    assertThat(count("SELECT count(*) FROM " + curated(name))).isEqualTo(total - subjectRows);
    assertThat(rawRows(name, "true")).isEqualTo(rawTotal - rawSubjects);
  }


  @Test
  void erasesFromTheQuarantineAndTheTablesEraseAlsoLists() {
    String name = "erase_also";
    String serving = "lake.serving.erase_also_daily";
    Path config = TestLakehouse.configWithDataset(name, "erase.also = [\"serving.erase_also_daily\"]");
    ok(CliRun.of("sample-data", "--dataset", name, "--start", "2024-01-01", "--days", "1", "--rows-per-day", "400",
        "--config", config.toString()));
    ok(CliRun.of("sample-data", "--dataset", name, "--start", "2024-01-02", "--days", "1", "--rows-per-day", "400",
        "--null-keys", "20", "--config", config.toString()));
    ok(run(config, "promote", "--dataset", name, "--date", "2024-01-01"));
    assertThat(run(config, "promote", "--dataset", name, "--date", "2024-01-02").exitCode())
        .as("the day with null keys goes to quarantine").isEqualTo(3);
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.serving");
    spark.sql("CREATE TABLE " + serving + " USING iceberg AS SELECT user_id, to_date(event_ts) AS day, count(*) AS n "
        + "FROM " + curated(name) + " GROUP BY 1, 2");
    String quarantine = "lake.quarantine." + name;
    long user = spark.sql("SELECT q.user_id FROM " + quarantine + " q JOIN " + curated(name) + " c USING (user_id) "
        + "WHERE q.user_id > 0 GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").first().getLong(0);
    for (String table : List.of(curated(name), quarantine, serving)) {
      assertThat(count("SELECT count(*) FROM " + table + " WHERE user_id = " + user)).as(table).isPositive();
    }

    CliRun erase = ok(run(config, "erase", "--dataset", name, "--where", "user_id = " + user, "--request-id",
        "GDPR-4"));

    List<String> erased = new ArrayList<>();
    result(erase).get("tables").forEach(t -> erased.add(t.get("table").asText()));
    assertThat(erased).containsExactly(curated(name), quarantine, serving);
    for (String table : List.of(curated(name), quarantine, serving)) {
      assertThat(count("SELECT count(*) FROM " + table + " WHERE user_id = " + user)).as(table).isZero();
      assertThat(count("SELECT count(*) FROM " + table + ".snapshots WHERE summary['lakehouse.erase-request-id'] = "
          + "'GDPR-4'")).as(table + ": the erasure's commit, with the request id").isEqualTo(1);
    }
    assertThat(result(erase).get("verification").get("tables_scanned").asInt()).isEqualTo(3);
  }

  @Test
  void badInputChangesNothing() {
    String name = "erase_bad";
    Path config = promotedDays(name, "");
    long snapshot = table(name).currentSnapshot().snapshotId();
    Path wrongShape = TestLakehouse.root().resolve("wrong-shape.csv");
    Path unknownColumn = TestLakehouse.root().resolve("unknown-column.csv");
    try {
      Files.writeString(wrongShape, "user_id\n42\n43,44\n");
      Files.writeString(unknownColumn, "customer\n42\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String[]> cases = List.of(
        new String[] {"erase", "--dataset", "nope", "--where", "user_id = 1", "--request-id", "R"},
        new String[] {"erase", "--dataset", name, "--where", "customer_id = 42", "--request-id", "R"},
        new String[] {"erase", "--dataset", name, "--keys-file", wrongShape.toString(), "--request-id", "R"},
        new String[] {"erase", "--dataset", name, "--keys-file", unknownColumn.toString(), "--request-id", "R"},
        new String[] {"erase", "--dataset", name, "--where", "user_id = 1"},
        new String[] {"erase", "--dataset", name, "--where", "user_id > 0", "--request-id", "R"},
        new String[] {"erase", "--dataset", name, "--where", "1 = 1", "--request-id", "R"});
    for (String[] args : cases) {
      CliRun run = run(config, args);
      assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run).isEqualTo(2);
      assertThat(run.stderr().lines().filter(l -> l.startsWith("lakehouse-ops")).findFirst().orElse(""))
          .as(String.join(" ", args)).isNotEmpty();
    }
    assertThat(table(name).currentSnapshot().snapshotId()).isEqualTo(snapshot);
    if (Tables.exists(spark, new TableRef("lake", "ops", "erasure_ledger"))) {
      assertThat(count("SELECT count(*) FROM lake.ops.erasure_ledger WHERE request_id = 'R'")).isZero();
    }
  }
}
