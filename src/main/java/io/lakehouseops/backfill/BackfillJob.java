package io.lakehouseops.backfill;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.config.LakehouseSettings;
import io.lakehouseops.faults.FaultInjection;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.opstables.BackfillAuditLog;
import io.lakehouseops.opstables.BackfillStatus;
import io.lakehouseops.opstables.RunKind;
import io.lakehouseops.promote.PartitionPipeline;
import io.lakehouseops.run.BadInputException;
import io.lakehouseops.run.JobOutcome;
import io.lakehouseops.run.RunStatus;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reprocesses a range of event dates into the curated table, chunk by chunk: each partition
 * takes promote's path (read, contract, clean, gate; quarantine what fails) or comes from a
 * corrected source, then the chunk's rows are MERGEd write-audit-publish as one commit. Every
 * partition attempt is a row of ops.backfill_audit_log, written `running` first, so a crash is
 * visible and a re-run with the same backfill id redoes only what did not succeed.
 */
public final class BackfillJob {
  private static final Logger LOG = LoggerFactory.getLogger(BackfillJob.class);

  private final SparkSession spark;
  private final DatasetSettings dataset;
  private final BackfillRequest request;
  private final PartitionPipeline pipeline;
  private final BackfillAuditLog audit;

  public BackfillJob(SparkSession spark, LakehouseSettings settings, DatasetSettings dataset,
      BackfillRequest request) {
    dataset.requirePromotable();
    this.spark = spark;
    this.dataset = dataset;
    this.request = request;
    this.pipeline = new PartitionPipeline(spark, settings, dataset, RunKind.BACKFILL);
    this.audit = new BackfillAuditLog(spark, settings.opsTable(BackfillAuditLog.NAME));
  }

  public JobOutcome execute() throws IOException {
    if (!Tables.exists(spark, dataset.table())) {
      throw new BadInputException("Cannot backfill " + dataset.name() + ": its curated table "
          + dataset.table() + " does not exist yet; promote the dataset first");
    }
    if (request.deleteMissing() && dataset.appendOnly()) {
      throw new BadInputException("Refusing --delete-missing on " + dataset.name() + ": the dataset is "
          + "append-only (lakehouse.datasets." + dataset.name() + ".append-only = true)");
    }
    CorrectedSource corrected = request.fromRaw() ? null
        : CorrectedSource.open(spark, request, dataset, dataset.table().catalog());
    String id = request.backfillId();
    long superseded = request.dryRun() ? 0 : audit.supersedeRunning(id, dataset.name());
    if (superseded > 0) {
      LOG.warn("Backfill {}: marked {} audit rows left running by an earlier, stopped run as failed",
          id, superseded);
    }
    Set<String> done = audit.succeededPartitions(id, dataset.name());
    List<PartitionResult> partitions = new ArrayList<>();
    List<Long> snapshots = new ArrayList<>();
    List<List<LocalDate>> chunks = request.range().chunks();
    for (int i = 0; i < chunks.size(); i++) {
      List<LocalDate> todo = new ArrayList<>();
      for (LocalDate date : chunks.get(i)) {
        if (done.contains(BackfillChunk.key(date))) {
          partitions.add(PartitionResult.skipped(BackfillChunk.key(date)));
        } else {
          todo.add(date);
        }
      }
      if (!todo.isEmpty()) {
        BackfillChunk chunk = new BackfillChunk(spark, dataset, request, pipeline, audit, i + 1, todo, corrected);
        partitions.addAll(request.dryRun() ? chunk.preview() : chunk.merge(snapshots));
      }
      FaultInjection.crashAfter("backfill.between-chunks", i + 1);
    }
    return outcome(partitions, snapshots, chunks.size(), superseded);
  }

  private JobOutcome outcome(List<PartitionResult> partitions, List<Long> snapshots, int chunks,
      long superseded) {
    int done = count(partitions, BackfillStatus.SUCCESS) + count(partitions, BackfillStatus.DRY_RUN);
    int skipped = count(partitions, BackfillStatus.SKIPPED);
    int failed = count(partitions, BackfillStatus.FAILED);
    int noData = count(partitions, BackfillStatus.NO_DATA);
    long inserted = partitions.stream().mapToLong(PartitionResult::rowsInserted).sum();
    long updated = partitions.stream().mapToLong(PartitionResult::rowsUpdated).sum();
    long deleted = partitions.stream().mapToLong(PartitionResult::rowsDeleted).sum();
    BackfillResult result = new BackfillResult(request.backfillId(), dataset.name(), dataset.table().name(),
        request.range().from().toString(), request.range().to().toString(), request.triggeredBy().label(),
        request.sourceLabel(), request.deleteMissing(), request.dryRun(), chunks, done, skipped, failed,
        noData, inserted, updated, deleted, inserted + updated + deleted, superseded, snapshots,
        audit.table().name(), pipeline.quarantineTable().name(), partitions);
    String counts = (request.dryRun() ? "dry run, nothing committed; would be " : "") + inserted
        + " inserted, " + updated + " updated, " + deleted + " deleted in " + done + " partitions"
        + (skipped > 0 ? ", " + skipped + " already done" : "")
        + (noData > 0 ? ", " + noData + " without data" : "");
    List<String> failedKeys = partitions.stream().filter(p -> p.status() == BackfillStatus.FAILED)
        .map(PartitionResult::partitionKey).toList();
    if (failed > 0) {
      boolean quality = partitions.stream()
          .anyMatch(p -> p.status() == BackfillStatus.FAILED && !p.failedRules().isEmpty());
      return new JobOutcome(quality ? RunStatus.QUALITY_FAILED : RunStatus.FAILED, result,
          failed + " partitions failed " + failedKeys + (quality ? " (quality gate; rows quarantined to "
              + pipeline.quarantineTable() + ")" : "") + "; " + counts);
    }
    if (skipped == partitions.size()) {
      return JobOutcome.nothingToDo(result, "every partition already succeeded in backfill "
          + request.backfillId());
    }
    return new JobOutcome(RunStatus.SUCCEEDED, result, counts);
  }

  private static int count(List<PartitionResult> partitions, BackfillStatus status) {
    return (int) partitions.stream().filter(p -> status == p.status()).count();
  }

  /** A chunk stopped on an error that is not the data's: earlier chunks stay committed. */
  public static final class BackfillStoppedException extends RuntimeException {
    BackfillStoppedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
