package io.lakehouseops.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.TestLakehouse;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * sample-data --cdc writes a table the way a streaming upsert writer does: one row delta per
 * commit, with equality-delete files on the key, and a reader sees each key once, in its
 * latest version, the deleted ones not at all.
 */
class CdcSampleTableTest {
  @Test
  void aCdcTableHoldsEqualityDeletesAndEachLiveKeyOnce() {
    SparkSession spark = TestLakehouse.spark();
    spark.sql("DROP TABLE IF EXISTS lake.cdc.orders_sample");

    CliRun run = CliRun.withTestConfig("sample-data", "--cdc", "--table", "cdc.orders_sample", "--rows", "3000",
        "--commits", "25");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode result = run.report().get("result");
    assertThat(result.get("commits").asInt()).isEqualTo(25);
    assertThat(result.get("rows_inserted").asLong()).isEqualTo(3000);
    assertThat(result.get("rows_updated").asLong()).isEqualTo(600);
    assertThat(result.get("rows_deleted").asLong()).isEqualTo(60);
    assertThat(result.get("equality_delete_rows").asLong()).isEqualTo(660);
    long live = result.get("live_rows").asLong();
    assertThat(live).isEqualTo(3000 - 60);
    Row read = spark.sql("SELECT count(*), count(DISTINCT id) FROM lake.cdc.orders_sample").first();
    assertThat(read.getLong(0)).as("the equality deletes applied: one row per live key").isEqualTo(live);
    assertThat(read.getLong(1)).isEqualTo(live);
    assertThat(spark.sql("SELECT count(*) FROM lake.cdc.orders_sample.delete_files WHERE content = 2").first()
        .getLong(0)).isEqualTo(result.get("equality_delete_files").asLong()).isPositive();
    assertThat(spark.sql("SELECT count(*) FROM lake.cdc.orders_sample.snapshots").first().getLong(0))
        .as("one commit each").isEqualTo(25);
    assertThat(spark.sql("SELECT count(*) FROM lake.cdc.orders_sample.snapshots WHERE operation = 'overwrite'")
        .first().getLong(0)).as("a row delta with deletes, after the first, inserts-only, commit").isEqualTo(24);
    assertThat(spark.sql("SELECT count(*) FROM lake.cdc.orders_sample WHERE status <> 'new'").first().getLong(0))
        .as("updated keys show their new version").isPositive();

    CliRun again = CliRun.withTestConfig("sample-data", "--cdc", "--table", "cdc.orders_sample");
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.stderr()).contains("lake.cdc.orders_sample: the table exists; drop it");
  }

  @Test
  void healthMeasuresTheDeletesAndItsCompactionAppliesThemKeepingEveryLiveRow() {
    SparkSession spark = TestLakehouse.spark();
    spark.sql("DROP TABLE IF EXISTS lake.cdc.orders_health");
    JsonNode written = CliRun.withTestConfig("sample-data", "--cdc", "--table", "cdc.orders_health", "--rows", "2000",
        "--commits", "20").report().get("result");
    String before = checksum(spark);

    CliRun health = CliRun.withTestConfig("health", "--table", "cdc.orders_health");

    assertThat(health.exitCode()).as(health.toString()).isZero();
    JsonNode deletes = health.report().at("/result/tables/0/deletes");
    assertThat(deletes.get("equality_delete_files").asLong()).isEqualTo(written.get("equality_delete_files").asLong());
    assertThat(deletes.get("equality_delete_rows").asLong()).isEqualTo(written.get("equality_delete_rows").asLong());
    assertThat(deletes.get("dangling_delete_files").asLong()).isZero();
    assertThat(deletes.get("read_amplification").asDouble()).isGreaterThan(1.5);
    assertThat(deletes.get("partitions").get(0).get("delete_ratio").asDouble())
        .isGreaterThanOrEqualTo(deletes.get("partitions").get(1).get("delete_ratio").asDouble());
    JsonNode recommended = null;
    for (JsonNode r : health.report().at("/result/tables/0/recommendations")) {
      recommended = r.get("action").asText().equals("rewrite-deletes") ? r : recommended;
    }
    assertThat(recommended).as(health.report().toString()).isNotNull();
    assertThat(recommended.get("command").asText())
        .isEqualTo("lakehouse-ops compact --table lake.cdc.orders_health --rewrite-deletes");

    // What the maintenance DAG runs when health recommends rewrite-deletes: no CDC-specific option.
    CliRun compact = CliRun.withTestConfig("compact", "--table", "cdc.orders_health", "--rewrite-deletes");

    assertThat(compact.exitCode()).as(compact.toString()).isZero();
    assertThat(checksum(spark)).as("every live row, as it was").isEqualTo(before);
    assertThat(compact.report().at("/result/delete_files_removed").asLong()).as("counted from the commits")
        .isEqualTo(written.get("equality_delete_files").asLong());
    JsonNode after = CliRun.withTestConfig("health", "--table", "cdc.orders_health").report()
        .at("/result/tables/0/deletes");
    assertThat(after.get("equality_delete_files").asLong()).as("applied, and removed once dangling").isZero();
    assertThat(after.get("read_amplification").asDouble()).isEqualTo(1.0);
  }

  @Test
  void aVersion3TableAlsoHoldsDeletionVectorsOfKeysChangedTwiceInACommit() {
    SparkSession spark = TestLakehouse.spark();
    spark.sql("DROP TABLE IF EXISTS lake.cdc.orders_v3");

    CliRun run = CliRun.withTestConfig("sample-data", "--cdc", "--table", "cdc.orders_v3", "--rows", "2000",
        "--commits", "10", "--format-version", "3");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode result = run.report().get("result");
    assertThat(result.get("rows_replaced_in_commit").asLong()).as("one in 20 new keys").isEqualTo(100);
    Row vectors = spark.sql("SELECT count(*), sum(record_count), count(DISTINCT referenced_data_file) FROM "
        + "lake.cdc.orders_v3.delete_files WHERE content = 1 AND file_format = 'PUFFIN'").first();
    assertThat(vectors.getLong(0)).isEqualTo(result.get("deletion_vectors").asLong()).isPositive();
    assertThat(vectors.getLong(1)).as("one position per replaced first version").isEqualTo(100);
    assertThat(vectors.getLong(2)).as("one vector per data file").isEqualTo(vectors.getLong(0));
    long live = result.get("live_rows").asLong();
    Row read = spark.sql("SELECT count(*), count(DISTINCT id) FROM lake.cdc.orders_v3").first();
    assertThat(read.getLong(0)).as("each key once: the first versions deleted by position").isEqualTo(live);
    assertThat(read.getLong(1)).isEqualTo(live);
    assertThat(spark.sql("SELECT count(*) FROM lake.cdc.orders_v3 WHERE id % 20 = 0 AND status = 'new'").first()
        .getLong(0)).as("the replaced keys show their second version").isZero();
  }

  @Test
  void healthReadsTheDeletesOfAnUnpartitionedTable() {
    SparkSession spark = TestLakehouse.spark();
    spark.sql("DROP TABLE IF EXISTS lake.cdc.flat_deletes");
    spark.sql("CREATE TABLE lake.cdc.flat_deletes (id BIGINT, v STRING) USING iceberg TBLPROPERTIES "
        + "('format-version' = '2', 'write.delete.mode' = 'merge-on-read')");
    spark.sql("INSERT INTO lake.cdc.flat_deletes SELECT id, CAST(id AS STRING) FROM range(100)");
    spark.sql("DELETE FROM lake.cdc.flat_deletes WHERE id < 10");

    CliRun health = CliRun.withTestConfig("health", "--table", "cdc.flat_deletes");

    assertThat(health.exitCode()).as(health.toString()).isZero();
    JsonNode deletes = health.report().at("/result/tables/0/deletes");
    assertThat(deletes.get("position_delete_files").asLong()).isEqualTo(1);
    assertThat(deletes.get("position_delete_rows").asLong()).isEqualTo(10);
    assertThat(deletes.get("equality_delete_files").asLong()).isZero();
    assertThat(deletes.at("/partitions/0/delete_ratio").asDouble()).isEqualTo(0.1);
  }

  private static String checksum(SparkSession spark) {
    Row row = spark.sql("SELECT count(*), count(DISTINCT id), sum(hash(id, status, amount)) FROM "
        + "lake.cdc.orders_health").first();
    return row.get(0) + "/" + row.get(1) + "/" + row.get(2);
  }
}
