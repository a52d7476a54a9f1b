package io.lakehouseops.promote;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Appends blocked rows to the dataset's quarantine table with why, when and from where, so
 * they can be inspected and replayed. The table follows the batch's schema as it evolves.
 */
public final class QuarantineWriter {
  private final TableRef table;

  public QuarantineWriter(TableRef table) {
    this.table = table;
  }

  public TableRef table() {
    return table;
  }

  /** rows carries a _quarantine_reasons array column; returns the number of rows written. */
  public long write(Dataset<Row> rows, String runId, String sourcePartition) {
    Dataset<Row> quarantined = rows
        .withColumn("_quarantine_run_id", functions.lit(runId))
        .withColumn("_source_partition", functions.lit(sourcePartition))
        .withColumn("_quarantined_at", functions.lit(Timestamp.from(Instant.now())));
    Tables.createIfMissing(rows.sparkSession(), table, quarantined.schema(), List.<Column>of(),
        Map.of("write.spark.accept-any-schema", "true"));
    rows.sparkSession().sparkContext().setJobDescription("lakehouse-ops promote: quarantine to " + table);
    try {
      quarantined.writeTo(table.name()).option("merge-schema", "true").append();
    } catch (Exception e) {
      throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
    }
    return rows.count();
  }

  /** Every row, with the same reasons. */
  public static Dataset<Row> withReasons(Dataset<Row> rows, List<String> reasons) {
    return rows.withColumn("_quarantine_reasons", functions.array(
        reasons.stream().map(functions::lit).toArray(Column[]::new)));
  }
}
