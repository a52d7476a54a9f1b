package io.lakehouseops.backfill;

/**
 * What to backfill: the dataset, the range and why, where the rows come from (the raw zone
 * when both source fields are null) and how: replace missing rows, dry run.
 */
public record BackfillRequest(
    String dataset,
    BackfillRange range,
    TriggeredBy triggeredBy,
    String sourceTable,
    String sourceSql,
    String backfillId,
    boolean deleteMissing,
    boolean dryRun,
    String runId,
    String dagRunId) {

  public boolean fromRaw() {
    return sourceTable == null && sourceSql == null;
  }

  /** The source as the report and the lineage name it. */
  public String sourceLabel() {
    if (sourceTable != null) {
      return "table " + sourceTable;
    }
    return sourceSql != null ? "query" : "raw";
  }
}
