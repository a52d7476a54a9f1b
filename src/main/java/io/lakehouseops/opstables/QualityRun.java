package io.lakehouseops.opstables;

/** One row of ops.data_quality_runs: one gate run (passed, failed, or skipped for a dry run). */
public record QualityRun(
    String runId,
    String dagRunId,
    String dataset,
    String partitionKey,
    GateStatus status,
    int rulesPassed,
    int rulesFailed,
    Double anomalyScore,
    long rowCount,
    Long snapshotId,
    String detailsJson) {}
