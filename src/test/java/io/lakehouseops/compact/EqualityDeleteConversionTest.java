package io.lakehouseops.compact;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakehouseops.sample.CdcSettings;
import io.lakehouseops.sample.CdcTableWriter;
import io.lakehouseops.testing.CliRun;
import io.lakehouseops.testing.TestLakehouse;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.apache.iceberg.Table;
import org.apache.iceberg.events.Listeners;
import org.apache.iceberg.events.ScanEvent;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * compact --rewrite-deletes converts equality deletes to position deletes (deletion vectors
 * on v3) where its rule, or --equality-deletes convert, says so: the equality-delete files
 * are gone, every read gives the same rows, and a streaming commit made while the
 * conversion runs keeps applying.
 */
class EqualityDeleteConversionTest {
  private static final AtomicBoolean STREAM_DURING_SCAN = new AtomicBoolean();
  private static volatile Runnable streamingCommit = () -> { };

  static {
    // Iceberg notifies listeners of every scan it plans: the converter's own plan is the moment
    // a concurrent streaming commit lands in the test below.
    Listeners.register(event -> {
      if (STREAM_DURING_SCAN.compareAndSet(true, false)) {
        streamingCommit.run();
      }
    }, ScanEvent.class);
  }

  @Test
  void convertReplacesEveryEqualityDeleteWithPositionDeletesAndReadsStayTheSame() {
    SparkSession spark = TestLakehouse.spark();
    String table = "lake.cdc.orders_convert";
    JsonNode written = sample("cdc.orders_convert", "2");
    String before = checksum(spark, table);

    CliRun compact = convert("cdc.orders_convert");

    assertThat(compact.exitCode()).as(compact.toString()).isZero();
    JsonNode equality = compact.report().at("/result/equality_deletes");
    assertThat(equality.get("mode").asText()).isEqualTo("CONVERT");
    assertThat(equality.get("equality_delete_files_converted").asLong())
        .isEqualTo(written.get("equality_delete_files").asLong());
    assertThat(equality.get("deletion_vectors").asBoolean()).isFalse();
    assertThat(equality.get("partitions_rewritten").asLong()).isZero();
    assertThat(compact.report().get("message").asText()).contains("equality-delete files converted to");
    assertThat(checksum(spark, table)).as("every live row, as it was").isEqualTo(before);
    Row deletes = spark.sql("SELECT count_if(content = 2), count_if(content = 1), sum(if(content = 1, record_count, 0)) "
        + "FROM " + table + ".delete_files").first();
    assertThat(deletes.getLong(0)).as("no equality delete left").isZero();
    assertThat(deletes.getLong(1)).isPositive();
    assertThat(deletes.getLong(2)).as("one position per deleted row: updated and deleted keys")
        .isEqualTo(equality.get("deleted_positions").asLong())
        .isEqualTo(written.get("rows_updated").asLong() + written.get("rows_deleted").asLong());
    for (Row file : spark.sql("SELECT file_path FROM " + table + ".delete_files").collectAsList()) {
      List<String> positions = spark.read().parquet(file.getString(0)).collectAsList().stream()
          .map(r -> r.getString(0) + String.format("/%012d", r.getLong(1))).toList();
      assertThat(positions).as("a position-delete file is sorted by file and position").isSorted();
    }
  }

  @Test
  void aLaterRewriteOfConvertedFilesTakesTheirPositionDeletesWithIt() {
    SparkSession spark = TestLakehouse.spark();
    String table = "lake.cdc.orders_reconvert";
    sample("cdc.orders_reconvert", "2");
    String before = checksum(spark, table);
    CliRun convert = convert("cdc.orders_reconvert");
    assertThat(convert.exitCode()).as(convert.toString()).isZero();
    long positionFiles = spark.sql("SELECT count(*) FROM " + table + ".delete_files").first().getLong(0);
    assertThat(positionFiles).as("one position-delete file per converted day").isPositive();

    // Every data file with a delete is rewritten: the position files name only replaced files.
    CliRun rewrite = CliRun.withTestConfig("compact", "--table", "cdc.orders_reconvert", "--rewrite-deletes",
        "--set", "lakehouse.compact.options.delete-file-threshold=1");

    assertThat(rewrite.exitCode()).as(rewrite.toString()).isZero();
    assertThat(checksum(spark, table)).isEqualTo(before);
    assertThat(spark.sql("SELECT count(*) FROM " + table + ".delete_files").first().getLong(0))
        .as("no position-delete file outlives the data files it names").isZero();
    assertThat(rewrite.report().at("/result/after/delete_files").asLong()).isZero();
    CliRun again = CliRun.withTestConfig("compact", "--table", "cdc.orders_reconvert", "--rewrite-deletes");
    assertThat(again.report().get("status").asText()).as(again.toString()).isEqualTo("NOTHING_TO_DO");
  }

  @Test
  void onAVersion3TableTheyBecomeDeletionVectors() {
    SparkSession spark = TestLakehouse.spark();
    String table = "lake.cdc.orders_dv";
    sample("cdc.orders_dv", "3");
    String before = checksum(spark, table);

    CliRun compact = convert("cdc.orders_dv");

    assertThat(compact.exitCode()).as(compact.toString()).isZero();
    assertThat(compact.report().at("/result/equality_deletes/deletion_vectors").asBoolean()).isTrue();
    assertThat(checksum(spark, table)).isEqualTo(before);
    Row files = spark.sql("SELECT count_if(content = 2), count_if(file_format = 'PUFFIN'), count(*), "
        + "count(DISTINCT referenced_data_file) FROM " + table + ".delete_files").first();
    assertThat(files.getLong(0)).isZero();
    assertThat(files.getLong(1)).as("every delete a deletion vector").isEqualTo(files.getLong(2)).isPositive();
    assertThat(files.getLong(3)).as("one per data file").isEqualTo(files.getLong(2));
  }

  @Test
  void autoConvertsLightlyDeletedLargeFilesAndRewritesHeavilyDeletedOnes() {
    SparkSession spark = TestLakehouse.spark();
    String name = "lake.cdc.orders_auto";
    spark.sql("DROP TABLE IF EXISTS " + name);
    // Inserts only, then compacted: one file per day, none small once min-file-size is 1 byte.
    CliRun sample = CliRun.withTestConfig("sample-data", "--cdc", "--table", "cdc.orders_auto", "--rows", "3000",
        "--commits", "3", "--update-fraction", "0", "--delete-fraction", "0");
    assertThat(sample.exitCode()).as(sample.toString()).isZero();
    Table table = load(spark, name);
    // 3000 keys over 30 days: 100 a day. Day 0 (keys 0-99) loses 2 rows, day 1 (100-199) 60.
    CdcSettings settings = new CdcSettings(3000, 3, 0, 0, 30, 2, 1);
    CdcTableWriter.commit(table, settings, 3, 3000, 3000, List.of(), range(0, 2), new Random(1));
    CdcTableWriter.commit(table, settings, 4, 3000, 3000, List.of(), range(100, 160), new Random(2));
    String before = checksum(spark, name);

    CliRun compact = CliRun.withTestConfig("compact", "--table", "cdc.orders_auto", "--rewrite-deletes",
        "--set", "lakehouse.compact.options.min-file-size-bytes=1");

    assertThat(compact.exitCode()).as(compact.toString()).isZero();
    JsonNode partitions = compact.report().at("/result/equality_deletes/partitions");
    assertThat(partitions).hasSize(2);
    for (JsonNode partition : partitions) {
      boolean heavy = partition.get("partition").asText().endsWith("2024-01-02");
      assertThat(partition.get("choice").asText()).as(partition.toString()).isEqualTo(heavy ? "REWRITE" : "CONVERT");
      assertThat(partition.get("reason").asText()).contains(heavy ? "60.0% of the rows" : "2.0% of their rows");
    }
    assertThat(checksum(spark, name)).isEqualTo(before);
    assertThat(spark.sql("SELECT count(*) FROM " + name + ".delete_files WHERE content = 2").first().getLong(0))
        .isZero();
    assertThat(spark.sql("SELECT count(*) FROM " + name + ".delete_files").first().getLong(0))
        .as("the converted day's position deletes; the rewritten day has none").isEqualTo(1);
  }

  @Test
  void whereNarrowsItToTheHotPartitions() {
    SparkSession spark = TestLakehouse.spark();
    String table = "lake.cdc.orders_where";
    JsonNode written = sample("cdc.orders_where", "2");
    String before = checksum(spark, table);
    long hotDeletes = spark.sql("SELECT count(*) FROM " + table + ".delete_files WHERE content = 2 "
        + "AND partition.created_at_day = DATE'2024-01-03'").first().getLong(0);

    CliRun compact = CliRun.withTestConfig("compact", "--table", "cdc.orders_where", "--rewrite-deletes",
        "--equality-deletes", "convert", "--where",
        "created_at >= TIMESTAMP'2024-01-03 00:00:00Z' AND created_at < TIMESTAMP'2024-01-04 00:00:00Z'");

    assertThat(compact.exitCode()).as(compact.toString()).isZero();
    JsonNode equality = compact.report().at("/result/equality_deletes");
    assertThat(equality.get("partitions")).hasSize(1);
    assertThat(equality.at("/partitions/0/partition").asText()).isEqualTo("created_at_day=2024-01-03");
    assertThat(equality.get("equality_delete_files_converted").asLong()).isEqualTo(hotDeletes).isPositive();
    assertThat(spark.sql("SELECT count(*) FROM " + table + ".delete_files WHERE content = 2").first().getLong(0))
        .as("the other days' equality deletes are left")
        .isEqualTo(written.get("equality_delete_files").asLong() - hotDeletes);
    assertThat(checksum(spark, table)).isEqualTo(before);
  }

  @Test
  void aStreamingCommitDuringTheConversionKeepsApplying() {
    SparkSession spark = TestLakehouse.spark();
    String name = "lake.cdc.orders_convert_race";
    sample("cdc.orders_convert_race", "2");
    Table table = load(spark, name);
    EqualityDeletePlan plan = EqualityDeletePlanner.plan(table, Expressions.alwaysTrue(), EqualityDeleteMode.CONVERT,
        1, 0.3);
    CdcSettings settings = new CdcSettings(2000, 20, 0.2, 0.02, 30, 2, 7);
    // While the converter plans: 50 new keys, new versions of 20 keys, 10 keys deleted.
    streamingCommit = () -> CdcTableWriter.commit(load(spark, name), settings, 20,
        2000, 2050, range(500, 520), range(1500, 1510), new Random(3));
    STREAM_DURING_SCAN.set(true);

    EqualityDeleteConverter.Converted converted = new EqualityDeleteConverter(spark, table,
        Map.of("lakehouse.command", "compact")).convert(plan.converted());

    assertThat(STREAM_DURING_SCAN.get()).as("the streaming commit ran").isFalse();
    assertThat(converted.equalityDeleteFilesRemoved()).isPositive();
    assertThat(spark.sql("SELECT count(*) FROM " + name + " WHERE id BETWEEN 1500 AND 1509").first().getLong(0))
        .as("the concurrent deletes still apply").isZero();
    assertThat(spark.sql("SELECT count(*), count(DISTINCT id) FROM " + name + " WHERE id BETWEEN 500 AND 519")
        .first().toString()).as("each updated key once").isEqualTo("[20,20]");
    assertThat(spark.sql("SELECT count(*) FROM " + name + " WHERE id >= 2000").first().getLong(0)).isEqualTo(50);
    assertThat(spark.sql("SELECT count(*) FROM " + name + ".delete_files WHERE content = 2").first().getLong(0))
        .as("only the concurrent commit's equality deletes are left").isPositive();
    assertThat(spark.sql("SELECT count(*) - count(DISTINCT id) FROM " + name).first().getLong(0)).isZero();
  }

  /** compact --rewrite-deletes --equality-deletes convert of the table. */
  private static CliRun convert(String table) {
    return CliRun.withTestConfig("compact", "--table", table, "--rewrite-deletes", "--equality-deletes", "convert");
  }

  /** A fresh CDC sample table (2,000 keys, 20 commits) in the format version given. */
  private static JsonNode sample(String table, String formatVersion) {
    TestLakehouse.spark().sql("DROP TABLE IF EXISTS lake." + table);
    CliRun sample = CliRun.withTestConfig("sample-data", "--cdc", "--table", table, "--rows", "2000", "--commits",
        "20", "--format-version", formatVersion);
    assertThat(sample.exitCode()).as(sample.toString()).isZero();
    return sample.report().get("result");
  }

  private static Table load(SparkSession spark, String name) {
    try {
      return Spark3Util.loadIcebergTable(spark, name);
    } catch (Exception e) { // ParseException, NoSuchTableException: checked in Scala
      throw new IllegalStateException(e);
    }
  }

  private static List<Long> range(long from, long to) {
    return LongStream.range(from, to).boxed().toList();
  }

  private static String checksum(SparkSession spark, String table) {
    Row row = spark.sql("SELECT count(*), count(DISTINCT id), sum(hash(id, status, amount)) FROM " + table).first();
    return row.get(0) + "/" + row.get(1) + "/" + row.get(2);
  }
}
