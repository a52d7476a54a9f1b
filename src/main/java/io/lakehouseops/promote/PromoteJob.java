package io.lakehouseops.promote;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.config.LakehouseSettings;
import io.lakehouseops.iceberg.CuratedTable;
import io.lakehouseops.iceberg.PublishResult;
import io.lakehouseops.iceberg.StagedAppend;
import io.lakehouseops.iceberg.WriteAuditPublish;
import io.lakehouseops.ops.JobOutcome;
import io.lakehouseops.ops.RunStatus;
import io.lakehouseops.quality.GateResult;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Promotes one raw partition to the curated table: the shared pipeline reads, checks, cleans
 * and gates it; what passes is published write-audit-publish, what fails is quarantined. Into
 * a table that needs no change, the rows are written to the audit branch first and gated there.
 */
public final class PromoteJob {
  private static final Logger LOG = LoggerFactory.getLogger(PromoteJob.class);

  private final SparkSession spark;
  private final DatasetSettings dataset;
  private final RawPartition partition;
  private final PromoteRun run;
  private final PartitionPipeline pipeline;

  public PromoteJob(SparkSession spark, LakehouseSettings settings, DatasetSettings dataset,
      RawPartition partition, PromoteRun run) {
    this.spark = spark;
    this.dataset = dataset;
    this.partition = partition;
    this.run = run;
    this.pipeline = new PartitionPipeline(spark, settings, dataset);
  }

  public JobOutcome execute() throws IOException {
    PartitionPipeline.Inspected inspected = pipeline.inspect(partition);
    StagedPartition rejected = inspected.rejected();
    if (rejected != null) {
      return rejected.stage() == StagedPartition.Stage.NO_DATA ? noData(rejected) : schemaFailed(rejected);
    }
    String source = inspected.batch().path();
    if (run.dryRun() || !CuratedTable.acceptsWriteFirst(spark, dataset, inspected.plan(), source)) {
      // Nothing may be written (a dry run), the table must change first (created, evolved), or
      // the partition was published before: the rows are cached, gated, and only then written.
      try (StagedPartition read = pipeline.read(inspected)) {
        return gateAndPublish(pipeline.gate(read), null);
      }
    }
    // Written once, before the gate, to an audit branch main does not see: the gate, dedupe
    // and audit then read the written Parquet (only the columns each needs), where caching
    // the raw rows cost about as much as writing them (README, Performance).
    StagedAppend written;
    try {
      written = wap().stage(pipeline.normalized(inspected), run.runId(), lineage(source));
    } catch (Exception e) { // Spark's SparkException is checked, yet thrown undeclared
      // The raw rows are read only now, as they are written: a malformed JSON line fails here.
      MalformedJson.throwIfCaused(e, source);
      throw e;
    }
    try (written; StagedPartition read = pipeline.readWritten(inspected, written)) {
      return gateAndPublish(pipeline.gate(read), written);
    }
  }

  /** The gate's verdict applied: quarantined, or published (from what written holds, when not null). */
  private JobOutcome gateAndPublish(StagedPartition staged, StagedAppend written) {
    PromoteReport report = staged.report();
    GateResult gate = staged.gate();
    if (run.dryRun()) {
      pipeline.record(staged, run, "skipped", null);
      return new JobOutcome(RunStatus.SUCCEEDED, report.result(null), "dry run: the gate would "
          + (gate.passed() ? "pass" : "fail on " + gate.failedRules()) + "; nothing was written");
    }
    Dataset<Row> admitted = pipeline.admit(staged, run.runId());
    if (admitted == null) {
      pipeline.record(staged, run, "failed", null);
      return new JobOutcome(RunStatus.QUALITY_FAILED, report.result(null), "quality gate failed on "
          + gate.failedRules() + ": " + report.rowsQuarantined() + " rows quarantined to "
          + pipeline.quarantineTable() + ", nothing published");
    }
    PublishResult published = publish(admitted, staged, written);
    report.published(published);
    pipeline.record(staged, run, "passed", published.snapshotId());
    String message = published.rowsInserted() + published.rowsUpdated() == 0
        ? "already published: 0 rows inserted, curated unchanged"
        : published.rowsInserted() + " rows inserted, " + published.rowsUpdated() + " updated";
    return new JobOutcome(RunStatus.SUCCEEDED, report.result(published.snapshotId()),
        message + (gate.warnings().isEmpty() ? "" : "; warnings: " + gate.warnings()));
  }

  /**
   * Every row admitted as the branch holds it: the written batch is published as it is.
   * Otherwise (rows quarantined, or gated first) the admitted rows are published as a batch;
   * rows read from a written snapshot are cached first, as a snapshot-pinned read cannot be
   * planned while the publish writes under spark.wap.branch.
   */
  private PublishResult publish(Dataset<Row> admitted, StagedPartition staged, StagedAppend written) {
    if (written != null && admitted == staged.cleaned()) {
      return wap().publishStaged(written, admitted, run.runId(), lineage(staged.source()));
    }
    Dataset<Row> rows = written == null ? admitted : admitted.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      CuratedTable.prepare(spark, dataset, staged.plan());
      return wap().publish(rows, run.runId(), lineage(staged.source()));
    } finally {
      if (written != null) {
        rows.unpersist();
      }
    }
  }

  private WriteAuditPublish wap() {
    return new WriteAuditPublish(spark, dataset.table(), dataset.keys(), dataset.eventTime(), dataset.appendOnly());
  }

  /** The snapshot-summary properties of the curated commit. */
  private Map<String, String> lineage(String source) {
    Map<String, String> lineage = new LinkedHashMap<>();
    lineage.put("lakehouse.command", "promote");
    lineage.put("lakehouse.run-id", run.runId());
    lineage.put("lakehouse.quality-run-id", run.runId());
    lineage.put("lakehouse.source-partition", source);
    if (run.dagRunId() != null) {
      lineage.put("lakehouse.dag-run-id", run.dagRunId());
    }
    return lineage;
  }

  private JobOutcome noData(StagedPartition staged) {
    String message = "raw partition " + staged.source() + " is missing or empty";
    if (dataset.quality().requireData()) {
      throw new MissingRawDataException("Cannot promote " + dataset.name() + " " + partition.key()
          + ": " + message + " (lakehouse.datasets." + dataset.name() + ".quality.require-data = true)");
    }
    LOG.info("Nothing to promote: {}", message);
    return JobOutcome.nothingToDo(staged.report().result(null), message);
  }

  private JobOutcome schemaFailed(StagedPartition staged) {
    pipeline.record(staged, run, run.dryRun() ? "skipped" : "failed", null);
    return new JobOutcome(RunStatus.QUALITY_FAILED, staged.report().result(null),
        "schema contract broken: " + staged.failedRules() + "; nothing read or published (fix the "
            + "producer or the contract " + dataset.contract() + ")");
  }
}
