package io.lakehouseops.bench;

import io.lakehouseops.cli.Main;
import io.lakehouseops.config.ConfigLoader;
import io.lakehouseops.config.LakehouseSettings;
import io.lakehouseops.iceberg.LakehouseSession;
import io.lakehouseops.testing.TestLakehouse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The benchmarks' lakehouse: a fresh SQLite-catalog warehouse under the work folder, the
 * generated lineitem raw zone, dataset `lineitem` with a 10-rule gate, and the one
 * SparkSession (local[2]) that both subjects and baselines run in.
 */
final class BenchLakehouse {
  /** The promote gate: ten rules a team would put on lineitem. */
  static final String TEN_RULES = """
      { rule = complete, column = l_orderkey }
      { rule = unique, columns = [l_orderkey, l_linenumber] }
      { rule = non-negative, column = l_quantity }
      { rule = non-negative, column = l_extendedprice }
      { rule = range, column = l_discount, min = 0, max = 0.1 }
      { rule = allowed-values, column = l_returnflag, values = [A, N, R] }
      { rule = allowed-values, column = l_linestatus, values = [F, O] }
      { rule = complete, column = l_shipdate }
      { rule = satisfies, expression = "l_receiptdate >= l_shipdate" }
      { rule = row-count, min = 1 }
      """;

  private final Path work;
  private final Path raw;
  private final Path config;
  private final SparkSession spark;

  /** s3Endpoint: the loopback S3 server P6 tiers on (its settings must be there before Iceberg's catalog starts). */
  BenchLakehouse(Path work, Path raw, Path contract, String s3Endpoint) throws IOException {
    this.work = work;
    this.raw = raw;
    Files.createDirectories(work);
    this.config = work.resolve("bench.conf");
    Files.writeString(config, """
        lakehouse {
          catalog { name = "lake", type = "jdbc", uri = "jdbc:sqlite:%1$s/catalog.db?journal_mode=WAL",
                    warehouse = "%1$s/warehouse" }
          spark {
            master = "local[2]"
            conf {
              spark.sql.shuffle.partitions = 4
              spark.ui.enabled = false
              spark.driver.host = "127.0.0.1"
              spark.driver.bindAddress = "127.0.0.1"
              # Counts the Iceberg metadata files opened (P8); otherwise Hadoop's own.
              spark.hadoop.fs.file.impl = "io.lakehouseops.bench.CountingLocalFileSystem"
              # Quoted: unquoted, "endpoint.region" would turn "endpoint" into an object.
              spark.hadoop.fs.s3a {
                endpoint = "%5$s"
                "path.style.access" = true
                "connection.ssl.enabled" = false
                "endpoint.region" = us-east-1
                "aws.credentials.provider" = "org.apache.hadoop.fs.s3a.AnonymousAWSCredentialsProvider"
              }
            }
          }
          zones.raw = "%2$s"
          datasets.lineitem {
            contract = "%3$s"
            keys = [l_orderkey, l_linenumber]
            event-time = l_shipdate
            partition-by = ["months(l_shipdate)"]
            quality.rules = [
            %4$s
            ]
          }
          # P5's dataset: the project's sample user_events (its contract and rules), generated
          # into the work folder. A correction source holds a few rows a day: no minimum count.
          datasets.user_events {
            contract = "%6$s"
            raw.path = "%1$s/raw/user_events"
            keys = [event_id]
            event-time = event_ts
            partition-by = ["days(event_ts)"]
            dedupe-order = ["ingested_at asc"]
            quality.rules = [
              %7$s
            ]
          }
          # P1-events' dataset: the same sample feed, whole days promoted as they arrive.
          datasets.events = ${lakehouse.datasets.user_events} { raw.path = "%1$s/raw/events" }
        }
        """.formatted(work, raw.getParent(), contract.toAbsolutePath(), TEN_RULES,
            s3Endpoint == null ? "http://127.0.0.1:9" : s3Endpoint,
            Path.of("conf/schemas/user_events.avsc").toAbsolutePath(), TestLakehouse.USER_EVENTS_RULES));
    LakehouseSettings settings = LakehouseSettings.from(ConfigLoader.load(config.toString(), List.of()));
    this.spark = LakehouseSession.getOrCreate(settings, "lakehouse-ops bench");
    spark.sparkContext().setLogLevel("WARN");
  }

  SparkSession spark() {
    return spark;
  }

  Path config() {
    return config;
  }

  Path work() {
    return work;
  }

  /** The raw partitions of lineitem, oldest first (dt=YYYY-01-01, one per ship year). */
  List<String> partitions() throws IOException {
    try (var list = Files.list(raw)) {
      return list.map(p -> p.getFileName().toString().replace("dt=", "")).sorted().toList();
    }
  }

  /**
   * The rows of every raw partition, from the Avro files' block headers: no record is decoded
   * (Spark's count of Avro decodes every row, about 10 s at medium).
   */
  long rawRowCount() throws IOException {
    long rows = 0;
    try (var files = Files.walk(raw)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".avro")).toList()) {
        try (var in = Files.newInputStream(file);
            var stream = new org.apache.avro.file.DataFileStream<>(in,
                new org.apache.avro.generic.GenericDatumReader<org.apache.avro.generic.GenericRecord>())) {
          while (stream.hasNext()) {
            rows += stream.getBlockCount();
            stream.nextBlock();
          }
        }
      }
    }
    return rows;
  }

  String rawPath(String date) {
    return raw.resolve("dt=" + date).toString();
  }

  Dataset<Row> rawPartition(String date) {
    return spark.read().format("avro").load(raw.resolve("dt=" + date).toString());
  }

  /** Every raw partition of lineitem, as a path Spark's Avro reader expands. */
  String rawGlob() {
    return raw.resolve("dt=*").toString();
  }

  /** An empty Iceberg table with lineitem's columns, by ship month, with the given TBLPROPERTIES. */
  void createEmptyLineitemTable(String table, String properties) {
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.bench");
    spark.sql("DROP TABLE IF EXISTS " + table);
    spark.sql("CREATE TABLE " + table + " USING iceberg PARTITIONED BY (months(l_shipdate)) "
        + (properties.isEmpty() ? "" : "TBLPROPERTIES (" + properties + ") ")
        + "AS SELECT * FROM avro.`" + rawGlob() + "` LIMIT 0");
  }

  /** Runs the command line in this JVM (joining the session); fails on a non-zero exit. */
  String cli(String... args) {
    return cli(config, args);
  }

  /** The command line with another config file (e.g. one including this one's). */
  String cli(Path config, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--config", config.toString()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    if (code != 0) {
      throw new IllegalStateException(String.join(" ", args) + " exited " + code + ": "
          + err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("lakehouse-ops"))
              .findFirst().orElse(""));
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
