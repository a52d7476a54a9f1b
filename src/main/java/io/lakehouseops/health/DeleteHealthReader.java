package io.lakehouseops.health;

import io.lakehouseops.config.TableRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a table's deletes from its `entries` metadata table (the live entries of the current
 * snapshot's manifests: no data or delete file is opened). Whether a delete applies follows
 * the sequence numbers: an equality delete applies to data files of its partition with a
 * lower data sequence number, a position delete to those with a lower or equal one; a delete
 * file with no such data file left is dangling.
 */
final class DeleteHealthReader {
  private static final int DATA = 0;
  private static final int POSITION = 1;
  private static final int EQUALITY = 2;
  private static final int LISTED = 10;
  private final SparkSession spark;

  DeleteHealthReader(SparkSession spark) {
    this.spark = spark;
  }

  DeleteHealth measure(TableRef ref) {
    Dataset<Row> all = spark.table(ref.name() + ".entries");
    // An unpartitioned table's data_file has no partition field: the whole table is one partition.
    boolean partitioned = List.of(((StructType) all.schema().apply("data_file").dataType()).fieldNames())
        .contains("partition");
    Dataset<Row> entries = all.filter("status < 2")
        .select((partitioned ? functions.to_json(functions.col("data_file.partition")) : functions.lit("{}")).as("p"),
            functions.col("data_file.content").as("content"), functions.col("sequence_number").as("seq"),
            functions.col("data_file.record_count").as("records"));
    Dataset<Row> data = entries.filter(functions.col("content").equalTo(DATA)).groupBy("p")
        .agg(functions.count("*").as("data_files"), functions.sum("records").as("data_rows"),
            functions.min("seq").as("min_seq"));
    Column content = functions.col("content");
    Column dangling = functions.when(functions.col("data_files").isNull(), true)
        .when(content.equalTo(EQUALITY), functions.col("seq").leq(functions.col("min_seq")))
        .otherwise(functions.col("seq").lt(functions.col("min_seq")));
    List<Row> rows = entries.filter(content.notEqual(DATA)).join(data, "p", "left")
        .groupBy("p").agg(
            functions.first("data_files").as("data_files"), functions.first("data_rows").as("data_rows"),
            sum(content.equalTo(EQUALITY), functions.lit(1L)), sum(content.equalTo(EQUALITY), functions.col("records")),
            sum(content.equalTo(POSITION), functions.lit(1L)), sum(content.equalTo(POSITION), functions.col("records")),
            sum(dangling, functions.lit(1L)))
        .collectAsList();
    Row totals = data.agg(functions.coalesce(functions.sum("data_rows"), functions.lit(0L))).first();
    return summarize(rows, totals.getLong(0));
  }

  private static Column sum(Column when, Column value) {
    return functions.coalesce(functions.sum(functions.when(when, value).otherwise(0L)), functions.lit(0L));
  }

  private static DeleteHealth summarize(List<Row> rows, long dataRows) {
    List<DeleteHealth.PartitionDeletes> partitions = new ArrayList<>();
    long eqFiles = 0;
    long eqRows = 0;
    long posFiles = 0;
    long posRows = 0;
    long dangling = 0;
    double rowsRead = dataRows;
    for (Row row : rows) {
      long files = row.isNullAt(1) ? 0 : row.getLong(1);
      long rowsOfData = row.isNullAt(2) ? 0 : row.getLong(2);
      DeleteHealth.PartitionDeletes partition = new DeleteHealth.PartitionDeletes(row.getString(0), files, rowsOfData,
          row.getLong(3), row.getLong(4), row.getLong(5), row.getLong(6), row.getLong(7),
          rowsOfData == 0 ? 1.0 : round((double) (row.getLong(4) + row.getLong(6)) / rowsOfData));
      partitions.add(partition);
      eqFiles += partition.equalityDeleteFiles();
      eqRows += partition.equalityDeleteRows();
      posFiles += partition.positionDeleteFiles();
      posRows += partition.positionDeleteRows();
      dangling += partition.danglingDeleteFiles();
      // Each data task of the partition reads its equality deletes (Spark plans one per file).
      rowsRead += (double) partition.equalityDeleteRows() * Math.max(1, files) + partition.positionDeleteRows();
    }
    partitions.sort(Comparator.comparingDouble(DeleteHealth.PartitionDeletes::deleteRatio).reversed());
    long live = Math.max(1, dataRows - eqRows - posRows);
    return new DeleteHealth(eqFiles, eqRows, posFiles, posRows, dangling, partitions.size(),
        rows.isEmpty() ? 1.0 : round(rowsRead / live), List.copyOf(partitions.subList(0, Math.min(LISTED,
            partitions.size()))));
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
