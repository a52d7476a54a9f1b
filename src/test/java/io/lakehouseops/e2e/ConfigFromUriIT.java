package io.lakehouseops.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.S3MockServer;
import io.lakehouseops.testing.SparkSubmitProcess;
import io.lakehouseops.testing.TempTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * --config reaches a client-mode driver started from an empty working directory, where
 * spark-submit --files does not put anything: as an absolute path, and as an s3a:// URI on a
 * real S3-compatible server (S3Mock on loopback), read before Spark starts with the
 * spark.hadoop.fs.s3a.* settings spark-submit hands the driver. The dataset's contract is
 * named relative in the config and found next to it, on S3 too.
 */
class ConfigFromUriIT {
  @RegisterExtension static final S3MockServer S3 = new S3MockServer();
  private static Path lake;
  private static String hocon;

  @BeforeAll
  static void lakeAndConfig() throws Exception {
    lake = TempTrees.create("config-uri");
    hocon = """
        lakehouse {
          catalog {
            name = "lake", type = "jdbc"
            uri = "jdbc:sqlite:%1$s/catalog.db?journal_mode=WAL", warehouse = "%1$s/warehouse"
          }
          zones.raw = "%1$s/raw"
          spark.conf { spark.sql.shuffle.partitions = 2, spark.ui.enabled = false }
          datasets.user_events {
            contract = "user_events.avsc"
            table = "curated.user_events"
            keys = ["event_id"]
            event-time = "event_ts"
            partition-by = ["days(event_ts)"]
            dedupe-order = ["ingested_at asc"]
          }
        }
        """.formatted(lake);
    Path contract = Paths.get("conf/schemas/user_events.avsc");
    Files.createDirectories(lake.resolve("conf"));
    Files.writeString(lake.resolve("conf/application.conf"), hocon);
    Files.copy(contract, lake.resolve("conf/user_events.avsc"));
    try (S3Client s3 = S3.client()) {
      s3.putObject(b -> b.bucket(S3MockServer.BUCKET).key("conf/application.conf"), RequestBody.fromString(hocon));
      s3.putObject(b -> b.bucket(S3MockServer.BUCKET).key("conf/user_events.avsc"), RequestBody.fromFile(contract));
    }
  }

  /** spark-submit's own options: the local cluster and how the driver reaches the S3 server. */
  private static List<String> sparkArgs() {
    List<String> args = new ArrayList<>(SparkSubmitProcess.LOCAL);
    args.addAll(S3.sparkSubmitConf());
    return args;
  }

  /** A client-mode spark-submit from an empty directory of its own. */
  private static CliRun submitFromEmptyDirectory(String... appArgs) throws Exception {
    ProcessBuilder builder = SparkSubmitProcess.builder(sparkArgs(), List.of(appArgs));
    builder.directory(TempTrees.create("empty-cwd").toFile());
    return SparkSubmitProcess.run(builder);
  }

  @Test
  void aConfigOnS3AndItsContractBesideItReachTheDriver() throws Exception {
    String config = "s3a://" + S3MockServer.BUCKET + "/conf/application.conf";
    CliRun sample = submitFromEmptyDirectory("sample-data", "--dataset", "user_events",
        "--start", "2024-03-01", "--days", "1", "--rows-per-day", "200", "--config", config);
    assertThat(sample.exitCode()).as(sample.toString()).isZero();

    CliRun promote = submitFromEmptyDirectory("promote", "--dataset", "user_events", "--date", "2024-03-01",
        "--config", config);

    assertThat(promote.exitCode()).as(promote.toString()).isZero();
    assertThat(promote.report().get("result").get("rows_inserted").asLong()).isEqualTo(200);
    assertThat(promote.report().at("/settings/lakehouse/datasets/user_events/contract").asText())
        .isEqualTo("s3a://" + S3MockServer.BUCKET + "/conf/user_events.avsc");
  }

  @Test
  void anAbsoluteLocalConfigWorksFromAnyDirectory() throws Exception {
    CliRun sql = submitFromEmptyDirectory("sql", "SHOW NAMESPACES IN lake",
        "--config", lake.resolve("conf/application.conf").toString());

    assertThat(sql.exitCode()).as(sql.toString()).isZero();
    assertThat(sql.report().at("/settings/lakehouse/datasets/user_events/contract").asText())
        .isEqualTo(lake.resolve("conf/user_events.avsc").toString());
  }

  @Test
  void aMissingConfigOnS3IsAUsageErrorNamingIt() throws Exception {
    String missing = "s3a://" + S3MockServer.BUCKET + "/conf/nope.conf";
    CliRun run = submitFromEmptyDirectory("health", "--all", "--config", missing);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.stderr()).contains("lakehouse-ops health: Cannot read config file " + missing
        + ": no such file (check --config)");
  }
}
