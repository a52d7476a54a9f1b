package io.lakehouseops.compact;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Builds tables the way streaming and hourly loads do: many small appends, each leaving small
 * files. Rows are (id, x, y, day, payload); x and y uniform in [0, 1000).
 */
final class SmallFilesTable {
  private SmallFilesTable() {}

  static TableRef create(SparkSession spark, String name, boolean partitioned, int appends,
      int filesPerAppend, int rowsPerAppend) {
    TableRef ref = new TableRef("lake", "compaction", name);
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.compaction");
    spark.sql("CREATE TABLE " + ref.quoted() + " (id BIGINT, x BIGINT, y BIGINT, ts TIMESTAMP, payload STRING) "
        + "USING iceberg " + (partitioned ? "PARTITIONED BY (days(ts)) " : "")
        + "TBLPROPERTIES ('format-version'='2', 'write.distribution-mode'='none', "
        + "'write.delete.mode'='merge-on-read', 'write.update.mode'='merge-on-read')");
    for (int i = 0; i < appends; i++) {
      append(spark, ref, i * (long) rowsPerAppend, rowsPerAppend, filesPerAppend);
    }
    return ref;
  }

  static void append(SparkSession spark, TableRef ref, long firstId, int rows, int files) {
    Dataset<Row> batch = spark.range(firstId, firstId + rows, 1, files)
        .withColumn("x", functions.pmod(functions.xxhash64(functions.col("id"), functions.lit(1)), functions.lit(1000)))
        .withColumn("y", functions.pmod(functions.xxhash64(functions.col("id"), functions.lit(2)), functions.lit(1000)))
        .withColumn("ts", functions.expr("timestamp_seconds(1704067200 + (id % 4) * 86400 + id % 3600)"))
        .withColumn("payload", functions.sha2(functions.col("id").cast("string"), 256));
    Tables.append(batch.select("id", "x", "y", "ts", "payload"), ref);
  }

  /** Row count and an order-independent checksum of every row. */
  static String checksum(SparkSession spark, TableRef ref) {
    Row row = spark.table(ref.name()).agg(functions.count("*"),
        functions.sum(functions.xxhash64(functions.col("id"), functions.col("x"), functions.col("y"),
            functions.col("ts"), functions.col("payload")).cast("decimal(38,0)"))).first();
    return row.get(0) + "/" + row.get(1);
  }

  static long dataFiles(SparkSession spark, TableRef ref) {
    return spark.table(ref.name() + ".data_files").count();
  }

  /** Files a scan with this filter would read (Iceberg's planning, using file statistics). */
  static long plannedFiles(SparkSession spark, TableRef ref, Expression filter) throws Exception {
    Table table = Tables.load(spark, ref);
    table.refresh();
    long n = 0;
    try (CloseableIterable<org.apache.iceberg.FileScanTask> tasks = table.newScan().filter(filter).planFiles()) {
      for (org.apache.iceberg.FileScanTask ignored : tasks) {
        n++;
      }
    }
    return n;
  }
}
