package io.lakehouseops.compact;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.lakehouseops.sample.CdcSettings;
import io.lakehouseops.sample.CdcTableWriter;
import io.lakehouseops.testing.ChildJob;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.PostgresLakehouse;
import io.lakehouseops.testing.PyIcebergReads;
import io.lakehouseops.testing.SparkSubmitProcess;
import io.lakehouseops.testing.TestLakehouse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * A CDC table on the server-backed catalog: compaction (its own spark-submit JVM, held between
 * two group commits) while the streaming writer commits more updates and deletes; afterwards
 * the table holds exactly what it held right after that commit. Then, its equality deletes all
 * applied, PyIceberg (which reads no equality deletes) reads the same rows as Spark; and again
 * once later ones are converted to position deletes.
 */
class CdcCompactionIT {
  private static final String TABLE = PostgresLakehouse.CATALOG + ".cdc.orders_race";
  private static final CdcSettings SAMPLE = new CdcSettings(4000, 40, 0.2, 0.02, 30, 2, 7);

  @Test
  void aStreamingCommitDuringCompactionIsKeptAndAnIndependentReaderAgreesAfterwards() throws Exception {
    Path config = PostgresLakehouse.configFile();
    SparkSession spark = TestLakehouse.spark();
    CliRun sample = CliRun.of("sample-data", "--cdc", "--table", "cdc.orders_race", "--rows", "4000", "--commits",
        "40", "--seed", "7", "--config", config.toString());
    assertThat(sample.exitCode()).as(sample.toString()).isZero();

    List<String> maintenance = List.of("compact", "--table", "cdc.orders_race", "--rewrite-deletes", "--config",
        config.toString());
    List<String> compact = new java.util.ArrayList<>(maintenance);
    compact.add("--partial-progress"); // each file group its own commit: the job can be held between two
    ChildJob compaction = ChildJob.start("compact.between-group-commits", 1, SparkSubmitProcess.LOCAL, compact);
    compaction.awaitPaused();
    // The streaming writer goes on: 200 new keys, new versions of 100 keys, 50 keys deleted.
    Table table = Spark3Util.loadIcebergTable(spark, TABLE);
    CdcTableWriter.commit(table, SAMPLE, 40, 4000, 4200, range(0, 100), range(1000, 1050), new Random(11));
    table.refresh();
    long streamed = table.currentSnapshot().snapshotId();
    String atStreamingCommit = checksum(spark, TABLE + " VERSION AS OF " + streamed);
    CliRun compacted = compaction.release().finish();

    if (compacted.exitCode() != 0) { // a group that conflicted: reported, and a re-run finishes
      assertThat(compacted.report().get("message").asText()).as(compacted.toString()).contains("rerun compact");
    }
    assertThat(checksum(spark, TABLE)).as("every change of the concurrent commit is kept").isEqualTo(atStreamingCommit);
    assertThat(spark.sql("SELECT count(*) FROM " + TABLE + " WHERE id >= 4000").first().getLong(0)).isEqualTo(200);
    assertThat(spark.sql("SELECT count(*) FROM " + TABLE + " WHERE id BETWEEN 1000 AND 1049").first().getLong(0))
        .isZero();

    // Once more, as the next maintenance run would: what the concurrent commit added is applied too.
    CliRun again = CliRun.of(maintenance.toArray(String[]::new));
    assertThat(again.exitCode()).as(again.toString()).isZero();
    JsonNode deletes = CliRun.of("health", "--table", "cdc.orders_race", "--config", config.toString()).report()
        .at("/result/tables/0/deletes");
    assertThat(deletes.get("equality_delete_files").asLong()).isZero();
    assertThat(checksum(spark, TABLE)).isEqualTo(atStreamingCommit);

    PyIcebergReads.Read read = new PyIcebergReads.Read("orders", "cdc.orders_race",
        "id:long,status:string,created_at:timestamp", null, "created_at");
    Map<String, JsonNode> pyiceberg = PyIcebergReads.read(catalog(config), List.of(read));
    Row spark1 = spark.sql(read.sparkSummary(PostgresLakehouse.CATALOG)).first();
    assertThat(pyiceberg.get("orders").get("rows").asLong()).isEqualTo(spark1.getLong(1));
    assertThat(pyiceberg.get("orders").get("checksum").asLong()).as("PyIceberg reads what Spark reads")
        .isEqualTo(spark1.getLong(2));

    // The writer goes on; this time its equality deletes become position deletes, which
    // PyIceberg applies too (by position: no key join).
    table.refresh();
    CdcTableWriter.commit(table, SAMPLE, 41, 4200, 4300, range(2000, 2100), range(3000, 3020), new Random(12));
    CliRun converted = CliRun.of("compact", "--table", "cdc.orders_race", "--rewrite-deletes", "--equality-deletes",
        "convert", "--config", config.toString());
    assertThat(converted.exitCode()).as(converted.toString()).isZero();
    assertThat(converted.report().at("/result/equality_deletes/equality_delete_files_converted").asLong())
        .isPositive();
    Map<String, JsonNode> afterConversion = PyIcebergReads.read(catalog(config), List.of(read));
    Row spark2 = spark.sql(read.sparkSummary(PostgresLakehouse.CATALOG)).first();
    assertThat(afterConversion.get("orders").get("rows").asLong()).isEqualTo(spark2.getLong(1));
    assertThat(afterConversion.get("orders").get("checksum").asLong()).as("PyIceberg applies the position deletes")
        .isEqualTo(spark2.getLong(2));
  }

  private static List<Long> range(long from, long to) {
    return java.util.stream.LongStream.range(from, to).boxed().toList();
  }

  private static String checksum(SparkSession spark, String from) {
    Row row = spark.sql("SELECT count(*), count(DISTINCT id), sum(hash(id, status, amount, updated_at)) FROM " + from)
        .first();
    return row.get(0) + " rows, " + row.get(1) + " keys, " + row.get(2);
  }

  /** PyIceberg's SqlCatalog on the same PostgreSQL database and warehouse. */
  private static Map<String, Object> catalog(Path config) {
    com.typesafe.config.Config c = ConfigFactory.parseFile(config.toFile()).resolve();
    Map<String, Object> catalog = new LinkedHashMap<>();
    catalog.put("name", PostgresLakehouse.CATALOG);
    catalog.put("uri", c.getString("lakehouse.catalog.uri").replace("jdbc:postgresql://", "postgresql+psycopg2://"
        + PostgresLakehouse.user() + ":" + PostgresLakehouse.password() + "@"));
    catalog.put("warehouse", "file://" + c.getString("lakehouse.catalog.warehouse"));
    return catalog;
  }
}
