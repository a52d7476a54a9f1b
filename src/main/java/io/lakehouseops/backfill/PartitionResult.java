package io.lakehouseops.backfill;

import io.lakehouseops.opstables.BackfillStatus;
import java.util.List;

/**
 * One partition of a backfill in the report. status: SKIPPED when an earlier run of the same
 * backfill id already merged it.
 */
public record PartitionResult(
    String partitionKey,
    BackfillStatus status,
    long rowsRead,
    long rowsQuarantined,
    long rowsInserted,
    long rowsUpdated,
    long rowsDeleted,
    Long snapshotId,
    List<String> failedRules,
    String error) {

  static PartitionResult skipped(String partitionKey) {
    return new PartitionResult(partitionKey, BackfillStatus.SKIPPED, 0, 0, 0, 0, 0, null, List.of(), null);
  }
}
