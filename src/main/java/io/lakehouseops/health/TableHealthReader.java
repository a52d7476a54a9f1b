package io.lakehouseops.health;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.opstables.TieringLog;
import io.lakehouseops.run.BadInputException;
import io.lakehouseops.storage.StorageClass;
import io.lakehouseops.iceberg.TableFiles;
import io.lakehouseops.tier.TierRule;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.util.PropertyUtil;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Reads a table's health from its Iceberg metadata tables (data_files, delete_files,
 * manifests, snapshots): cheap on any table size, since no data file is opened.
 */
public final class TableHealthReader {
  private final SparkSession spark;
  private final double smallFileRatio;
  private final int minInputFiles;
  private final TieringLog tieringLog;

  /**
   * minInputFiles: compact's per-partition threshold (lakehouse.compact.min-input-files); small
   * files count as compactable only in partitions that hold at least that many of them.
   */
  public TableHealthReader(SparkSession spark, double smallFileRatio, int minInputFiles,
      TieringLog tieringLog) {
    this.spark = spark;
    this.smallFileRatio = smallFileRatio;
    this.minInputFiles = minInputFiles;
    this.tieringLog = tieringLog;
  }

  public TableHealth measure(TableRef ref) {
    return measure(ref, List.of());
  }

  /** With tiering rules: also how many partitions are older than the policy but not yet moved. */
  public TableHealth measure(TableRef ref, List<TierRule> tieringRules) {
    spark.sparkContext().setJobDescription("lakehouse-ops: read the metadata of " + ref);
    Table table = Tables.load(spark, ref);
    table.refresh();
    long target = PropertyUtil.propertyAsLong(table.properties(),
        TableProperties.WRITE_TARGET_FILE_SIZE_BYTES, TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
    long smallBelow = (long) (target * smallFileRatio);
    Dataset<Row> data = spark.table(ref.name() + ".data_files");
    boolean partitioned = List.of(data.columns()).contains("partition") && table.spec().isPartitioned();
    Column partition = partitioned ? functions.to_json(functions.col("partition")) : functions.lit("");
    Column small = functions.col("file_size_in_bytes").lt(smallBelow).cast("long");
    Row perPartition = data.groupBy(partition.as("p"))
        .agg(functions.count("*").as("files"), functions.sum("file_size_in_bytes").as("bytes"),
            functions.sum("record_count").as("records"), functions.sum(small).as("small"))
        .agg(functions.coalesce(functions.sum("files"), functions.lit(0L)),
            functions.coalesce(functions.sum("bytes"), functions.lit(0L)),
            functions.coalesce(functions.sum("records"), functions.lit(0L)),
            functions.coalesce(functions.sum("small"), functions.lit(0L)),
            functions.coalesce(functions.sum(functions.when(functions.col("small").geq(Math.max(2, minInputFiles)),
                functions.col("small")).otherwise(0L)), functions.lit(0L)),
            functions.count("*"))
        .first();
    long files = perPartition.getLong(0);
    long bytes = perPartition.getLong(1);
    long smallFiles = perPartition.getLong(3);
    long deleteFiles = spark.table(ref.name() + ".delete_files").count();
    long manifests = spark.table(ref.name() + ".manifests").count();
    Row snapshots = spark.table(ref.name() + ".snapshots")
        .agg(functions.count("*"), functions.min("committed_at")).first();
    Double oldestHours = snapshots.isNullAt(1) ? null
        : Math.round(Duration.between(((Timestamp) snapshots.get(1)).toInstant(), Instant.now())
            .toMinutes() / 6.0) / 10.0;
    Map<String, Long> byClass = bytesByClass(ref, data, bytes);
    return new TableHealth(ref.name(), files, bytes, perPartition.getLong(2),
        files == 0 ? 0 : bytes / files, target, smallFiles, share(smallFiles, files),
        perPartition.getLong(4), perPartition.getLong(5), deleteFiles, share(deleteFiles, files),
        manifests, snapshots.getLong(0), oldestHours, byClass,
        tieringRules.isEmpty() ? null : partitionsPastPolicy(ref, table, tieringRules));
  }

  /** Partitions whose age sends them to a colder class than the one their files are in. */
  private Long partitionsPastPolicy(TableRef ref, Table table, List<TierRule> rules) {
    List<TableFiles.TableFile> files;
    try {
      files = TableFiles.list(table, null);
    } catch (BadInputException notTimePartitioned) {
      return null;
    }
    Map<String, String> classes = tieringLog.currentClasses(ref);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    Set<String> behind = new HashSet<>();
    for (TableFiles.TableFile file : files) {
      if (file.lastEventDate() != null) {
        StorageClass target = TierRule.targetFor(rules,
            Duration.ofDays(ChronoUnit.DAYS.between(file.lastEventDate(), today)));
        if (target != null && target.colderThan(StorageClass.ofS3(classes.get(file.path())))) {
          behind.add(file.partition());
        }
      }
    }
    return (long) behind.size();
  }

  /** Bytes of live data files per storage class, as ops.tiering_log knows them (else STANDARD). */
  private Map<String, Long> bytesByClass(TableRef ref, Dataset<Row> data, long bytes) {
    if (!tieringLog.exists()) { // nothing tiered yet: no second pass over the table's files
      return bytes == 0 ? Map.of() : Map.of(StorageClass.STANDARD.name(), bytes);
    }
    Dataset<Row> classes = tieringLog.currentClassRows(ref);
    Map<String, Long> byClass = new LinkedHashMap<>();
    data.join(classes, data.col("file_path").equalTo(classes.col("file_path")), "left")
        .groupBy(functions.coalesce(classes.col("to_class"), functions.lit("STANDARD")).as("c"))
        .agg(functions.sum("file_size_in_bytes")).orderBy("c").collectAsList()
        .forEach(r -> byClass.put(r.getString(0), r.getLong(1)));
    return byClass;
  }

  private static double share(long part, long whole) {
    return whole == 0 ? 0 : Math.round(1000.0 * part / whole) / 1000.0;
  }
}
