package io.lakehouseops.backfill;

import java.util.List;

/**
 * One partition of a backfill in the report. status: success | failed | no_data | dry_run |
 * skipped (already `success` in an earlier run of the same backfill id).
 */
public record PartitionResult(
    String partitionKey,
    String status,
    long rowsRead,
    long rowsQuarantined,
    long rowsInserted,
    long rowsUpdated,
    long rowsDeleted,
    Long snapshotId,
    List<String> failedRules,
    String error) {

  static PartitionResult skipped(String partitionKey) {
    return new PartitionResult(partitionKey, "skipped", 0, 0, 0, 0, 0, null, List.of(), null);
  }
}
