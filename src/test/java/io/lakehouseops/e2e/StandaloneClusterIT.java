package io.lakehouseops.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.PostgresLakehouse;
import io.lakehouseops.testing.PyIcebergReads;
import io.lakehouseops.testing.PyIcebergReads.Read;
import io.lakehouseops.testing.S3MockServer;
import io.lakehouseops.testing.SparkSubmitProcess;
import io.lakehouseops.testing.StandaloneCluster;
import io.lakehouseops.testing.TempTrees;
import io.lakehouseops.testing.TestLakehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The production path: the jar submitted through the real spark-submit to a Spark standalone
 * cluster (a master and two workers, each its own JVM, one core each), the warehouse and raw
 * zone on a real S3-compatible server (S3Mock on loopback), the Iceberg catalog on PostgreSQL.
 * The same scenario (promote with late and re-delivered events, a re-promote, a gate failure,
 * a backfill correction, binpack and z-order compaction, expiry with an orphan, tier, health)
 * runs in client deploy mode on the cluster and on local[2], and must give the same rows; in
 * cluster deploy mode (the driver on a worker) the config comes by URI and the report goes to
 * S3. PyIceberg, an independent reader, must read every table as Spark does, time travel
 * included.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {
  @RegisterExtension @Order(1) static final S3MockServer S3 = new S3MockServer();
  @RegisterExtension @Order(2) static final StandaloneCluster CLUSTER = new StandaloneCluster(2);
  /** Whole numbers read as longs: PyIceberg's small counts and Spark's compare equal. */
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);
  private static final String CURATED_COLUMNS = "event_id:string,user_id:long,event_type:string,event_ts:timestamp";
  private static String databaseUrl;
  private static Path clusterConfig;
  private static Path localConfig;
  private static final Map<String, CliRun> CLUSTER_RUNS = new LinkedHashMap<>();
  private static final Set<String> CLIENT_APPS = new TreeSet<>();

  @BeforeAll
  static void lakehouseOnS3AndPostgres() throws Exception {
    databaseUrl = PostgresLakehouse.newDatabase();
    Path base = TempTrees.create("cluster-it").resolve("s3-postgres.conf");
    Files.writeString(base, """
        include file("%s")
        lakehouse {
          catalog {
            uri = "%s"
            warehouse = "s3a://%s/warehouse"
            properties { "jdbc.user" = "%s", "jdbc.password" = "%s" }
          }
          zones.raw = "s3a://%s/raw"
          spark.conf {
            spark.sql.session.timeZone = "UTC"
            spark.executor.memory = "1g"
            spark.executor.cores = 1
            spark.cores.max = 2
            spark.hadoop.fs.s3a {
              endpoint = "%s"
              "path.style.access" = true
              "connection.ssl.enabled" = false
              "endpoint.region" = "us-east-1"
              "aws.credentials.provider" = "org.apache.hadoop.fs.s3a.AnonymousAWSCredentialsProvider"
            }
          }
        }
        """.formatted(TestLakehouse.configFile(), databaseUrl, S3MockServer.BUCKET, PostgresLakehouse.user(),
        PostgresLakehouse.password(), S3MockServer.BUCKET, S3.endpoint()));
    clusterConfig = TestLakehouse.configWithDataset(base, "cl", "");
    localConfig = TestLakehouse.configWithDataset(base, "lo", "");
  }

  // --- the scenario --------------------------------------------------------------------------

  private static List<String> clientMode() {
    return List.of("--master", CLUSTER.masterUrl(), "--conf", "spark.driver.host=127.0.0.1");
  }

  private static CliRun submit(List<String> spark, Path config, String... app) throws Exception {
    List<String> args = new ArrayList<>(List.of(app));
    args.addAll(List.of("--config", config.toString()));
    return SparkSubmitProcess.run(spark, args);
  }

  private static CliRun expect(int exit, CliRun run) {
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(exit);
    return run;
  }

  /**
   * Every command of the tool on dataset ds, through spark-submit with these options; returns
   * the runs by step. Each run's application id is kept, to look for its executors.
   */
  private static Map<String, CliRun> scenario(String ds, List<String> spark, Path config) throws Exception {
    Map<String, CliRun> runs = new LinkedHashMap<>();
    String table = "curated." + ds;
    // Four days; the last one (raw dt=2024-02-04) with 30 null keys, which the gate must stop.
    runs.put("sample", expect(0, submit(spark, config, "sample-data", "--dataset", ds, "--start", "2024-02-01",
        "--days", "4", "--rows-per-day", "300", "--null-keys", "30")));
    for (String day : List.of("2024-02-01", "2024-02-02", "2024-02-03")) {
      runs.put("promote " + day, expect(0, submit(spark, config, "promote", "--dataset", ds, "--date", day)));
    }
    if (spark != SparkSubmitProcess.LOCAL) {
      runs.put("promote again", expect(0, submit(spark, config, "promote", "--dataset", ds, "--date", "2024-02-02")));
    }
    runs.put("promote failing", expect(3, submit(spark, config, "promote", "--dataset", ds, "--date", "2024-02-04")));
    runs.put("backfill", expect(0, submit(spark, config, "backfill", "--dataset", ds, "--from", "2024-02-02",
        "--to", "2024-02-02", "--triggered-by", "bug_fix", "--backfill-id", ds + "-fix", "--source-sql",
        "SELECT event_id, user_id + 1 AS user_id, event_type, country, event_ts, payload, ingested_at FROM lake."
            + table + " WHERE event_ts >= TIMESTAMP'2024-02-02 00:00:00' AND event_ts < TIMESTAMP'2024-02-03 "
            + "00:00:00' AND pmod(hash(event_id), 10) = 0")));
    runs.put("compact", expect(0, submit(spark, config, "compact", "--table", table, "--min-input-files", "2")));
    runs.put("zorder", expect(0, submit(spark, config, "compact", "--table", table, "--strategy", "zorder",
        "--sort-columns", "user_id,event_ts", "--min-input-files", "1")));
    return runs;
  }

  /** The second half: expiry with an orphan to remove, tier, health. */
  private static Map<String, CliRun> maintenance(String ds, List<String> spark, Path config) throws Exception {
    Map<String, CliRun> runs = new LinkedHashMap<>();
    String table = "curated." + ds;
    try (S3Client s3 = S3.client()) {
      s3.putObject(b -> b.bucket(S3MockServer.BUCKET).key("warehouse/curated/" + ds + "/data/orphan-crashed-write.parquet"),
          RequestBody.fromString("left behind by a killed writer"));
    }
    runs.put("expire", expect(0, submit(spark, config, "expire-snapshots", "--table", table, "--older-than", "0d",
        "--retain-last", "1", "--remove-orphans", "--orphan-older-than", "0d", "--force")));
    runs.put("tier", expect(0, submit(spark, config, "tier", "--table", table, "--rule", "7d=STANDARD_IA",
        "--as-of", "2024-03-01")));
    runs.put("health", expect(0, submit(spark, config, "health", "--table", table)));
    return runs;
  }

  @Test
  @Order(1)
  void everyCommandRunsOnTheClusterInClientModeWithExecutorsOnBothWorkers() throws Exception {
    Set<String> before = completedApps();
    CLUSTER_RUNS.putAll(scenario("cl", clientMode(), clusterConfig));

    assertThat(CLUSTER_RUNS.get("promote again").report().get("status").asText()).isEqualTo("NOTHING_TO_DO");
    assertThat(CLUSTER_RUNS.get("backfill").report().at("/result/rows_updated").asLong()).isPositive();
    Set<String> apps = completedApps();
    apps.removeAll(before);
    CLIENT_APPS.addAll(apps);
    assertThat(apps).as("one application per spark-submit").hasSize(CLUSTER_RUNS.size());
    List<Set<String>> byWorker = CLUSTER.executorApps();
    for (String app : apps) {
      assertThat(byWorker).as("executors of %s on every worker", app).allSatisfy(ids -> assertThat(ids).contains(app));
      assertThat(CLUSTER.executorEndStates(app)).as("how the executors of %s ended", app)
          .isNotEmpty().allMatch("KILLED"::equals);
    }
  }

  @Test
  @Order(2)
  void pyIcebergReadsEveryTableAsSparkDoesTimeTravelIncluded() throws Exception {
    long firstPublish = CLUSTER_RUNS.get("promote 2024-02-01").report().at("/result/snapshot_id").asLong();
    List<Read> reads = List.of(
        new Read("curated", "curated.cl", CURATED_COLUMNS, null, "event_ts"),
        new Read("curated at the first publish", "curated.cl", CURATED_COLUMNS, firstPublish, "event_ts"),
        new Read("quarantine", "quarantine.cl", CURATED_COLUMNS, null, null),
        new Read("quality runs", "ops.data_quality_runs", "run_id:string,dataset:string,partition_key:string,"
            + "status:string,row_count:long", null, null),
        new Read("quality metrics", "ops.quality_metrics", "dataset:string,partition_key:string,run_id:string,metric:string",
            null, null),
        new Read("backfill audit", "ops.backfill_audit_log", "id:string,partition_key:string,status:string,"
            + "rows_affected:long", null, null));

    Map<String, JsonNode> spark = sparkReads(reads);
    Map<String, JsonNode> pyiceberg = pyIcebergReads(reads);

    assertThat(spark.get("curated").get("rows").asLong()).as("three days of 300").isBetween(880L, 930L);
    assertThat(spark.get("quarantine").get("rows").asLong()).isPositive();
    assertThat(spark.get("curated at the first publish").get("rows").asLong())
        .isLessThan(spark.get("curated").get("rows").asLong());
    for (Read read : reads) {
      assertThat(pyiceberg.get(read.id())).as("PyIceberg's %s against Spark's", read.id()).isEqualTo(spark.get(read.id()));
    }
  }

  @Test
  @Order(3)
  void theClusterAndLocalTwoGiveTheSameRows() throws Exception {
    // Expiry, tiering and health change no row: local[2] runs the scenario alone.
    Map<String, CliRun> local = scenario("lo", SparkSubmitProcess.LOCAL, localConfig);
    Set<String> before = completedApps();
    Map<String, CliRun> cluster = maintenance("cl", clientMode(), clusterConfig);
    Set<String> apps = completedApps();
    apps.removeAll(before);
    for (String app : apps) {
      assertThat(CLUSTER.executorEndStates(app)).as("how the executors of %s ended", app).allMatch("KILLED"::equals);
    }

    assertThat(cluster.get("expire").report().at("/result/orphan_files_deleted").asLong()).isEqualTo(1);
    assertThat(cluster.get("tier").report().at("/result/files_moved").asLong()).isPositive();
    List<Read> reads = new ArrayList<>();
    for (String ds : List.of("cl", "lo")) {
      reads.add(new Read(ds + " curated", "curated." + ds, CURATED_COLUMNS, null, "event_ts"));
      reads.add(new Read(ds + " quarantine", "quarantine." + ds, CURATED_COLUMNS, null, null));
    }
    Map<String, JsonNode> spark = sparkReads(reads);
    assertThat(spark.get("cl curated")).as("curated rows, cluster vs local[2]").isEqualTo(spark.get("lo curated"));
    assertThat(spark.get("cl quarantine")).isEqualTo(spark.get("lo quarantine"));
    for (String step : List.of("promote 2024-02-01", "promote 2024-02-02", "promote 2024-02-03", "backfill")) {
      for (String count : List.of("/result/rows_inserted", "/result/rows_updated")) {
        assertThat(CLUSTER_RUNS.get(step).report().at(count).asLong()).as("%s %s", step, count)
            .isEqualTo(local.get(step).report().at(count).asLong());
      }
    }
    Map<String, JsonNode> pyiceberg = pyIcebergReads(reads.subList(0, 2));
    assertThat(pyiceberg.get("cl curated")).as("PyIceberg after expiry and tiering").isEqualTo(spark.get("cl curated"));
    assertThat(pyiceberg.get("cl quarantine")).isEqualTo(spark.get("cl quarantine"));
  }

  @Test
  @Order(4)
  void inClusterModeTheConfigComesByUriAndTheReportGoesToS3() throws Exception {
    String folder = "s3a://" + S3MockServer.BUCKET + "/conf";
    // The user's config on its own (no local include), the contract beside it.
    Config rendered = ConfigFactory.parseFile(clusterConfig.toFile()).resolve().getConfig("lakehouse")
        .withValue("datasets.cl.contract", ConfigValueFactory.fromAnyRef("user_events.avsc")).atPath("lakehouse");
    try (S3Client s3 = S3.client()) {
      s3.putObject(b -> b.bucket(S3MockServer.BUCKET).key("conf/cluster.conf"),
          RequestBody.fromString(rendered.root().render(ConfigRenderOptions.concise().setJson(false))));
      s3.putObject(b -> b.bucket(S3MockServer.BUCKET).key("conf/user_events.avsc"),
          RequestBody.fromFile(TestLakehouse.schemas().resolve("user_events.avsc")));
    }
    expect(0, submit(clientMode(), clusterConfig, "sample-data", "--dataset", "cl", "--start", "2024-02-05",
        "--days", "1", "--rows-per-day", "300"));
    String report = "s3a://" + S3MockServer.BUCKET + "/reports/promote-2024-02-05.json";

    CliRun submitted = SparkSubmitProcess.run(clusterMode(true), List.of("promote", "--dataset", "cl", "--date",
        "2024-02-05", "--config", folder + "/cluster.conf", "--report", report));

    assertThat(submitted.exitCode()).as(submitted.toString()).isZero();
    JsonNode promoted = readReport("reports/promote-2024-02-05.json", submitted);
    assertThat(promoted.get("status").asText()).as(promoted.toString()).isEqualTo("SUCCEEDED");
    assertThat(promoted.at("/result/rows_inserted").asLong()).isEqualTo(300);
  }

  @Test
  @Order(5)
  void aClusterModeDriverWithoutSparksJvmFlagsStopsWithTheFix() throws Exception {
    CliRun submitted = SparkSubmitProcess.run(clusterMode(false), List.of("health", "--all",
        "--config", "s3a://" + S3MockServer.BUCKET + "/conf/cluster.conf"));

    // Standalone does not hand the driver's exit status back: spark-submit ends 0 either way.
    assertThat(submitted.exitCode()).as(submitted.toString()).isZero();
    String stderr = driverStderrs().stream().filter(s -> s.contains("lakehouse-ops: ")).findFirst().orElse("");
    assertThat(stderr).contains("started without the --add-opens flags", "spark.driver.extraJavaOptions");
  }

  // --- helpers -------------------------------------------------------------------------------

  /**
   * spark-submit --deploy-mode cluster, waiting for the driver; with or without Spark's
   * --add-opens for it. The S3 settings come as --conf: the driver needs them to read the
   * config itself from S3.
   */
  private static List<String> clusterMode(boolean driverOpens) {
    List<String> args = new ArrayList<>(List.of("--master", CLUSTER.masterUrl(), "--deploy-mode", "cluster",
        "--conf", "spark.standalone.submit.waitAppCompletion=true", "--conf", "spark.driver.memory=1g",
        "--conf", "spark.driver.host=127.0.0.1"));
    args.addAll(S3.sparkSubmitConf());
    if (driverOpens) {
      args.addAll(List.of("--conf", "spark.driver.extraJavaOptions=" + SparkSubmitProcess.addOpens()));
    }
    return args;
  }

  private static List<String> driverStderrs() throws Exception {
    List<String> found = new ArrayList<>();
    for (int worker = 0; worker < 2; worker++) {
      try (Stream<Path> files = Files.walk(CLUSTER.workDir(worker))) {
        for (Path file : files.filter(f -> f.getFileName().toString().equals("stderr")
            && f.getParent().getFileName().toString().startsWith("driver-")).toList()) {
          found.add(Files.readString(file));
        }
      }
    }
    return found;
  }

  /** The report the driver wrote to S3; when there is none, the test fails showing the drivers' stderr. */
  private static JsonNode readReport(String key, CliRun submitted) throws Exception {
    try (S3Client s3 = S3.client()) {
      return JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(S3MockServer.BUCKET).key(key)).asUtf8String());
    } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
      throw new AssertionError("No report at " + key + "; spark-submit: " + submitted + "\ndrivers' stderr:\n"
          + String.join("\n---\n", driverStderrs()), e);
    }
  }

  private static Set<String> completedApps() throws Exception {
    Set<String> ids = new TreeSet<>();
    CLUSTER.master().path("completedapps").forEach(a -> ids.add(a.path("id").asText()));
    return ids;
  }

  /** Spark's counts, checksums and rows per date of the reads, through spark-submit's sql on local[2]. */
  private static Map<String, JsonNode> sparkReads(List<Read> reads) throws Exception {
    List<String> summaries = new ArrayList<>();
    List<String> dates = new ArrayList<>();
    for (Read read : reads) {
      summaries.add(read.sparkSummary("lake"));
      if (read.dateColumn() != null) {
        dates.add(read.sparkByDate("lake"));
      }
    }
    List<String> statements = new ArrayList<>(List.of(String.join(" UNION ALL ", summaries)));
    if (!dates.isEmpty()) {
      statements.add(String.join(" UNION ALL ", dates));
    }
    List<String> app = new ArrayList<>(List.of("sql"));
    app.addAll(statements);
    app.addAll(List.of("--config", clusterConfig.toString()));
    CliRun sql = expect(0, SparkSubmitProcess.run(SparkSubmitProcess.LOCAL, app));
    Map<String, Map<String, Object>> results = new TreeMap<>();
    for (String line : sql.stdout().split("\n")) {
      if (!line.startsWith("{\"id\"")) {
        continue;
      }
      JsonNode row = JSON.readTree(line);
      Map<String, Object> result = results.computeIfAbsent(row.get("id").asText(), id -> new LinkedHashMap<>());
      if (row.has("checksum")) {
        result.put("rows", row.get("rows").asLong());
        result.put("checksum", row.get("checksum").asLong());
      } else {
        @SuppressWarnings("unchecked")
        Map<String, Object> byDate = (Map<String, Object>) result.computeIfAbsent("by_date", k -> new TreeMap<>());
        byDate.put(row.get("day").asText(), row.get("n").asLong());
      }
    }
    Map<String, JsonNode> nodes = new TreeMap<>();
    for (Map.Entry<String, Map<String, Object>> result : results.entrySet()) {
      nodes.put(result.getKey(), JSON.readTree(JSON.writeValueAsString(result.getValue())));
    }
    return nodes;
  }

  /** PyIceberg's (readers/pyiceberg, from PyPI) of the same reads, on the same catalog and bucket. */
  private static Map<String, JsonNode> pyIcebergReads(List<Read> reads) throws Exception {
    Map<String, Object> catalog = new LinkedHashMap<>();
    catalog.put("name", "lake");
    catalog.put("uri", databaseUrl.replace("jdbc:postgresql://", "postgresql+psycopg2://" + PostgresLakehouse.user()
        + ":" + PostgresLakehouse.password() + "@"));
    catalog.put("warehouse", "s3a://" + S3MockServer.BUCKET + "/warehouse");
    catalog.put("s3.endpoint", S3.endpoint());
    catalog.put("s3.region", "us-east-1");
    catalog.put("s3.access-key-id", "anonymous");
    catalog.put("s3.secret-access-key", "anonymous");
    return PyIcebergReads.read(catalog, reads);
  }
}
