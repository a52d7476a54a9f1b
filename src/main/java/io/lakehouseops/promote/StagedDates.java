package io.lakehouseops.promote;

import java.util.Collection;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The event dates of a backfill chunk staged together: one cache of their rows, of which each
 * date's staged partition is a view. Close it once every partition's rows are published.
 */
public final class StagedDates implements AutoCloseable {
  private final Dataset<Row> cached;
  private final String eventTime;
  private final List<StagedPartition> partitions;

  StagedDates(Dataset<Row> cached, String eventTime, List<StagedPartition> partitions) {
    this.cached = cached;
    this.eventTime = eventTime;
    this.partitions = List.copyOf(partitions);
  }

  /** The rows of the given partitions (of these dates), as one filter of the cache. */
  public Dataset<Row> rowsOf(Collection<StagedPartition> some) {
    Object[] dates = some.stream().map(p -> java.sql.Date.valueOf(p.partition().date())).toArray();
    return cached.filter(functions.to_date(functions.col(eventTime)).isin(dates));
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
