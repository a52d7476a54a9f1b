package io.lakehouseops.retention;

import java.util.List;

/**
 * retention's report result (in a dry run: what would be deleted). mode: metadata-only when
 * whole files were dropped from the table's metadata, rewrite when rows had to be deleted
 * from files that also hold newer ones.
 */
public record RetentionResult(
    String dataset,
    String table,
    boolean dryRun,
    String asOf,
    int olderThanDays,
    String cutoff,
    DeleteMode mode,
    List<PartitionDeleted> partitionsDeleted,
    long rowsDeleted,
    long bytesDeleted,
    double fractionOfRows,
    List<HoldApplied> holds,
    Long snapshotId,
    String note) {

  /** A partition past the limit: its last event date, rows, bytes and files. */
  public record PartitionDeleted(String partition, String lastEventDate, long rows, long bytes, int files) {}

  /** A hold and the partitions past the limit it kept. */
  public record HoldApplied(String from, String to, String reason, List<String> partitionsKept) {}
}
