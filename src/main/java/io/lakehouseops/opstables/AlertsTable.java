package io.lakehouseops.opstables;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * ops.alerts: one row per alert per route: when, which run, what about, trigger or resolve,
 * sent or not with the HTTP status and the attempts. Never the route's URL or key. PagerDuty
 * incidents still open (a trigger sent, no resolve after it) are read back from here.
 */
public final class AlertsTable {
  public static final String NAME = "alerts";
  static final StructType SCHEMA = new StructType()
      .add("sent_at", DataTypes.TimestampType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("command", DataTypes.StringType, false)
      .add("dataset", DataTypes.StringType)
      .add("partition_key", DataTypes.StringType)
      .add("kind", DataTypes.StringType, false)
      .add("route", DataTypes.StringType, false)
      .add("action", DataTypes.StringType, false)
      .add("dedup_key", DataTypes.StringType, false)
      .add("sent", DataTypes.BooleanType, false)
      .add("http_status", DataTypes.IntegerType)
      .add("attempts", DataTypes.IntegerType, false)
      .add("error", DataTypes.StringType);

  /** One row, as the alerts package hands it over. */
  public record Entry(Timestamp sentAt, String runId, String command, String dataset, String partitionKey,
      String kind, String route, String action, String dedupKey, boolean sent, Integer httpStatus, int attempts,
      String error) {
    Row toRow() {
      return RowFactory.create(sentAt, runId, command, dataset, partitionKey, kind, route, action, dedupKey, sent,
          httpStatus, attempts, error);
    }
  }

  private final SparkSession spark;
  private final TableRef table;

  public AlertsTable(SparkSession spark, TableRef table) {
    this.spark = spark;
    this.table = table;
  }

  public void append(List<Entry> entries) {
    if (!entries.isEmpty()) {
      OpsTables.append(spark, new OpsTables.OpsTable(table, SCHEMA, "sent_at"),
          entries.stream().map(Entry::toRow).toList());
    }
  }

  /** Whether the route's newest sent row for this incident is a trigger (nothing resolved it yet). */
  public boolean open(String dedupKey, String route) {
    if (!Tables.exists(spark, table)) {
      return false;
    }
    List<Row> newest = spark.table(table.name())
        .filter(functions.col("dedup_key").equalTo(dedupKey).and(functions.col("route").equalTo(route))
            .and(functions.col("sent")))
        .orderBy(functions.col("sent_at").desc()).select("action").limit(1).collectAsList();
    return !newest.isEmpty() && "trigger".equals(newest.get(0).getString(0));
  }
}
