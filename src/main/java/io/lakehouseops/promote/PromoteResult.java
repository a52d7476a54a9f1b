package io.lakehouseops.promote;

import io.lakehouseops.quality.AnomalyScore;
import io.lakehouseops.quality.RuleOutcome;
import io.lakehouseops.schema.SchemaChange;
import java.util.List;

/**
 * The report's result for promote. published_before: set when the partition was published
 * before; corrections_kept: what a --republish left alone; rows_erased: raw rows of keys an
 * erasure request removed (ops.erasure_ledger), withheld from the publish; certification: the
 * tag and branch of a clean publish, or why it was not certified (null when nothing was published).
 */
public record PromoteResult(
    String dataset,
    String partition,
    String rawPath,
    long rowsRead,
    long rowsAfterDedupe,
    long duplicatesRemoved,
    long rowsQuarantined,
    long rowsInserted,
    long rowsUpdated,
    int rulesPassed,
    int rulesFailed,
    Double anomalyScore,
    List<String> failedRules,
    List<String> warnings,
    List<SchemaChange> schemaChanges,
    Long snapshotId,
    String table,
    String quarantineTable,
    QualityStatus qualityStatus,
    List<RuleOutcome> rules,
    List<AnomalyScore> anomalies,
    PublishedBefore publishedBefore,
    List<KeptCorrection> correctionsKept,
    long rowsErased,
    Certification certification) {

  /** The earlier publish of the partition (null on its first): who, which snapshot, when (ISO-8601). */
  public record PublishedBefore(String runId, Long snapshotId, String publishedAt) {}

  /**
   * An event date a backfill corrected, which a re-promote left as the backfill left it: the
   * rows of it the raw partition would have inserted and updated.
   */
  public record KeptCorrection(String eventDate, String backfillId, String triggeredBy, String correctedAt,
      long rowsNotInserted, long rowsNotUpdated) {}
}
