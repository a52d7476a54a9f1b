package io.lakehouseops.promote;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.config.LakehouseSettings;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.PartitionColumns;
import io.lakehouseops.iceberg.PublishResult;
import io.lakehouseops.iceberg.SchemaEvolution;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.iceberg.WriteAuditPublish;
import io.lakehouseops.ops.FaultInjection;
import io.lakehouseops.ops.JobOutcome;
import io.lakehouseops.ops.QualityMetricsTable;
import io.lakehouseops.ops.QualityRunsTable;
import io.lakehouseops.ops.RunStatus;
import io.lakehouseops.quality.GateResult;
import io.lakehouseops.quality.QualityGate;
import io.lakehouseops.schema.ContractCheck;
import io.lakehouseops.schema.ContractLoader;
import io.lakehouseops.schema.SchemaContract;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Promotes one raw partition to the curated table: read, check the contract, clean, gate,
 * then quarantine what fails and publish what passes write-audit-publish. The raw zone is
 * only ever read.
 */
public final class PromoteJob {
  private static final Logger LOG = LoggerFactory.getLogger(PromoteJob.class);

  private final SparkSession spark;
  private final DatasetSettings dataset;
  private final RawPartition partition;
  private final PromoteRun run;
  private final QualityRunsTable qualityRuns;
  private final QualityMetricsTable qualityMetrics;
  private final QuarantineWriter quarantine;

  public PromoteJob(SparkSession spark, LakehouseSettings settings, DatasetSettings dataset,
      RawPartition partition, PromoteRun run) {
    dataset.requirePromotable();
    this.spark = spark;
    this.dataset = dataset;
    this.partition = partition;
    this.run = run;
    this.qualityRuns = new QualityRunsTable(spark, settings.opsTable(QualityRunsTable.NAME));
    this.qualityMetrics = new QualityMetricsTable(spark, settings.opsTable(QualityMetricsTable.NAME));
    this.quarantine = new QuarantineWriter(new TableRef(settings.catalog().name(),
        settings.namespaces().quarantine(), dataset.name()));
  }

  public JobOutcome execute() throws IOException {
    spark.sparkContext().setJobDescription("lakehouse-ops promote: read " + dataset.name() + " " + partition.key());
    SchemaContract contract = new SchemaContract(
        ContractLoader.load(dataset, spark.sparkContext().hadoopConfiguration()));
    RawPartitionReader reader = new RawPartitionReader(spark, dataset);
    RawBatch batch = reader.list(partition);
    PromoteReport report = new PromoteReport(dataset, partition, batch.path(), quarantine.table());
    if (batch.isEmpty()) {
      return noData(batch, report);
    }
    ContractCheck check = "avro".equals(dataset.rawFormat())
        ? contract.check(batch.writerSchemas())
        : contract.check(Map.of());
    boolean tableExists = Tables.exists(spark, dataset.table());
    SchemaEvolution.Plan plan = tableExists
        ? SchemaEvolution.plan(spark.table(dataset.table().name()).schema(), check.effectiveSchema())
        : new SchemaEvolution.Plan(check.effectiveSchema(), check.additiveChanges(), List.of());
    report.schemaChanges(plan.changes());
    if (!check.compatible() || !plan.conflicts().isEmpty()) {
      return schemaFailed(check, plan, report);
    }

    Dataset<Row> raw = reader.read(batch, plan.target()).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> cleaned = new RowCleaner(dataset).clean(raw).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long rowsRead = raw.count();
      long rowsAfterDedupe = cleaned.count();
      report.rowsRead(rowsRead);
      report.rowsAfterDedupe(rowsAfterDedupe);
      LOG.info("Read {} rows from {} files of {} ({} after dedupe)", rowsRead, batch.files().size(),
          batch.path(), rowsAfterDedupe);
      FaultInjection.point("promote.after-read");
      GateResult gate = new QualityGate(dataset.quality(), qualityMetrics)
          .evaluate(cleaned, dataset.name(), partition.key());
      report.gate(gate);
      LOG.info("Quality gate {}: failed {}, warnings {}, anomaly score {}",
          gate.passed() ? "passed" : "failed", gate.failedRules(), gate.warnings(), gate.anomalyScore());
      FaultInjection.point("promote.after-gate");
      if (run.dryRun()) {
        recordRun("skipped", gate, null, report);
        return new JobOutcome(RunStatus.SUCCEEDED, report.result(null), "dry run: the gate would "
            + (gate.passed() ? "pass" : "fail on " + gate.failedRules()) + "; nothing was written");
      }
      QuarantineSplit split = new QuarantineSplit(dataset.quality(), gate, cleaned);
      if (!split.publishable()) {
        report.rowsQuarantined(quarantine.write(split.allRows(), run.runId(), batch.path()));
        recordRun("failed", gate, null, report);
        return new JobOutcome(RunStatus.QUALITY_FAILED, report.result(null), "quality gate failed on "
            + gate.failedRules() + ": " + report.rowsQuarantined() + " rows quarantined to "
            + quarantine.table() + ", nothing published");
      }
      if (split.hasBadRows()) {
        report.rowsQuarantined(quarantine.write(split.badRows(), run.runId(), batch.path()));
      }
      FaultInjection.point("promote.after-quarantine-write");
      PublishResult published = publish(split.goodRows(), plan, batch.path());
      report.published(published);
      recordRun("passed", gate, published.snapshotId(), report);
      String message = published.rowsInserted() + published.rowsUpdated() == 0
          ? "already published: 0 rows inserted, curated unchanged"
          : published.rowsInserted() + " rows inserted, " + published.rowsUpdated() + " updated";
      return new JobOutcome(RunStatus.SUCCEEDED, report.result(published.snapshotId()),
          message + (gate.warnings().isEmpty() ? "" : "; warnings: " + gate.warnings()));
    } finally {
      cleaned.unpersist();
      raw.unpersist();
    }
  }

  private PublishResult publish(Dataset<Row> rows, SchemaEvolution.Plan plan, String source) {
    TableRef table = dataset.table();
    if (!Tables.exists(spark, table)) {
      Tables.createIfMissing(spark, table, plan.target(),
          PartitionColumns.of(dataset.partitionBy(), "lakehouse.datasets." + dataset.name() + ".partition-by"),
          Map.of("write.wap.enabled", "true"));
    } else {
      SchemaEvolution.apply(Tables.load(spark, table), plan.changes(), plan.target());
    }
    Map<String, String> lineage = new LinkedHashMap<>();
    lineage.put("lakehouse.command", "promote");
    lineage.put("lakehouse.run-id", run.runId());
    lineage.put("lakehouse.quality-run-id", run.runId());
    lineage.put("lakehouse.source-partition", source);
    if (run.dagRunId() != null) {
      lineage.put("lakehouse.dag-run-id", run.dagRunId());
    }
    return new WriteAuditPublish(spark, table, dataset.keys(), dataset.eventTime(), dataset.appendOnly())
        .publish(rows, run.runId(), lineage);
  }

  private JobOutcome noData(RawBatch batch, PromoteReport report) {
    String message = "raw partition " + batch.path() + " is missing or empty";
    if (dataset.quality().requireData()) {
      throw new MissingRawDataException("Cannot promote " + dataset.name() + " " + partition.key()
          + ": " + message + " (lakehouse.datasets." + dataset.name() + ".quality.require-data = true)");
    }
    LOG.info("Nothing to promote: {}", message);
    return JobOutcome.nothingToDo(report.result(null), message);
  }

  private JobOutcome schemaFailed(ContractCheck check, SchemaEvolution.Plan plan, PromoteReport report) {
    report.schemaViolations(check.violations(), plan.conflicts());
    if (!run.dryRun()) {
      recordRun("failed", null, null, report);
    } else {
      recordRun("skipped", null, null, report);
    }
    return new JobOutcome(RunStatus.QUALITY_FAILED, report.result(null),
        "schema contract broken: " + report.failedRules() + "; nothing read or published (fix the "
            + "producer or the contract " + dataset.contract() + ")");
  }

  private void recordRun(String status, GateResult gate, Long snapshotId, PromoteReport report) {
    qualityRuns.record(report.qualityRun(run, status, snapshotId));
    if (gate != null && !"skipped".equals(status)) {
      qualityMetrics.record(dataset.name(), partition.key(), run.runId(), gate.metrics(), status);
    }
  }
}
