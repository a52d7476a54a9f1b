package io.lakehouseops.opstables;

import io.lakehouseops.config.Identifiers;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.DriverAppend;
import io.lakehouseops.iceberg.RunLineage;
import io.lakehouseops.iceberg.Tables;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * ops.backfill_audit_log: one row per partition per backfill attempt. A row is written
 * `running` before its chunk is merged and closed (success | failed | no_data) after, so a
 * crash leaves a visible `running` row, which the next run of the same backfill marks
 * `failed` (superseded) before it retries. Dry runs write `dry_run` rows.
 */
public final class BackfillAuditLog {
  public static final String NAME = "backfill_audit_log";
  static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.StringType, false)
      .add("backfill_id", DataTypes.StringType, false)
      .add("dataset", DataTypes.StringType, false)
      .add("dag_run_id", DataTypes.StringType)
      .add("partition_key", DataTypes.StringType, false)
      .add("triggered_by", DataTypes.StringType, false)
      .add("rows_inserted", DataTypes.LongType)
      .add("rows_updated", DataTypes.LongType)
      .add("rows_deleted", DataTypes.LongType)
      .add("rows_affected", DataTypes.LongType)
      .add("snapshot_id", DataTypes.LongType)
      .add("started_at", DataTypes.TimestampType, false)
      .add("completed_at", DataTypes.TimestampType)
      .add("status", DataTypes.StringType, false)
      .add("error", DataTypes.StringType);

  static final String SUPERSEDED = "superseded: the run that wrote this row stopped before closing it "
      + "(killed or crashed); the partition was retried";

  /** One audit row; counts and completion are null while running. */
  public record Entry(String id, String backfillId, String dataset, String dagRunId, String partitionKey,
      String triggeredBy, Long rowsInserted, Long rowsUpdated, Long rowsDeleted, Long snapshotId,
      Timestamp startedAt, Timestamp completedAt, BackfillStatus status, String error) {

    /** A partition's row as its chunk starts: running, no counts, not completed. */
    public static Entry running(String backfillId, String dataset, String dagRunId, String partitionKey,
        String triggeredBy, Timestamp startedAt) {
      return new Entry(UUID.randomUUID().toString(), backfillId, dataset, dagRunId, partitionKey,
          triggeredBy, null, null, null, null, startedAt, null, BackfillStatus.RUNNING, null);
    }

    public Entry closed(BackfillStatus newStatus, Long inserted, Long updated, Long deleted, Long snapshot,
        String message) {
      return new Entry(id, backfillId, dataset, dagRunId, partitionKey, triggeredBy, inserted, updated,
          deleted, snapshot, startedAt, Timestamp.from(Instant.now()), newStatus, message);
    }

    Row toRow() {
      Long affected = rowsInserted == null ? null
          : rowsInserted + nullToZero(rowsUpdated) + nullToZero(rowsDeleted);
      return RowFactory.create(id, backfillId, dataset, dagRunId, partitionKey, triggeredBy,
          rowsInserted, rowsUpdated, rowsDeleted, affected, snapshotId, startedAt, completedAt, status.value(), error);
    }

    private static long nullToZero(Long value) {
      return value == null ? 0 : value;
    }
  }

  private final SparkSession spark;
  private final TableRef table;

  public BackfillAuditLog(SparkSession spark, TableRef table) {
    this.spark = spark;
    this.table = table;
  }

  public TableRef table() {
    return table;
  }

  /** Appends rows as they are (dry_run rows). */
  public void append(List<Entry> entries) {
    if (!entries.isEmpty()) {
      OpsTables.append(spark, opsTable(), entries.stream().map(Entry::toRow).toList());
    }
  }

  /** Appends a chunk's `running` rows, for close to replace. */
  public Opened open(List<Entry> entries) {
    return new Opened(OpsTables.append(spark, opsTable(), entries.stream().map(Entry::toRow).toList()),
        entries.stream().map(Entry::id).collect(Collectors.toSet()));
  }

  private OpsTables.OpsTable opsTable() {
    return new OpsTables.OpsTable(table, SCHEMA, "started_at");
  }

  /** Rows written by open: their files and their ids. */
  public record Opened(DriverAppend.Appended appended, Set<String> ids) {}

  /**
   * Replaces the rows opened by these (closing running rows): one commit. When the entries
   * close every row of opened and its files are as written, they are replaced from the
   * driver; otherwise (another run superseded them meanwhile) a MERGE on id replaces the
   * rows, two Spark jobs and their planning (0.2-0.5 s a chunk).
   */
  public void close(List<Entry> entries, Opened opened) {
    if (entries.isEmpty()) {
      return;
    }
    boolean whole = opened != null
        && entries.stream().map(Entry::id).collect(Collectors.toSet()).equals(opened.ids());
    if (whole && DriverAppend.replace(Tables.load(spark, table), opened.appended(), SCHEMA,
        entries.stream().map(Entry::toRow).toList())) {
      return;
    }
    String view = "lakehouse_audit_close_" + entries.get(0).id().replaceAll("[^A-Za-z0-9_]", "_");
    spark.createDataFrame(entries.stream().map(Entry::toRow).toList(), SCHEMA).createOrReplaceTempView(view);
    spark.sparkContext().setJobDescription("lakehouse-ops backfill: close audit rows in " + table);
    try {
      RunLineage.sparkWrites(() -> spark.sql("MERGE INTO " + table.quoted() + " t USING " + Identifiers.quote(view)
          + " s ON t.id = s.id WHEN MATCHED THEN UPDATE SET *"));
    } finally {
      spark.catalog().dropTempView(view);
    }
  }

  /** Marks the backfill's rows left `running` by a crashed run as failed; returns how many. */
  public long supersedeRunning(String backfillId, String dataset) {
    if (!Tables.exists(spark, table)) {
      return 0;
    }
    String where = "backfill_id = " + literal(backfillId) + " AND dataset = " + literal(dataset)
        + " AND status = " + literal(BackfillStatus.RUNNING.value());
    // Named, or its job carries whatever description the thread last set.
    spark.sparkContext().setJobDescription("lakehouse-ops: find " + backfillId + "'s audit rows left running");
    long running = spark.table(table.name()).filter(where).count();
    if (running > 0) {
      RunLineage.sparkWrites(() -> spark.sql("UPDATE " + table.quoted() + " SET status = "
          + literal(BackfillStatus.FAILED.value()) + ", completed_at = current_timestamp(), error = " + literal(SUPERSEDED) + " WHERE " + where));
    }
    return running;
  }

  /** The partitions this backfill already merged successfully (a re-run skips them). */
  public Set<String> succeededPartitions(String backfillId, String dataset) {
    if (!Tables.exists(spark, table)) {
      return Set.of();
    }
    return spark.table(table.name())
        .filter(functions.col("backfill_id").equalTo(backfillId)
            .and(functions.col("dataset").equalTo(dataset))
            .and(functions.col("status").equalTo(BackfillStatus.SUCCESS.value())))
        .select("partition_key").collectAsList().stream().map(r -> r.getString(0))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** A SQL string literal, escaped by Spark itself: values never go into SQL text raw. */
  private static String literal(String value) {
    return functions.lit(value).expr().sql();
  }

  /** A backfill that changed rows of an event date: the newest one, as corrections report it. */
  public record Correction(String backfillId, String triggeredBy, Instant completedAt, long rowsAffected) {}

  /**
   * The event dates a backfill of the dataset changed rows of (success, rows affected), each
   * with the newest such backfill: a re-promote of raw rows leaves these dates as the backfill
   * left them unless told otherwise.
   */
  public Map<LocalDate, Correction> corrections(String dataset) {
    if (!Tables.exists(spark, table)) {
      return Map.of();
    }
    spark.sparkContext().setJobDescription("lakehouse-ops: backfill corrections of " + dataset + " in " + table);
    Map<LocalDate, Correction> corrections = new TreeMap<>();
    spark.table(table.name())
        .filter(functions.col("dataset").equalTo(dataset)
            .and(functions.col("status").equalTo(BackfillStatus.SUCCESS.value()))
            .and(functions.col("rows_affected").gt(0)))
        .select("partition_key", "backfill_id", "triggered_by", "completed_at", "rows_affected")
        .collectAsList().forEach(row -> {
          LocalDate date = LocalDate.parse(row.getString(0).substring("dt=".length()));
          Correction correction = new Correction(row.getString(1), row.getString(2), row.getTimestamp(3).toInstant(),
              row.getLong(4));
          corrections.merge(date, correction, (a, b) -> a.completedAt().isAfter(b.completedAt()) ? a : b);
        });
    return corrections;
  }
}
