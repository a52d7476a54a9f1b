package io.lakehouseops.promote;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The event dates of a backfill chunk staged together: one cache of their rows, of which each
 * date's staged partition is a view. Close it once every partition's rows are published.
 */
public final class StagedDates implements AutoCloseable {
  private final Dataset<Row> cached;
  private final List<StagedPartition> partitions;

  StagedDates(Dataset<Row> cached, List<StagedPartition> partitions) {
    this.cached = cached;
    this.partitions = List.copyOf(partitions);
  }

  /** One per date, in the order of the dates asked for. */
  public List<StagedPartition> partitions() {
    return partitions;
  }

  @Override
  public void close() {
    if (cached != null) {
      cached.unpersist();
    }
  }
}
