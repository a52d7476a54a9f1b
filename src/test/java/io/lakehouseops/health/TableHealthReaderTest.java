package io.lakehouseops.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.opstables.TieringLog;
import io.lakehouseops.testing.TestLakehouse;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * health's totals, read from the manifests on the driver, are what Iceberg's metadata tables
 * say of the same table: files, bytes, records, partitions, small files, delete files,
 * manifests and snapshots, across a partition spec change and with a delete file.
 */
class TableHealthReaderTest {
  @Test
  void totalsEqualWhatTheMetadataTablesSay() {
    SparkSession spark = TestLakehouse.spark();
    TableRef ref = new TableRef("lake", "curated", "health_totals_test");
    String name = ref.name();
    spark.sql("DROP TABLE IF EXISTS " + name);
    spark.sql("CREATE TABLE " + name + " (id BIGINT, ts TIMESTAMP, note STRING) USING iceberg "
        + "PARTITIONED BY (days(ts)) TBLPROPERTIES ('format-version' = '2', 'write.delete.mode' = 'merge-on-read')");
    for (int day = 1; day <= 3; day++) {
      for (int batch = 0; batch < 3; batch++) {
        spark.sql("INSERT INTO " + name + " SELECT id, TIMESTAMP'2024-06-0" + day + " 10:00:00', repeat('x', id % 7) "
            + "FROM range(" + (batch * 100) + ", " + (batch * 100 + 50 + day) + ")");
      }
    }
    spark.sql("DELETE FROM " + name + " WHERE id = 3 AND ts = TIMESTAMP'2024-06-01 10:00:00'");
    spark.sql("ALTER TABLE " + name + " DROP PARTITION FIELD days(ts)");
    spark.sql("INSERT INTO " + name + " SELECT id, TIMESTAMP'2024-06-09 10:00:00', 'y' FROM range(0, 10)");

    TableHealth health = new TableHealthReader(spark, 0.75, 2,
        new TieringLog(spark, new TableRef("lake", "ops", "tiering_log_absent_test"))).measure(ref);

    Row files = spark.sql("SELECT count(*), sum(file_size_in_bytes), sum(record_count), "
        + "count(DISTINCT spec_id, partition) FROM " + name + ".data_files").first();
    assertEquals(files.getLong(0), health.dataFiles());
    assertEquals(files.getLong(1), health.dataBytes());
    assertEquals(files.getLong(2), health.records());
    assertEquals(files.getLong(3), health.partitions());
    assertEquals(health.dataFiles(), health.smallFiles(), "every file is far below the 512 MB target");
    // Small files in partitions holding at least two of them (min-input-files 2 here).
    assertEquals(spark.sql("SELECT sum(n) FROM (SELECT count(*) AS n FROM " + name + ".data_files "
        + "GROUP BY spec_id, partition) WHERE n >= 2").first().getLong(0), health.compactableSmallFiles());
    assertEquals(spark.table(name + ".delete_files").count(), health.deleteFiles());
    assertEquals(1, health.deleteFiles());
    assertEquals(spark.table(name + ".manifests").count(), health.manifests());
    assertEquals(spark.table(name + ".snapshots").count(), health.snapshots());
    assertEquals(Map.of("STANDARD", health.dataBytes()), health.bytesByStorageClass());
  }
}
