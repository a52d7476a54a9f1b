package io.lakehouseops.promote;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.PublishResult;
import io.lakehouseops.ops.QualityRun;
import io.lakehouseops.ops.ReportWriter;
import io.lakehouseops.quality.AnomalyScore;
import io.lakehouseops.quality.GateResult;
import io.lakehouseops.quality.RuleOutcome;
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

  void schemaChanges(List<SchemaChange> changes) {
    schemaChanges = changes;
  }

  /** A breaking schema is the failed rule `schema`, one outcome per field. */
  void schemaViolations(List<ContractViolation> violations, List<String> conflicts) {
    violations.forEach(v -> schemaOutcomes.add(new RuleOutcome("schema", "error", false, null, v.message())));
    conflicts.forEach(c -> schemaOutcomes.add(new RuleOutcome("schema", "error", false, null, c)));
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
        gate == null ? "failed" : gate.passed() ? "passed" : "failed", outcomes(), anomalies);
  }

  QualityRun qualityRun(PromoteRun run, String status, Long snapshotId) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("rules", outcomes());
    details.put("anomalies", gate == null ? List.of() : gate.anomalies());
    details.put("schema_changes", schemaChanges);
    details.put("rows_quarantined", rowsQuarantined);
    return new QualityRun(run.runId(), run.dagRunId(), dataset.name(), partition.key(), status,
        gate == null ? 0 : gate.rulesPassed(),
        (gate == null ? 0 : gate.rulesFailed()) + schemaOutcomes.size(),
        gate == null ? null : gate.anomalyScore(), gate == null ? rowsRead : gate.rowCount(),
        snapshotId, ReportWriter.toJson(details));
  }
}
