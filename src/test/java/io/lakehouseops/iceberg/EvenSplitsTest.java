package io.lakehouseops.iceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.testing.TestLakehouse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/**
 * A few small files read as one task a core, equal in files, where Iceberg's packing made an
 * odd task out; files Iceberg splits itself (large) or fewer files than cores keep its packing.
 */
class EvenSplitsTest {
  @Test
  void twelveSmallFilesReadAsTwoTasksOfSixOnTwoCores() throws Exception {
    SparkSession spark = TestLakehouse.spark();
    TableRef ref = new TableRef("lake", "ops", "even_splits_test");
    spark.sql("DROP TABLE IF EXISTS " + ref.name());
    // Twelve files, one a month, as a year of lineitem is written by ship month.
    spark.range(0, 12_000).withColumn("month", functions.col("id").mod(12))
        .repartition(12, functions.col("month")).writeTo(ref.name()).partitionedBy(functions.col("month")).create();
    Table table = Tables.load(spark, ref);
    List<DataFile> files = new ArrayList<>();
    table.currentSnapshot().addedDataFiles(table.io()).forEach(files::add);
    assertEquals(12, files.size());

    Map<String, String> options = EvenSplits.of(files, 2);

    assertEquals(2, spark.read().format("iceberg").options(options).load(ref.name()).rdd().getNumPartitions());
    assertEquals(12_000, spark.read().format("iceberg").options(options).load(ref.name()).count());
    // Twelve files on five cores: three a task, four tasks (none left to a second wave alone).
    assertEquals(4, spark.read().format("iceberg").options(EvenSplits.of(files, 5)).load(ref.name()).rdd()
        .getNumPartitions());
  }

  @Test
  void largeFilesAndFewFilesKeepIcebergsPacking() {
    assertEquals(Map.of(), EvenSplits.of(List.of(file(1), file(2)), 2));
    assertEquals(Map.of(), EvenSplits.of(List.of(file(1), file(2), file(EvenSplits.MAX_FILE_BYTES)), 2));
    assertEquals(Map.of("file-open-cost", "300", "split-size", "600"),
        EvenSplits.of(List.of(file(100), file(300), file(200)), 2));
  }

  private static DataFile file(long bytes) {
    return DataFiles.builder(PartitionSpec.unpartitioned()).withPath("/data/" + bytes + ".parquet")
        .withFileSizeInBytes(bytes).withRecordCount(1).build();
  }
}
