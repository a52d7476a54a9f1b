package io.lakehouseops.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.TestLakehouse;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * health's delete counts, worked out from its one pass over the manifests, against the same
 * counts from Iceberg's `entries` metadata table through Spark SQL (an independent reader of
 * the same manifests): equality deletes of a CDC table, and position deletes left dangling by a
 * rewrite that applied them.
 */
class DeleteHealthReaderTest {
  private static final String ORACLE = """
      WITH e AS (SELECT to_json(data_file.partition) AS p, data_file.content AS c, sequence_number AS seq,
                        data_file.record_count AS r FROM %1$s.entries WHERE status < 2),
           d AS (SELECT p, min(seq) AS min_seq FROM e WHERE c = 0 GROUP BY p)
      SELECT sum(if(c = 2, 1, 0)), sum(if(c = 2, r, 0)), sum(if(c = 1, 1, 0)), sum(if(c = 1, r, 0)),
             sum(if(d.p IS NULL OR (c = 2 AND seq <= min_seq) OR (c = 1 AND seq < min_seq), 1, 0)),
             count(DISTINCT e.p)
      FROM e LEFT JOIN d ON e.p = d.p WHERE c <> 0""";

  private static JsonNode deletes(String table) {
    CliRun health = CliRun.withTestConfig("health", "--table", table);
    assertThat(health.exitCode()).as(health.toString()).isZero();
    return health.report().at("/result/tables/0/deletes");
  }

  private static void assertSameAsEntries(String table, JsonNode deletes) {
    Row expected = TestLakehouse.spark().sql(ORACLE.formatted("lake." + table)).first();
    assertThat(deletes.get("equality_delete_files").asLong()).isEqualTo(expected.getLong(0));
    assertThat(deletes.get("equality_delete_rows").asLong()).isEqualTo(expected.getLong(1));
    assertThat(deletes.get("position_delete_files").asLong()).isEqualTo(expected.getLong(2));
    assertThat(deletes.get("position_delete_rows").asLong()).isEqualTo(expected.getLong(3));
    assertThat(deletes.get("dangling_delete_files").asLong()).isEqualTo(expected.getLong(4));
    assertThat(deletes.get("partitions_with_deletes").asLong()).isEqualTo(expected.getLong(5));
  }

  @Test
  void equalityDeletesOfACdcTableAsTheEntriesTableCountsThem() {
    SparkSession spark = TestLakehouse.spark();
    spark.sql("DROP TABLE IF EXISTS lake.cdc.orders_deletes");
    assertThat(CliRun.withTestConfig("sample-data", "--cdc", "--table", "cdc.orders_deletes", "--rows", "1000",
        "--commits", "8").exitCode()).isZero();

    JsonNode deletes = deletes("cdc.orders_deletes");

    assertThat(deletes.get("equality_delete_files").asLong()).isPositive();
    assertSameAsEntries("cdc.orders_deletes", deletes);
  }

  @Test
  void positionDeletesARewriteAppliedAreDangling() throws Exception {
    SparkSession spark = TestLakehouse.spark();
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.cdc");
    spark.sql("DROP TABLE IF EXISTS lake.cdc.dangling_deletes");
    spark.sql("CREATE TABLE lake.cdc.dangling_deletes (id BIGINT, day DATE) USING iceberg PARTITIONED BY (day) "
        + "TBLPROPERTIES ('format-version' = '2', 'write.delete.mode' = 'merge-on-read')");
    spark.sql("INSERT INTO lake.cdc.dangling_deletes SELECT id, date_add(DATE'2024-01-01', CAST(id % 3 AS INT)) "
        + "FROM range(300)");
    spark.sql("DELETE FROM lake.cdc.dangling_deletes WHERE id % 10 = 0");
    JsonNode applying = deletes("cdc.dangling_deletes");
    assertThat(applying.get("position_delete_rows").asLong()).isEqualTo(30);
    assertThat(applying.get("dangling_delete_files").asLong()).isZero();
    assertSameAsEntries("cdc.dangling_deletes", applying);

    // Rewriting two of the three days applies their deletes; Iceberg keeps the delete files. At
    // a new sequence number (by default a rewrite keeps the one it started from, so the deletes
    // would still count as applying to the rewritten files).
    SparkActions.get(spark).rewriteDataFiles(org.apache.iceberg.spark.Spark3Util.loadIcebergTable(spark,
            "lake.cdc.dangling_deletes"))
        .filter(org.apache.iceberg.expressions.Expressions.lessThan("day", "2024-01-03"))
        .option("rewrite-all", "true").option("use-starting-sequence-number", "false").execute();

    JsonNode dangling = deletes("cdc.dangling_deletes");
    assertThat(dangling.get("dangling_delete_files").asLong()).isEqualTo(2);
    assertSameAsEntries("cdc.dangling_deletes", dangling);
  }
}
