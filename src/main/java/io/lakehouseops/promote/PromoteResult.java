package io.lakehouseops.promote;

import io.lakehouseops.lineage.HasLineage;
import io.lakehouseops.lineage.LineageDataset;
import io.lakehouseops.lineage.LineageDatasets;
import io.lakehouseops.lineage.QualityAssertion;
import io.lakehouseops.quality.AnomalyScore;
import io.lakehouseops.quality.AnomalyVerdict;
import io.lakehouseops.quality.RuleOutcome;
import io.lakehouseops.schema.SchemaChange;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    Certification certification) implements HasLineage {

  private static final Pattern ONE_COLUMN = Pattern.compile("\\((\\w+)\\)");

  /**
   * The raw partition in, with the gate's rules and anomaly checks as data-quality
   * assertions; the curated table out, and the quarantine table when rows went there.
   */
  @Override
  public LineageDatasets lineageDatasets() {
    List<QualityAssertion> assertions = new ArrayList<>();
    rules.forEach(rule -> assertions.add(new QualityAssertion(rule.rule(), rule.passed(), column(rule.rule()))));
    anomalies.forEach(score -> assertions.add(new QualityAssertion("anomaly(" + score.metric() + ")",
        score.verdict() != AnomalyVerdict.BLOCK, null)));
    List<LineageDataset> outputs = new ArrayList<>();
    if (table != null) {
      outputs.add(LineageDataset.table(table));
    }
    if (rowsQuarantined > 0 && quarantineTable != null) {
      outputs.add(LineageDataset.table(quarantineTable));
    }
    return new LineageDatasets(rawPath == null ? List.of()
        : List.of(LineageDataset.location(rawPath).withAssertions(assertions)), outputs);
  }

  /** The column a rule checks, when it names one: complete(event_id) -> event_id. */
  private static String column(String rule) {
    Matcher matcher = ONE_COLUMN.matcher(rule);
    return matcher.find() ? matcher.group(1) : null;
  }

  /** The earlier publish of the partition (null on its first): who, which snapshot, when (ISO-8601). */
  public record PublishedBefore(String runId, Long snapshotId, String publishedAt) {}

  /**
   * An event date a backfill corrected, which a re-promote left as the backfill left it: the
   * rows of it the raw partition would have inserted and updated.
   */
  public record KeptCorrection(String eventDate, String backfillId, String triggeredBy, String correctedAt,
      long rowsNotInserted, long rowsNotUpdated) {}
}
