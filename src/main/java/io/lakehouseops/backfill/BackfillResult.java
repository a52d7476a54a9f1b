package io.lakehouseops.backfill;

import java.util.List;

/** The report's result for backfill. */
public record BackfillResult(
    String backfillId,
    String dataset,
    String table,
    String from,
    String to,
    String triggeredBy,
    String source,
    boolean deleteMissing,
    boolean dryRun,
    int chunks,
    int partitionsDone,
    int partitionsSkipped,
    int partitionsFailed,
    int partitionsNoData,
    long rowsInserted,
    long rowsUpdated,
    long rowsDeleted,
    long rowsAffected,
    long supersededRunningRows,
    List<Long> snapshots,
    String auditTable,
    String quarantineTable,
    List<PartitionResult> partitions) {}
