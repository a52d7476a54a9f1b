package io.lakehouseops.sample;

import java.util.List;

/** What sample-data wrote, partition by partition. */
public record SampleDataResult(String dataset, String rawPath, long rowsWritten,
    List<Partition> partitions) {

  /** One raw partition: its rows and how many of them are deliberate oddities. */
  public record Partition(String partition, String file, long rows, long duplicates,
      long lateEvents, long nullKeys, long outOfRange) {}
}
