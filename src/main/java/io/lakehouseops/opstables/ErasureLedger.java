package io.lakehouseops.opstables;

import io.lakehouseops.config.Identifiers;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.RunLineage;
import io.lakehouseops.iceberg.Tables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * ops.erasure_ledger: one row per erased key of a request (its hash, never the key in clear),
 * written `requested` before any table changes and completed with what was removed. Promote
 * and backfill read it to withhold erased keys from every later publish, so a replay from raw
 * never brings an erased row back. A key is the values of key_columns, hashed by keyHash.
 */
public final class ErasureLedger {
  public static final String NAME = "erasure_ledger";
  static final StructType SCHEMA = new StructType()
      .add("request_id", DataTypes.StringType, false)
      .add("dataset", DataTypes.StringType, false)
      .add("key_columns", DataTypes.StringType, false)
      .add("key_hash", DataTypes.StringType)
      .add("requested_at", DataTypes.TimestampType, false)
      .add("completed_at", DataTypes.TimestampType)
      .add("status", DataTypes.StringType, false)
      .add("tables", DataTypes.StringType)
      .add("rows_removed", DataTypes.LongType)
      .add("files_removed", DataTypes.LongType)
      .add("snapshots_expired", DataTypes.LongType)
      .add("raw_files_rewritten", DataTypes.LongType);
  /** Separates the values of a key's columns in the hashed text (a control character). */
  private static final String SEPARATOR = "\u001f";

  private final SparkSession spark;
  private final TableRef table;

  public ErasureLedger(SparkSession spark, TableRef table) {
    this.spark = spark;
    this.table = table;
  }

  public TableRef table() {
    return table;
  }

  /**
   * SHA-256 of the key columns' values as text, in the order given: the same expression on
   * the ledger's side and on the rows checked against it. A null value hashes as empty.
   */
  public static Column keyHash(List<String> columns) {
    Column[] values = columns.stream()
        .map(c -> functions.coalesce(functions.col(Identifiers.quote(c)).cast(DataTypes.StringType),
            functions.lit("")))
        .toArray(Column[]::new);
    return functions.sha2(functions.concat_ws(SEPARATOR, values), 256);
  }

  /**
   * Records a request's keys as requested. hashes: one column `key_hash`. A request id seen
   * before (a re-run) adds only the hashes it does not have; no hash at all records the
   * request alone (a predicate that matched nothing).
   */
  public void request(String requestId, String dataset, List<String> keyColumns, Dataset<Row> hashes) {
    Tables.createIfMissing(spark, table, SCHEMA, List.of(), Map.of());
    Timestamp now = Timestamp.from(Instant.now());
    Dataset<Row> known = spark.table(table.name()).filter(functions.col("request_id").equalTo(requestId))
        .select("key_hash");
    Dataset<Row> fresh = hashes.select("key_hash").distinct()
        .join(known, hashes.col("key_hash").eqNullSafe(known.col("key_hash")), "left_anti");
    Dataset<Row> rows = fresh.select(
        functions.lit(requestId).as("request_id"), functions.lit(dataset).as("dataset"),
        functions.lit(String.join(",", keyColumns)).as("key_columns"), functions.col("key_hash"),
        functions.lit(now).as("requested_at"), functions.lit(null).cast(DataTypes.TimestampType).as("completed_at"),
        functions.lit(ErasureStatus.REQUESTED.value()).as("status"),
        functions.lit(null).cast(DataTypes.StringType).as("tables"),
        functions.lit(null).cast(DataTypes.LongType).as("rows_removed"),
        functions.lit(null).cast(DataTypes.LongType).as("files_removed"),
        functions.lit(null).cast(DataTypes.LongType).as("snapshots_expired"),
        functions.lit(null).cast(DataTypes.LongType).as("raw_files_rewritten"));
    boolean firstTime = known.isEmpty();
    if (firstTime && rows.isEmpty()) {
      rows = spark.createDataFrame(List.of(RowFactory.create(requestId, dataset, String.join(",", keyColumns), null,
          now, null, ErasureStatus.REQUESTED.value(), null, null, null, null, null)), SCHEMA);
    }
    spark.sparkContext().setJobDescription("lakehouse-ops erase: record request " + requestId + " in " + table);
    Dataset<Row> toAppend = rows;
    RunLineage.sparkWrites(() -> Tables.append(toAppend, table));
  }

  /** What a finished request removed, for its ledger rows. */
  public record Completion(ErasureStatus status, List<String> tables, long rowsRemoved, long filesRemoved,
      long snapshotsExpired, Long rawFilesRewritten) {}

  /**
   * Closes the request's rows still requested with what was removed: one commit. Rows a run
   * completed before keep their record (a re-run of a finished request changes nothing).
   */
  public void complete(String requestId, Completion done) {
    Map<String, String> set = new LinkedHashMap<>();
    set.put("status", literal(done.status().value()));
    set.put("completed_at", "current_timestamp()");
    set.put("tables", literal(String.join(",", done.tables())));
    set.put("rows_removed", Long.toString(done.rowsRemoved()));
    set.put("files_removed", Long.toString(done.filesRemoved()));
    set.put("snapshots_expired", Long.toString(done.snapshotsExpired()));
    set.put("raw_files_rewritten", done.rawFilesRewritten() == null ? "NULL" : done.rawFilesRewritten().toString());
    String assignments = set.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue())
        .reduce((a, b) -> a + ", " + b).orElseThrow();
    spark.sparkContext().setJobDescription("lakehouse-ops erase: complete request " + requestId + " in " + table);
    RunLineage.sparkWrites(() -> spark.sql("UPDATE " + table.quoted() + " SET " + assignments
        + " WHERE request_id = " + literal(requestId) + " AND status = " + literal(ErasureStatus.REQUESTED.value())));
  }

  /** The request's key hashes recorded so far (empty before its first run). */
  public Dataset<Row> hashesOf(String requestId) {
    if (!Tables.exists(spark, table)) {
      return spark.createDataFrame(List.of(), new StructType().add("key_hash", DataTypes.StringType));
    }
    return spark.table(table.name()).filter(functions.col("request_id").equalTo(requestId)
        .and(functions.col("key_hash").isNotNull())).select("key_hash");
  }

  /**
   * The dataset's erased keys, by the columns that make each key (usually one set): the
   * hashes to withhold from a publish. Empty when the ledger or its rows do not exist.
   */
  public Map<List<String>, Dataset<Row>> erasedKeys(String dataset) {
    Map<List<String>, Dataset<Row>> keys = new LinkedHashMap<>();
    if (!Tables.exists(spark, table)) {
      return keys;
    }
    Dataset<Row> rows = spark.table(table.name()).filter(functions.col("dataset").equalTo(dataset)
        .and(functions.col("key_hash").isNotNull()));
    spark.sparkContext().setJobDescription("lakehouse-ops: erased keys of " + dataset + " in " + table);
    for (Row columns : rows.select("key_columns").distinct().collectAsList()) {
      keys.put(List.of(columns.getString(0).split(",")), rows
          .filter(functions.col("key_columns").equalTo(columns.getString(0))).select("key_hash").distinct());
    }
    return keys;
  }

  private static String literal(String value) {
    return functions.lit(value).expr().sql();
  }
}
