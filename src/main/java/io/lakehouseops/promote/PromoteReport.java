package io.lakehouseops.promote;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.opstables.GateStatus;
import io.lakehouseops.opstables.PublishedRun;
import io.lakehouseops.opstables.QualityRun;
import io.lakehouseops.opstables.QualityRunsTable;
import io.lakehouseops.publish.PublishResult;
import io.lakehouseops.quality.AnomalyScore;
import io.lakehouseops.quality.GateResult;
import io.lakehouseops.quality.RuleLevel;
import io.lakehouseops.quality.RuleOutcome;
import io.lakehouseops.run.ReportWriter;
import io.lakehouseops.schema.ContractViolation;
import io.lakehouseops.schema.SchemaChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects what a promotion found and did, for the report and the quality-run row. */
public final class PromoteReport {
  private final DatasetSettings dataset;
  private final RawPartition partition;
  private final String rawPath;
  private final TableRef quarantineTable;
  private long rowsRead;
  private long rowsAfterDedupe;
  private long rowsQuarantined;
  private PublishResult published;
  private GateResult gate;
  private List<SchemaChange> schemaChanges = List.of();
  private PromoteResult.PublishedBefore publishedBefore;
  private List<PromoteResult.KeptCorrection> correctionsKept = List.of();
  private long rowsErased;
  private Certification certification;
  private final Map<String, Object> publishRecord = new LinkedHashMap<>();
  private final List<RuleOutcome> schemaOutcomes = new ArrayList<>();

  PromoteReport(DatasetSettings dataset, RawPartition partition, String rawPath, TableRef quarantineTable) {
    this.dataset = dataset;
    this.partition = partition;
    this.rawPath = rawPath;
    this.quarantineTable = quarantineTable;
  }

  public long rowsRead() {
    return rowsRead;
  }

  void rowsRead(long rows) {
    rowsRead = rows;
  }

  void rowsAfterDedupe(long rows) {
    rowsAfterDedupe = rows;
  }

  void rowsQuarantined(long rows) {
    rowsQuarantined = rows;
  }

  public long rowsQuarantined() {
    return rowsQuarantined;
  }

  void gate(GateResult result) {
    gate = result;
  }

  void published(PublishResult result) {
    published = result;
  }

  void publishedBefore(PublishedRun earlier) {
    publishedBefore = new PromoteResult.PublishedBefore(earlier.runId(), earlier.snapshotId(),
        earlier.publishedAt().toString());
  }

  void certification(Certification value) {
    certification = value;
  }

  void rowsErased(long rows) {
    rowsErased = rows;
  }

  void correctionsKept(List<PromoteResult.KeptCorrection> kept) {
    correctionsKept = List.copyOf(kept);
  }

  /**
   * What makes a passed quality-run row the record of this publish (see QualityRunsTable): the
   * raw partition and its files' fingerprint, then (publishedInto) the curated table's uuid.
   */
  void publishRecord(String source, String fingerprint) {
    publishRecord.put(QualityRunsTable.PUBLISHED_FROM, source);
    publishRecord.put(QualityRunsTable.SOURCE_FINGERPRINT, fingerprint);
  }

  void publishedInto(String tableUuid) {
    publishRecord.put(QualityRunsTable.TABLE_UUID, tableUuid);
  }

  void schemaChanges(List<SchemaChange> changes) {
    schemaChanges = changes;
  }

  /** A breaking schema is the failed rule `schema`, one outcome per field. */
  void schemaViolations(List<ContractViolation> violations, List<String> conflicts) {
    violations.forEach(v -> schemaOutcomes.add(new RuleOutcome("schema", RuleLevel.ERROR, false, null, v.message())));
    conflicts.forEach(c -> schemaOutcomes.add(new RuleOutcome("schema", RuleLevel.ERROR, false, null, c)));
  }

  public List<String> failedRules() {
    List<String> failed = new ArrayList<>();
    schemaOutcomes.forEach(o -> failed.add("schema: " + o.message()));
    if (gate != null) {
      failed.addAll(gate.failedRules());
    }
    return failed;
  }

  private List<RuleOutcome> outcomes() {
    List<RuleOutcome> outcomes = new ArrayList<>(schemaOutcomes);
    if (gate != null) {
      outcomes.addAll(gate.outcomes());
    }
    return outcomes;
  }

  PromoteResult result(Long snapshotId) {
    List<AnomalyScore> anomalies = gate == null ? List.of() : gate.anomalies();
    return new PromoteResult(dataset.name(), partition.key(), rawPath, rowsRead, rowsAfterDedupe,
        rowsRead - rowsAfterDedupe, rowsQuarantined,
        published == null ? 0 : published.rowsInserted(),
        published == null ? 0 : published.rowsUpdated(),
        gate == null ? 0 : gate.rulesPassed(),
        (gate == null ? 0 : gate.rulesFailed()) + schemaOutcomes.size(),
        gate == null ? null : gate.anomalyScore(), failedRules(),
        gate == null ? List.of() : gate.warnings(), schemaChanges, snapshotId,
        dataset.table().name(), quarantineTable.name(),
        qualityStatus(), outcomes(), anomalies, publishedBefore,
        correctionsKept, rowsErased, certification);
  }

  private QualityStatus qualityStatus() {
    if (gate != null) {
      return gate.passed() ? QualityStatus.PASSED : QualityStatus.FAILED;
    }
    return schemaOutcomes.isEmpty() ? QualityStatus.NOT_RUN : QualityStatus.FAILED;
  }

  QualityRun qualityRun(PromoteRun run, GateStatus status, Long snapshotId) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("rules", outcomes());
    details.put("anomalies", gate == null ? List.of() : gate.anomalies());
    details.put("schema_changes", schemaChanges);
    details.put("rows_quarantined", rowsQuarantined);
    details.putAll(publishRecord);
    return new QualityRun(run.runId(), run.dagRunId(), dataset.name(), partition.key(), status,
        gate == null ? 0 : gate.rulesPassed(),
        (gate == null ? 0 : gate.rulesFailed()) + schemaOutcomes.size(),
        gate == null ? null : gate.anomalyScore(), gate == null ? rowsRead : gate.rowCount(),
        snapshotId, ReportWriter.toJson(details));
  }
}
