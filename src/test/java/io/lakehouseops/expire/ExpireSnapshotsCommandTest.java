package io.lakehouseops.expire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.TestLakehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ExpireSnapshotsCommandTest {
  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = TestLakehouse.spark();
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.expiry");
  }

  /**
   * A table with `commits` snapshots: appends, an overwrite that leaves the appended files
   * referenced only by older snapshots, and one more append.
   */
  private static TableRef tableWithHistory(String name, int commits) throws Exception {
    return tableWithHistory(new TableRef("lake", "expiry", name), commits);
  }

  private static TableRef tableWithHistory(TableRef ref, int commits) throws Exception {
    // Partitioned: manifest lists then carry partition summaries.
    spark.sql("CREATE TABLE " + ref.quoted() + " (id BIGINT, v STRING) USING iceberg PARTITIONED BY (bucket(2, id)) "
        + "TBLPROPERTIES ('format-version'='2')");
    for (int i = 0; i < commits - 2; i++) {
      spark.sql("INSERT INTO " + ref.quoted() + " SELECT id, cast(id AS STRING) FROM range(" + i * 10 + ", " + (i + 1) * 10 + ")");
    }
    spark.sql("INSERT OVERWRITE " + ref.quoted() + " SELECT id, cast(id AS STRING) FROM range(0, " + (commits - 2) * 10 + ")");
    spark.sql("INSERT INTO " + ref.quoted() + " SELECT id, cast(id AS STRING) FROM range(1000, 1010)");
    Thread.sleep(1100); // every snapshot at least a second old, for --older-than 1s
    return ref;
  }

  private static Table load(TableRef ref) {
    Table table = Tables.load(spark, ref);
    table.refresh();
    return table;
  }

  private static String checksum(TableRef ref) {
    return spark.sql("SELECT count(*), sum(xxhash64(id, v)) FROM " + ref.name()).first().toString();
  }

  private static Set<String> filesUnder(TableRef ref) throws Exception {
    Path location = Paths.get(java.net.URI.create(load(ref).location().startsWith("/")
        ? "file:" + load(ref).location() : load(ref).location()));
    try (Stream<Path> files = Files.walk(location)) {
      return files.filter(Files::isRegularFile).map(Path::toString).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static Set<String> liveFiles(TableRef ref) {
    return spark.sql("SELECT file_path FROM " + ref.name() + ".files").collectAsList().stream()
        .map(r -> r.getString(0).replaceFirst("^file:", "")).collect(Collectors.toSet());
  }

  private static CliRun expire(TableRef ref, String... args) {
    String[] all = Stream.concat(Stream.of("expire-snapshots", "--table", ref.namespace() + "." + ref.table()),
        Stream.of(args)).toArray(String[]::new);
    return CliRun.withTestConfig(all);
  }

  @Test
  void oldSnapshotsExpireNewestAreKeptAndLiveFilesSurvive() throws Exception {
    TableRef ref = tableWithHistory("history", 6);
    String checksum = checksum(ref);
    Set<String> live = liveFiles(ref);
    Map<String, Long> before = new HashMap<>();
    for (String path : filesUnder(ref)) {
      before.put(path, Files.size(Paths.get(path)));
    }

    CliRun run = expire(ref, "--older-than", "1s", "--retain-last", "2", "--force");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode result = run.report().get("result");
    assertThat(result.get("snapshots_before").asInt()).isEqualTo(6);
    assertThat(result.get("snapshots_after").asInt()).isEqualTo(2);
    assertThat(result.get("snapshots_expired").asInt()).isEqualTo(4);
    assertThat(result.get("data_files_deleted").asLong()).as("files only old snapshots referenced").isGreaterThan(0);
    assertThat(checksum(ref)).isEqualTo(checksum);
    Set<String> onDisk = filesUnder(ref);
    assertThat(onDisk).containsAll(live);
    long freed = 0;
    for (Map.Entry<String, Long> file : before.entrySet()) {
      // The local file system's .crc checksum files go with their files; S3 has none.
      if (!onDisk.contains(file.getKey()) && !file.getKey().endsWith(".crc")) {
        freed += file.getValue();
      }
    }
    assertThat(result.get("bytes_freed").asLong()).as("the bytes of the files deleted").isEqualTo(freed).isPositive();
  }

  @Test
  void expiredFilesAreDeletedInBulk() throws Exception {
    // A catalog of its own over the same database and warehouse, whose FileIO counts deletes.
    String catalog = "bulkio";
    for (var conf : spark.sparkContext().getConf().getAllWithPrefix("spark.sql.catalog.lake")) {
      spark.conf().set("spark.sql.catalog." + catalog + conf._1(), conf._2());
    }
    spark.conf().set("spark.sql.catalog." + catalog + ".io-impl", CountingFileIO.class.getName());
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + catalog + ".expiry");
    TableRef ref = tableWithHistory(new TableRef(catalog, "expiry", "bulk"), 4);
    CountingFileIO.BULK_PATHS.set(0);
    CountingFileIO.SINGLE_DELETES.set(0);

    CliRun run = expire(ref, "--older-than", "1s", "--retain-last", "1", "--force",
        "--set", "lakehouse.catalog.name=" + catalog,
        "--set", "lakehouse.catalog.properties.io-impl=" + CountingFileIO.class.getName());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode result = run.report().get("result");
    long deleted = result.get("data_files_deleted").asLong() + result.get("manifests_deleted").asLong()
        + result.get("manifest_lists_deleted").asLong();
    assertThat(result.get("data_files_deleted").asLong()).isPositive();
    assertThat(CountingFileIO.BULK_PATHS.get()).as("paths given to the bulk delete").isEqualTo(deleted);
    assertThat(CountingFileIO.SINGLE_DELETES.get()).as("deletes in all, the bulk delete's own included")
        .isEqualTo(deleted);
  }

  @Test
  void dryRunListsWhatWouldGoAndChangesNothing() throws Exception {
    TableRef ref = tableWithHistory("dry", 5);
    String metadata = ((HasTableOperations) load(ref)).operations().current().metadataFileLocation();
    Set<String> files = filesUnder(ref);

    CliRun dry = expire(ref, "--older-than", "1s", "--retain-last", "1", "--force", "--dry-run");

    assertThat(dry.exitCode()).as(dry.toString()).isZero();
    assertThat(((HasTableOperations) load(ref)).operations().current().metadataFileLocation()).isEqualTo(metadata);
    assertThat(filesUnder(ref)).isEqualTo(files);
    JsonNode planned = dry.report().get("result");
    assertThat(planned.get("expired_snapshot_ids").size()).isEqualTo(4);

    CliRun real = expire(ref, "--older-than", "1s", "--retain-last", "1", "--force");
    JsonNode done = real.report().get("result");
    assertThat(done.get("expired_snapshot_ids")).isEqualTo(planned.get("expired_snapshot_ids"));
    assertThat(done.get("data_files_deleted")).isEqualTo(planned.get("data_files_deleted"));
    assertThat(done.get("manifest_lists_deleted")).isEqualTo(planned.get("manifest_lists_deleted"));
    assertThat(done.get("bytes_freed").asLong()).isEqualTo(planned.get("bytes_freed").asLong());
  }

  @Test
  void taggedSnapshotSurvivesAndStaleAuditBranchIsRemoved() throws Exception {
    TableRef ref = tableWithHistory("tagged", 4);
    Table table = load(ref);
    long first = table.history().get(0).snapshotId();
    long second = table.history().get(1).snapshotId();
    table.manageSnapshots().createTag("release_1", first).createBranch("audit_crashed_run", second).commit();
    Thread.sleep(1100);

    CliRun run = expire(ref, "--older-than", "1s", "--retain-last", "1", "--force",
        "--set", "lakehouse.expire.audit-branch-max-age=1s");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    Table after = load(ref);
    assertThat(after.snapshot(first)).as("tagged snapshot").isNotNull();
    assertThat(after.refs()).containsKey("release_1").doesNotContainKey("audit_crashed_run");
    assertThat(run.report().get("result").get("branches_removed").toString()).contains("audit_crashed_run");
    assertThat(spark.sql("SELECT count(*) FROM " + ref.name() + " VERSION AS OF 'release_1'").first().getLong(0)).isEqualTo(10);
  }

  @Test
  void oldOrphanIsDeletedYoungOrphanIsKept() throws Exception {
    TableRef ref = tableWithHistory("orphans", 2);
    Path data = Paths.get(load(ref).location().replaceFirst("^file:", ""), "data");
    Path old = data.resolve("orphan-old.parquet");
    Path young = data.resolve("orphan-young.parquet");
    Files.writeString(old, "left by a crashed writer");
    Files.writeString(young, "being written right now");
    Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(10, ChronoUnit.DAYS)));
    String checksum = checksum(ref);

    CliRun dry = expire(ref, "--remove-orphans", "--orphan-older-than", "3d", "--dry-run");
    assertThat(dry.exitCode()).as(dry.toString()).isZero();
    assertThat(dry.report().get("result").get("orphan_candidates").toString()).contains("orphan-old.parquet")
        .doesNotContain("orphan-young");
    assertThat(old).exists();

    CliRun run = expire(ref, "--remove-orphans", "--orphan-older-than", "3d");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(old).doesNotExist();
    assertThat(young).exists();
    assertThat(run.report().get("result").get("orphan_files_deleted").asLong()).isEqualTo(1);
    assertThat(checksum(ref)).isEqualTo(checksum);
  }

  @Test
  void guardsRefuseShortRetentionUnlessForced() throws Exception {
    TableRef ref = tableWithHistory("guarded", 3);
    CliRun tooShort = expire(ref, "--older-than", "1h");
    assertThat(tooShort.exitCode()).isEqualTo(2);
    assertThat(tooShort.stderr()).contains("Refusing --older-than 1h: below the minimum retention of 1d",
        "running jobs may still be writing", "--force");

    CliRun orphans = expire(ref, "--remove-orphans", "--orphan-older-than", "2h");
    assertThat(orphans.exitCode()).isEqualTo(2);
    assertThat(orphans.stderr()).contains("Refusing --orphan-older-than 2h");

    CliRun retain = expire(ref, "--retain-last", "0");
    assertThat(retain.exitCode()).isEqualTo(2);
    assertThat(retain.stderr()).contains("Invalid --retain-last 0");
    assertThat(load(ref).snapshots()).hasSize(3);

    CliRun forced = expire(ref, "--older-than", "1s", "--retain-last", "1", "--force");
    assertThat(forced.exitCode()).isZero();
    assertThat(load(ref).snapshots()).hasSize(1);
  }

  @Test
  void nothingToExpireAndUnknownTable() throws Exception {
    TableRef ref = tableWithHistory("fresh", 2);
    CliRun nothing = expire(ref);
    assertThat(nothing.exitCode()).isZero();
    assertThat(nothing.report().get("status").asText()).isEqualTo("NOTHING_TO_DO");

    CliRun unknown = CliRun.withTestConfig("expire-snapshots", "--table", "expiry.nowhere");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.stderr()).contains("Unknown table lake.expiry.nowhere");
    assertThat(List.of()).isEmpty();
  }
}
