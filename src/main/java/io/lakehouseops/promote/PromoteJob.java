package io.lakehouseops.promote;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.config.LakehouseSettings;
import io.lakehouseops.iceberg.CuratedTable;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.opstables.BackfillAuditLog;
import io.lakehouseops.opstables.GateStatus;
import io.lakehouseops.opstables.PublishedRun;
import io.lakehouseops.opstables.QualityRunsTable;
import io.lakehouseops.opstables.RunKind;
import io.lakehouseops.publish.PublishResult;
import io.lakehouseops.publish.RowChanges;
import io.lakehouseops.publish.StagedAppend;
import io.lakehouseops.publish.StagedPublish;
import io.lakehouseops.publish.WriteAuditPublish;
import io.lakehouseops.quality.GateResult;
import io.lakehouseops.quality.QualitySettings;
import io.lakehouseops.run.BadInputException;
import io.lakehouseops.run.JobOutcome;
import io.lakehouseops.run.RunStatus;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
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
  private final Republish republish;
  private final PublishHistory history;
  private final CorrectionHold corrections;
  /** The partition's earlier publish, or null; and its raw files' fingerprint: set by execute. */
  private PublishedRun earlier;
  private String fingerprint;

  public PromoteJob(SparkSession spark, LakehouseSettings settings, DatasetSettings dataset,
      RawPartition partition, PromoteRun run, Republish republish) {
    this.spark = spark;
    this.dataset = dataset;
    this.partition = partition;
    this.run = run;
    this.republish = republish;
    this.pipeline = new PartitionPipeline(spark, settings, dataset, RunKind.PROMOTE);
    this.history = new PublishHistory(spark, dataset, new QualityRunsTable(spark,
        settings.opsTable(QualityRunsTable.NAME)));
    this.corrections = new CorrectionHold(dataset, new BackfillAuditLog(spark,
        settings.opsTable(BackfillAuditLog.NAME)));
  }

  public JobOutcome execute() throws IOException {
    PartitionPipeline.Inspected inspected = pipeline.inspect(partition);
    if (inspected.rejected().isPresent()) {
      StagedPartition rejected = inspected.rejected().get();
      return rejected.stage() == StagedPartition.Stage.NO_DATA ? noData(rejected) : schemaFailed(rejected);
    }
    String source = inspected.batch().path();
    earlier = history.last(partition, source);
    if (earlier != null) {
      inspected.report().publishedBefore(earlier);
      if (earlier.recorded() && republish == Republish.NO) {
        return alreadyPublished(inspected);
      }
      LOG.info(earlier.recorded() ? "Promoting {} again (--republish); run {} published it in snapshot {}"
          : "Completing the publish of {}: run {} published snapshot {} and stopped before recording it",
          source, earlier.runId(), earlier.snapshotId());
    }
    fingerprint = inspected.batch().fingerprint();
    inspected.report().publishRecord(source, fingerprint);
    if (run.dryRun() || earlier != null || !CuratedTable.acceptsWriteFirst(spark, dataset, inspected.plan())) {
      // Nothing may be written (a dry run), the partition was published before, or the table
      // must change first (created, evolved): the rows are cached, gated, and only then written.
      try (StagedPartition read = pipeline.read(inspected)) {
        return gateAndPublish(pipeline.gate(read), null);
      }
    }
    // Written once, before the gate, to an audit branch main does not see: the gate, dedupe
    // and audit then read the written Parquet (only the columns each needs), where caching
    // the raw rows cost about as much as writing them (docs/performance.md).
    StagedAppend written;
    try {
      written = staged().stage(pipeline.normalized(inspected), run.runId(), lineage(source));
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
      pipeline.record(staged, run, GateStatus.SKIPPED, null);
      return new JobOutcome(RunStatus.SUCCEEDED, report.result(null), "dry run: the gate would "
          + (gate.passed() ? "pass" : "fail on " + gate.failedRules()) + "; nothing was written");
    }
    Admitted admitted = pipeline.admit(staged, run.runId());
    if (admitted.nothing()) {
      pipeline.record(staged, run, GateStatus.FAILED, null);
      return new JobOutcome(RunStatus.QUALITY_FAILED, report.result(null), "quality gate failed on "
          + gate.failedRules() + ": " + report.rowsQuarantined() + " rows quarantined to "
          + pipeline.quarantineTable() + ", nothing published");
    }
    Dataset<Row> rows = admitted.rows();
    List<PromoteResult.KeptCorrection> kept = List.of();
    if (earlier != null && republish != Republish.OVERWRITE_CORRECTIONS) {
      CorrectionHold.Split split = corrections.split(rows, wap());
      rows = split.publishable();
      kept = split.kept();
      report.correctionsKept(kept);
    }
    PublishResult published = publish(rows, admitted.share() == Admitted.Share.ALL, staged, written);
    report.published(published);
    report.publishedInto(Tables.load(spark, dataset.table()).uuid().toString());
    // A re-promote that changed nothing committed nothing: main's current snapshot may be a
    // later, unrelated one; the partition's rows are still those the earlier publish committed.
    Long publishedIn = earlier != null && published.changes().equals(RowChanges.NONE) ? earlier.snapshotId()
        : published.snapshotId();
    pipeline.record(staged, run, GateStatus.PASSED, publishedIn);
    Certification certification = new Certifier(spark, dataset).certify(publishedIn, partition, gate,
        report.rowsQuarantined());
    report.certification(certification);
    String message = published.rowsInserted() + published.rowsUpdated() == 0
        ? "0 rows inserted, 0 updated: curated unchanged"
        : published.rowsInserted() + " rows inserted, " + published.rowsUpdated() + " updated";
    return new JobOutcome(RunStatus.SUCCEEDED, report.result(publishedIn),
        message + kept(kept) + (gate.warnings().isEmpty() ? "" : "; warnings: " + gate.warnings()));
  }

  /** The corrections a republish kept, for the message: empty when none. */
  private static String kept(List<PromoteResult.KeptCorrection> kept) {
    if (kept.isEmpty()) {
      return "";
    }
    long rows = kept.stream().mapToLong(k -> k.rowsNotInserted() + k.rowsNotUpdated()).sum();
    return "; kept the backfill's rows of " + kept.stream().map(k -> k.eventDate() + " (" + k.backfillId() + ")")
        .toList() + ": " + rows + " raw rows would have reverted them (--overwrite-corrections replaces them)";
  }

  /**
   * The partition was published before and the user did not ask for it again: settled from
   * the record of that publish, nothing read or written. A partition whose files changed since
   * is refused: its new rows are not in curated, and only the user can say whether to merge them.
   */
  private JobOutcome alreadyPublished(PartitionPipeline.Inspected inspected) {
    String by = "run " + earlier.runId() + " published it in snapshot " + earlier.snapshotId() + " at "
        + earlier.publishedAt();
    if (earlier.sourceFingerprint() != null && !earlier.sourceFingerprint().equals(inspected.batch().fingerprint())) {
      throw new BadInputException("Cannot promote " + dataset.name() + " " + partition.key() + ": raw partition "
          + inspected.batch().path() + " changed since " + by + " (files added, removed or rewritten); check "
          + "them, then promote it again with --republish (dates a backfill corrected keep its rows)");
    }
    return JobOutcome.nothingToDo(inspected.report().result(earlier.snapshotId()), "already published: " + by
        + "; nothing read or written (--republish promotes it again through the gate)");
  }

  /**
   * Every row admitted (everyRow) as the branch holds it: the written batch is published as it
   * is. Otherwise (rows quarantined, or gated first) the admitted rows are published as a batch;
   * rows read from a written snapshot are cached first, as a snapshot-pinned read cannot be
   * planned while the publish writes under spark.wap.branch.
   */
  private PublishResult publish(Dataset<Row> admitted, boolean everyRow, StagedPartition staged,
      StagedAppend written) {
    if (written != null && everyRow) {
      return staged().publish(written, admitted, run.runId(), lineage(staged.source()));
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

  private StagedPublish staged() {
    return new StagedPublish(spark, dataset.table(), dataset.keys(), dataset.eventTime(), wap());
  }

  /** The snapshot-summary properties of the curated commit. */
  private Map<String, String> lineage(String source) {
    Map<String, String> lineage = new LinkedHashMap<>();
    lineage.put(PublishHistory.COMMAND, "promote");
    lineage.put(PublishHistory.RUN_ID, run.runId());
    lineage.put("lakehouse.quality-run-id", run.runId());
    lineage.put(PublishHistory.SOURCE_PARTITION, source);
    lineage.put(PublishHistory.SOURCE_FINGERPRINT, fingerprint);
    if (run.dagRunId() != null) {
      lineage.put("lakehouse.dag-run-id", run.dagRunId());
    }
    return lineage;
  }

  private JobOutcome noData(StagedPartition staged) {
    String message = "raw partition " + staged.source() + " is missing or empty";
    if (QualitySettings.of(dataset).requireData()) {
      throw new MissingRawDataException("Cannot promote " + dataset.name() + " " + partition.key()
          + ": " + message + " (lakehouse.datasets." + dataset.name() + ".quality.require-data = true)");
    }
    LOG.info("Nothing to promote: {}", message);
    return JobOutcome.nothingToDo(staged.report().result(null), message);
  }

  private JobOutcome schemaFailed(StagedPartition staged) {
    pipeline.record(staged, run, run.dryRun() ? GateStatus.SKIPPED : GateStatus.FAILED, null);
    return new JobOutcome(RunStatus.QUALITY_FAILED, staged.report().result(null),
        "schema contract broken: " + staged.failedRules() + "; nothing read or published (fix the "
            + "producer or the contract " + dataset.contract() + ")");
  }
}
