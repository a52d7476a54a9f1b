package io.lakehouseops.tier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakehouseops.storage.StorageClass;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.KilledRun;
import io.lakehouseops.testing.LoopbackRelay;
import io.lakehouseops.testing.S3MockServer;
import io.lakehouseops.testing.SparkSubmitProcess;
import io.lakehouseops.testing.TempTrees;
import io.lakehouseops.testing.TestLakehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * tier against a real S3-compatible server (S3Mock, its own process), real S3A and a real
 * Iceberg table of 400 daily partitions, each run through spark-submit in a child JVM.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TierIT {
  @RegisterExtension static final S3MockServer S3 = new S3MockServer();
  private static final List<String> SPARK = List.of("--master", "local[2]", "--conf", "spark.ui.enabled=false");
  private static final String AS_OF = "2025-11-23";
  private static final List<String> RULES = List.of("--rule", "30d=STANDARD_IA", "--rule", "365d=GLACIER_IR",
      "--as-of", AS_OF);
  private static Path config;
  private static Map<StorageClass, Long> projectedBytes;

  @BeforeAll
  static void tableOf400Days() throws Exception {
    Path root = TempTrees.create("tier-it");
    config = root.resolve("s3.conf");
    Files.writeString(config, """
        include file("%s")
        lakehouse {
          catalog { uri = "jdbc:sqlite:%s/catalog.db?journal_mode=WAL", warehouse = "s3a://lakehouse/warehouse" }
          zones.raw = "s3a://lakehouse/raw"
          spark.conf.spark.hadoop.fs.s3a {
            endpoint = "%s"
            "path.style.access" = true
            "connection.ssl.enabled" = false
            "endpoint.region" = "us-east-1"
            "aws.credentials.provider" = "org.apache.hadoop.fs.s3a.AnonymousAWSCredentialsProvider"
          }
        }
        """.formatted(TestLakehouse.configFile(), root, S3.endpoint()));
    ok(run("sql", "CREATE NAMESPACE IF NOT EXISTS lake.curated"));
    ok(run("sql", "CREATE TABLE lake.curated.events (id BIGINT, ts TIMESTAMP, v STRING) USING iceberg "
        + "PARTITIONED BY (days(ts))"));
    ok(run("sql", "INSERT INTO lake.curated.events SELECT id, timestamp_seconds(unix_timestamp(DATE'" + AS_OF
        + "') - (id % 400) * 86400 + id % 3600), sha2(cast(id AS STRING), 256) FROM range(0, 4000)"));
  }

  private static CliRun run(String... args) throws Exception {
    return run(List.of(), args);
  }

  private static CliRun run(List<String> jvm, String... args) throws Exception {
    List<String> app = new ArrayList<>(List.of(args));
    app.addAll(List.of("--config", config.toString()));
    return SparkSubmitProcess.run(jvm, SPARK, app);
  }

  private static CliRun ok(CliRun run) {
    assertThat(run.exitCode()).as(run.toString()).isZero();
    return run;
  }

  private static CliRun tier(String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("tier", "--table", "curated.events"));
    args.addAll(RULES);
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  /** HEAD of every data file: bytes per storage class, and per class of the partition's age. */
  private static Map<StorageClass, Long> bytesByClass() {
    Map<StorageClass, Long> bytes = new EnumMap<>(StorageClass.class);
    try (S3Client s3 = S3.client()) {
      for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(S3MockServer.BUCKET)
          .prefix("warehouse/curated/events/data/")).contents()) {
        var head = s3.headObject(b -> b.bucket(S3MockServer.BUCKET).key(object.key()));
        LocalDate day = LocalDate.parse(object.key().replaceFirst(".*ts_day=(\\d{4}-\\d{2}-\\d{2}).*", "$1"));
        long age = java.time.temporal.ChronoUnit.DAYS.between(day, LocalDate.parse(AS_OF));
        StorageClass expected = age > 365 ? StorageClass.GLACIER_IR : age > 30 ? StorageClass.STANDARD_IA : StorageClass.STANDARD;
        StorageClass actual = StorageClass.ofS3(head.storageClassAsString());
        if (actual != StorageClass.STANDARD) {
          assertThat(actual).as("class of %s (partition %s days old)", object.key(), age).isEqualTo(expected);
        }
        bytes.merge(actual, head.contentLength(), Long::sum);
      }
    }
    return bytes;
  }

  private static JsonNode health() throws Exception {
    CliRun health = ok(run("health", "--table", "curated.events", "--set", "lakehouse.tier.rules=[\"30d=STANDARD_IA\"]"));
    return health.report().get("result");
  }

  @Test
  @Order(0)
  void healthRecommendsTieringOldPartitions() throws Exception {
    JsonNode result = health();
    JsonNode table = result.get("tables").get(0).get("health");
    assertThat(table.get("partitions_past_tiering_policy").asLong()).isEqualTo(400);
    assertThat(result.get("actions").toString()).contains("tier");
    assertThat(table.get("bytes_by_storage_class").fieldNames()).toIterable().containsExactly("STANDARD");
  }

  @Test
  @Order(1)
  void dryRunCopiesNothingAndProjectsTheMove() throws Exception {
    CliRun dry = ok(tier("--dry-run"));
    JsonNode result = dry.report().get("result");
    assertThat(bytesByClass()).containsOnlyKeys(StorageClass.STANDARD);
    assertThat(result.get("files_by_target_class").get("STANDARD_IA").asLong()).isEqualTo(335);
    assertThat(result.get("files_by_target_class").get("GLACIER_IR").asLong()).isEqualTo(34);
    assertThat(result.get("monthly_cost_before").asDouble()).isGreaterThan(0);
    assertThat(result.get("warnings").toString()).contains("minimum billable size", "90 days");
    projectedBytes = new EnumMap<>(StorageClass.class);
    result.get("bytes_by_target_class").fields().forEachRemaining(e ->
        projectedBytes.put(StorageClass.valueOf(e.getKey()), e.getValue().asLong()));
  }

  @Test
  @Order(2)
  void aCrashAfterSomeCopiesIsFinishedByTheNextRun() throws Exception {
    CliRun before = ok(run("sql", "SELECT snapshot_id, count(*) AS n, sum(xxhash64(id, ts, v)) AS h FROM "
        + "lake.curated.events.snapshots, lake.curated.events GROUP BY 1"));
    // Killed with SIGKILL once 40 copies are done.
    KilledRun.killAt("tier.after-copies", 40, SPARK, List.of("tier", "--table", "curated.events",
        "--rule", "30d=STANDARD_IA", "--rule", "365d=GLACIER_IR", "--as-of", AS_OF, "--concurrency", "2",
        "--config", config.toString()));
    Map<StorageClass, Long> partial = bytesByClass();
    assertThat(partial).containsKey(StorageClass.STANDARD);
    assertThat(partial.size()).as("some moved").isGreaterThan(1);

    CliRun finished = ok(tier());
    assertThat(finished.report().get("result").get("files_skipped").asLong()).isGreaterThanOrEqualTo(40);
    Map<StorageClass, Long> after = bytesByClass();
    assertThat(after.get(StorageClass.STANDARD_IA)).isEqualTo(projectedBytes.get(StorageClass.STANDARD_IA));
    assertThat(after.get(StorageClass.GLACIER_IR)).isEqualTo(projectedBytes.get(StorageClass.GLACIER_IR));

    CliRun same = ok(run("sql", "SELECT snapshot_id, count(*) AS n, sum(xxhash64(id, ts, v)) AS h FROM "
        + "lake.curated.events.snapshots, lake.curated.events GROUP BY 1"));
    assertThat(same.rows()).as("metadata untouched, every row reads the same").isEqualTo(before.rows());
  }

  @Test
  @Order(3)
  void aRerunMovesNothing() throws Exception {
    CliRun again = ok(tier());
    assertThat(again.report().get("status").asText()).isEqualTo("NOTHING_TO_DO");
    assertThat(again.report().get("result").get("files_moved").asLong()).isZero();
    assertThat(again.report().get("result").get("requests").asLong()).isZero();

    JsonNode health = health().get("tables").get(0).get("health");
    assertThat(health.get("bytes_by_storage_class").get("STANDARD_IA").asLong())
        .isEqualTo(projectedBytes.get(StorageClass.STANDARD_IA));
    assertThat(health.get("bytes_by_storage_class").get("GLACIER_IR").asLong())
        .isEqualTo(projectedBytes.get(StorageClass.GLACIER_IR));
    assertThat(health.get("partitions_past_tiering_policy").asLong()).as("31 hot ones still STANDARD").isEqualTo(31);
  }

  @Test
  @Order(4)
  void compactLeavesTheColdPartitionsAlone() throws Exception {
    ok(run("sql", "INSERT INTO lake.curated.events SELECT id, timestamp_seconds(unix_timestamp(DATE'" + AS_OF
        + "') - (id % 400) * 86400 + 7), 'again' FROM range(0, 4000)"));
    Map<StorageClass, Long> before = bytesByClass();
    CliRun compact = ok(run("compact", "--table", "curated.events", "--min-input-files", "2"));
    JsonNode result = compact.report().get("result");
    assertThat(result.get("cold_files_skipped").asLong()).isEqualTo(2 * 369);
    assertThat(result.get("data_files_rewritten").asLong()).as("the 31 hot partitions, 2 files each").isEqualTo(62);
    Map<StorageClass, Long> after = bytesByClass();
    assertThat(after.get(StorageClass.GLACIER_IR)).isEqualTo(before.get(StorageClass.GLACIER_IR));
    assertThat(after.get(StorageClass.STANDARD_IA)).isEqualTo(before.get(StorageClass.STANDARD_IA));

    // With --where, health before and after counts the same scope, the cold files left out of
    // the rewrite included in both.
    JsonNode scoped = ok(run("compact", "--table", "curated.events", "--where", "ts >= TIMESTAMP'2000-01-01 00:00:00'",
        "--set", "lakehouse.compact.options.rewrite-all=true")).report().get("result");
    long beforeFiles = scoped.get("before").get("data_files").asLong();
    assertThat(beforeFiles).isGreaterThan(scoped.get("cold_files_skipped").asLong());
    assertThat(scoped.get("after").get("data_files").asLong()).isEqualTo(beforeFiles
        - scoped.get("data_files_rewritten").asLong() + scoped.get("data_files_added").asLong());
  }

  @Test
  @Order(5)
  void badInputsExitTwo() throws Exception {
    CliRun local = CliRun.withTestConfig("sql", "CREATE TABLE IF NOT EXISTS lake.curated.local_events (id BIGINT, ts TIMESTAMP) "
        + "USING iceberg PARTITIONED BY (days(ts))");
    assertThat(local.exitCode()).as(local.toString()).isZero();
    CliRun notS3 = CliRun.withTestConfig("tier", "--table", "curated.local_events", "--rule", "30d=STANDARD_IA");
    assertThat(notS3.exitCode()).isEqualTo(2);
    assertThat(notS3.stderr()).contains("Cannot tier lake.curated.local_events: its files are on",
        "storage classes exist only on S3");

    CliRun badClass = run("tier", "--table", "curated.events", "--rule", "30d=COLD_STORAGE");
    assertThat(badClass.exitCode()).isEqualTo(2);
    assertThat(badClass.stderr()).contains("Unknown storage class 'COLD_STORAGE'");
  }
  @Test
  @Order(6)
  void anUnreachableEndpointOrMissingCredentialsFailWithTheirCauseAndChangeNothing() throws Exception {
    Map<StorageClass, Long> before = bytesByClass();
    Path unreachable = Files.writeString(config.resolveSibling("unreachable-s3.conf"), """
        include file("%s")
        lakehouse.spark.conf.spark.hadoop.fs.s3a.endpoint = "http://127.0.0.1:9"
        """.formatted(config));
    CliRun noEndpoint = SparkSubmitProcess.run(SparkSubmitProcess.builder(List.of(), SPARK,
        List.of("tier", "--table", "curated.events", "--rule", "30d=STANDARD_IA", "--config", unreachable.toString())));
    assertThat(noEndpoint.exitCode()).as(noEndpoint.toString()).isEqualTo(1);
    assertThat(errorLine(noEndpoint)).contains("127.0.0.1:9", "fs.s3a.endpoint");

    // No provider configured: S3A's default chain, with nothing in the environment to find.
    Path keyless = Files.writeString(config.resolveSibling("keyless-s3.conf"), """
        include file("%s")
        lakehouse.spark.conf.spark.hadoop.fs.s3a { "aws.credentials.provider" = "" }
        """.formatted(config));
    ProcessBuilder child = SparkSubmitProcess.builder(List.of(), SPARK,
        List.of("tier", "--table", "curated.events", "--rule", "30d=STANDARD_IA", "--config", keyless.toString()));
    child.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
    child.environment().put("AWS_EC2_METADATA_DISABLED", "true"); // no instance metadata service here
    CliRun noCredentials = SparkSubmitProcess.run(child);
    assertThat(noCredentials.exitCode()).as(noCredentials.toString()).isEqualTo(1);
    assertThat(errorLine(noCredentials)).contains("credentials");

    assertThat(bytesByClass()).as("no object moved or changed class").isEqualTo(before);
  }

  /** The one line lakehouse-ops prints for the user. */
  private static String errorLine(CliRun run) {
    List<String> lines = run.stderr().lines().filter(l -> l.startsWith("lakehouse-ops tier:")).toList();
    assertThat(lines).as(run.stderr()).hasSize(1);
    return lines.get(0);
  }

  private static List<String> dataKeys(S3Client s3, String bucket, String prefix) {
    return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
        .map(S3Object::key).filter(k -> k.endsWith(".parquet")).sorted().toList();
  }

  /** A table of 20 daily partitions, all older than 30 days, one file each. */
  private static void oldDays(String table, String location) throws Exception {
    ok(run("sql", "CREATE TABLE lake.curated." + table + " (id BIGINT, ts TIMESTAMP, v STRING) USING iceberg "
        + "PARTITIONED BY (days(ts))" + (location == null ? "" : " LOCATION '" + location + "'"),
        "INSERT INTO lake.curated." + table + " SELECT id, timestamp_seconds(unix_timestamp(DATE'" + AS_OF
        + "') - (40 + id % 20) * 86400), sha2(cast(id AS STRING), 256) FROM range(0, 200)"));
  }

  @Test
  @Order(7)
  void aCopyOntoItselfKeepsEachObjectsEncryption() throws Exception {
    oldDays("events_encrypted", null);
    try (S3Client s3 = S3.client()) {
      List<String> keys = dataKeys(s3, S3MockServer.BUCKET, "warehouse/curated/events_encrypted/data/");
      assertThat(keys).hasSize(20);
      // Half under SSE-KMS with a bucket key, half under SSE-S3, as a bucket's writers left them.
      for (int i = 0; i < keys.size(); i++) {
        String key = keys.get(i);
        s3.copyObject(b -> {
          b.sourceBucket(S3MockServer.BUCKET).sourceKey(key).destinationBucket(S3MockServer.BUCKET).destinationKey(key)
              .metadataDirective(MetadataDirective.COPY);
          if (keys.indexOf(key) % 2 == 0) {
            b.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(S3MockServer.KMS_KEY_ID).bucketKeyEnabled(true);
          } else {
            b.serverSideEncryption(ServerSideEncryption.AES256);
          }
        });
      }
      Map<String, HeadObjectResponse> before = new java.util.TreeMap<>();
      keys.forEach(k -> before.put(k, s3.headObject(b -> b.bucket(S3MockServer.BUCKET).key(k))));
      assertThat(before.get(keys.get(0)).serverSideEncryption()).as("the server keeps SSE-KMS")
          .isEqualTo(ServerSideEncryption.AWS_KMS);
      assertThat(before.get(keys.get(0)).ssekmsKeyId()).isEqualTo(S3MockServer.KMS_KEY_ID);
      assertThat(before.get(keys.get(1)).serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);

      // Through a relay that keeps the requests: this server keeps an object's encryption on a
      // copy that names none, where S3 applies the bucket default, so the requests are checked too.
      CliRun tiered;
      List<String> copies;
      try (LoopbackRelay proxy = new LoopbackRelay(S3.port(), true)) {
        Path viaProxy = Files.writeString(config.resolveSibling("recorded-s3.conf"), """
            include file("%s")
            lakehouse.spark.conf.spark.hadoop.fs.s3a.endpoint = "%s"
            """.formatted(config, proxy.endpoint()));
        tiered = ok(SparkSubmitProcess.run(List.of(), SPARK, List.of("tier", "--table", "curated.events_encrypted",
            "--rule", "30d=STANDARD_IA", "--as-of", AS_OF, "--config", viaProxy.toString())));
        copies = proxy.requestHeads().stream().filter(h -> h.contains("\nx-amz-copy-source:")).toList();
      }

      assertThat(tiered.report().at("/result/files_moved").asLong()).isEqualTo(20);
      assertThat(copies).hasSize(20);
      for (String key : keys) {
        HeadObjectResponse after = s3.headObject(b -> b.bucket(S3MockServer.BUCKET).key(key));
        assertThat(after.storageClass()).as(key).isEqualTo(software.amazon.awssdk.services.s3.model.StorageClass.STANDARD_IA);
        assertThat(after.serverSideEncryption()).as("encryption of %s", key).isEqualTo(before.get(key).serverSideEncryption());
        assertThat(after.ssekmsKeyId()).as("KMS key of %s", key).isEqualTo(before.get(key).ssekmsKeyId());
        String copy = copies.stream().filter(h -> java.net.URLDecoder.decode(h.substring(0, h.indexOf('\n')),
            java.nio.charset.StandardCharsets.UTF_8).startsWith("PUT /" + S3MockServer.BUCKET + "/" + key + " "))
            .findFirst().orElseThrow(() -> new AssertionError("no copy request of " + key + " in " + copies));
        if (before.get(key).serverSideEncryption() == ServerSideEncryption.AWS_KMS) {
          assertThat(copy).as("the copy of %s", key).contains("\nx-amz-server-side-encryption: aws:kms\n",
              "\nx-amz-server-side-encryption-aws-kms-key-id: " + S3MockServer.KMS_KEY_ID + "\n");
          if (Boolean.TRUE.equals(before.get(key).bucketKeyEnabled())) {
            assertThat(copy).contains("\nx-amz-server-side-encryption-bucket-key-enabled: true\n");
          }
        } else {
          assertThat(copy).as("the copy of %s", key).contains("\nx-amz-server-side-encryption: AES256\n");
        }
      }
    }
  }

  @Test
  @Order(8)
  void aVersionedBucketsLeftoverVersionsAreCountedInTheProjectionWithOneWarning() throws Exception {
    String bucket = "lakehouse-versioned";
    try (S3Client s3 = S3.client()) {
      s3.createBucket(b -> b.bucket(bucket));
      s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    }
    oldDays("events_versioned", "s3a://" + bucket + "/events_versioned");

    JsonNode dry = ok(run("tier", "--table", "curated.events_versioned", "--rule", "30d=STANDARD_IA", "--as-of",
        AS_OF, "--dry-run")).report().get("result");

    long moving = dry.at("/bytes_by_target_class/STANDARD_IA").asLong();
    assertThat(moving).isPositive();
    assertThat(dry.get("noncurrent_version_bytes").asLong()).as("each copy's old version").isEqualTo(moving);
    List<String> versioned = new ArrayList<>();
    dry.get("warnings").forEach(w -> {
      if (w.asText().contains("is versioned")) {
        versioned.add(w.asText());
      }
    });
    assertThat(versioned).as("one warning for the table, not one per object").hasSize(1);
    assertThat(versioned.get(0)).contains(bucket, "NoncurrentVersionExpiration");

    JsonNode unversioned = ok(run("tier", "--table", "curated.events", "--rule", "1d=GLACIER_IR", "--as-of", AS_OF,
        "--dry-run")).report().get("result");
    assertThat(unversioned.get("noncurrent_version_bytes").asLong()).isZero();
    assertThat(unversioned.get("warnings").toString()).doesNotContain("is versioned");
  }
}
