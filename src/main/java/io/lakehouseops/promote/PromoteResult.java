package io.lakehouseops.promote;

import io.lakehouseops.quality.AnomalyScore;
import io.lakehouseops.quality.RuleOutcome;
import io.lakehouseops.schema.SchemaChange;
import java.util.List;

/** The report's result for promote. */
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
    String qualityStatus,
    List<RuleOutcome> rules,
    List<AnomalyScore> anomalies) {}
