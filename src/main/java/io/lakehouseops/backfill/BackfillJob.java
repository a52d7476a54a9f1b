package io.lakehouseops.backfill;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.config.LakehouseSettings;
import io.lakehouseops.config.Messages;
import io.lakehouseops.config.Redactor;
import io.lakehouseops.iceberg.CuratedTable;
import io.lakehouseops.iceberg.PublishResult;
import io.lakehouseops.iceberg.RowChanges;
import io.lakehouseops.iceberg.SchemaAlignment;
import io.lakehouseops.iceberg.SchemaEvolution;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.iceberg.WriteAuditPublish;
import io.lakehouseops.ops.BackfillAuditLog;
import io.lakehouseops.ops.BackfillAuditLog.Entry;
import io.lakehouseops.ops.BadInputException;
import io.lakehouseops.ops.FaultInjection;
import io.lakehouseops.ops.JobOutcome;
import io.lakehouseops.ops.RunStatus;
import io.lakehouseops.promote.PartitionPipeline;
import io.lakehouseops.promote.PromoteRun;
import io.lakehouseops.promote.RawPartition;
import io.lakehouseops.promote.StagedDates;
import io.lakehouseops.promote.StagedPartition;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
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
    this.pipeline = new PartitionPipeline(spark, settings, dataset);
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
        if (done.contains(key(date))) {
          partitions.add(PartitionResult.skipped(key(date)));
        } else {
          todo.add(date);
        }
      }
      if (!todo.isEmpty()) {
        Chunk chunk = new Chunk(i + 1, todo, corrected);
        partitions.addAll(request.dryRun() ? chunk.preview() : chunk.merge(snapshots));
      }
      FaultInjection.crashAfter("backfill.between-chunks", i + 1);
    }
    return outcome(partitions, snapshots, chunks.size(), superseded);
  }

  private static String key(LocalDate date) {
    return new RawPartition(date, null).key();
  }

  /** One chunk of dates: staged, gated and merged as one commit. */
  private final class Chunk {
    private final int number;
    private final List<LocalDate> dates;
    private final CorrectedSource corrected;
    private final String runId;

    Chunk(int number, List<LocalDate> dates, CorrectedSource corrected) {
      this.number = number;
      this.dates = dates;
      this.corrected = corrected;
      this.runId = request.runId() + "_c" + number;
    }

    List<PartitionResult> merge(List<Long> snapshots) throws IOException {
      Map<LocalDate, Entry> open = new LinkedHashMap<>();
      Timestamp now = Timestamp.from(Instant.now());
      for (LocalDate date : dates) {
        open.put(date, new Entry(UUID.randomUUID().toString(), request.backfillId(), dataset.name(),
            request.dagRunId(), key(date), request.triggeredBy().label(), null, null, null, null, now,
            null, "running", null));
      }
      BackfillAuditLog.Opened running = audit.open(List.copyOf(open.values()));
      FaultInjection.crashAfter("backfill.after-audit-running", number);
      List<Entry> closed = new ArrayList<>();
      List<PartitionResult> results = new ArrayList<>();
      try (RawWindow window = corrected == null ? new RawWindow(pipeline, dataset, dates) : null;
          StagedDates staged = broken(window) ? null : stage(window)) {
        Map<StagedPartition, Dataset<Row>> admitted = new LinkedHashMap<>();
        for (int d = 0; d < dates.size(); d++) {
          LocalDate date = dates.get(d);
          PartitionResult blocked = staged == null ? schemaBroken(date, window)
              : admitOrBlock(staged.partitions().get(d), admitted);
          if (blocked != null) {
            closed.add(open.remove(date).closed(blocked.status(), 0L, 0L, 0L, null,
                blocked.error() != null ? blocked.error() : String.join("; ", blocked.failedRules())));
            results.add(blocked);
          }
        }
        if (!admitted.isEmpty()) {
          PublishResult published = publish(admitted, staged);
          snapshots.add(published.snapshotId());
          pipeline.recordAll(List.copyOf(admitted.keySet()), new PromoteRun(runId, request.dagRunId(), false),
              "passed", published.snapshotId(), wholeDates());
          for (StagedPartition partition : admitted.keySet()) {
            LocalDate date = partition.partition().date();
            RowChanges changes = published.on(date);
            closed.add(open.remove(date).closed("success", changes.inserted(), changes.updated(),
                changes.deleted(), published.snapshotId(), null));
            results.add(new PartitionResult(key(date), "success", partition.report().rowsRead(),
                partition.report().rowsQuarantined(), changes.inserted(), changes.updated(),
                changes.deleted(), published.snapshotId(), List.of(), null));
            LOG.info("Backfill {} {} {}: success, {} inserted, {} updated, {} deleted, snapshot {}",
                request.backfillId(), dataset.name(), key(date), changes.inserted(), changes.updated(),
                changes.deleted(), published.snapshotId());
          }
        }
        audit.close(closed, running);
        return results;
      } catch (Exception e) { // with Spark's SparkException: checked, yet thrown undeclared by any job
        throw stopped(e, open.values(), closed, running);
      }
    }

    /** A dry run: stages, gates and counts each partition's changes; writes only `dry_run` audit rows. */
    List<PartitionResult> preview() throws IOException {
      List<PartitionResult> results = new ArrayList<>();
      Timestamp started = Timestamp.from(Instant.now());
      try (RawWindow window = corrected == null ? new RawWindow(pipeline, dataset, dates) : null;
          StagedDates staged = broken(window) ? null : stage(window)) {
        for (int d = 0; d < dates.size(); d++) {
          if (staged == null) {
            PartitionResult broken = schemaBroken(dates.get(d), window);
            results.add(new PartitionResult(broken.partitionKey(), "dry_run", 0, 0, 0, 0, 0, null,
                broken.failedRules(), "the schema contract is broken"));
          } else {
            results.add(previewOne(staged.partitions().get(d)));
          }
        }
      }
      audit.append(results.stream().map(r -> dryRunEntry(r, started)).toList());
      return results;
    }

    private PartitionResult previewOne(StagedPartition partition) {
      String key = partition.partition().key();
      long read = partition.report().rowsRead();
      if (partition.stage() != StagedPartition.Stage.GATED) {
        return new PartitionResult(key, "dry_run", 0, 0, 0, 0, 0, null, List.of(),
            "no source rows for this date");
      }
      if (!partition.gate().passed()) {
        return new PartitionResult(key, "dry_run", read, 0, 0, 0, 0, null, partition.failedRules(),
            "the quality gate would fail on " + partition.failedRules());
      }
      // Compared on the table's current columns: a column the batch would add is not counted.
      StructType schema = spark.table(dataset.table().name()).schema();
      RowChanges changes = publisher().preview(SchemaAlignment.align(partition.cleaned(), schema),
          request.deleteMissing()).on(partition.partition().date());
      return new PartitionResult(key, "dry_run", read, 0, changes.inserted(), changes.updated(),
          changes.deleted(), null, List.of(), null);
    }

    private Entry dryRunEntry(PartitionResult result, Timestamp started) {
      return new Entry(UUID.randomUUID().toString(), request.backfillId(), dataset.name(),
          request.dagRunId(), result.partitionKey(), request.triggeredBy().label(), result.rowsInserted(),
          result.rowsUpdated(), result.rowsDeleted(), null, started, Timestamp.from(Instant.now()),
          "dry_run", result.error());
    }

    /** The chunk's dates, their rows from the raw window or the corrected source, gated together. */
    private StagedDates stage(RawWindow window) {
      if (window == null) {
        Dataset<Row> rows = corrected.in(dates);
        return pipeline.stageDates(dates, rows, corrected.label(),
            new SchemaEvolution.Plan(rows.schema(), List.of(), List.of()), wholeDates());
      }
      return window.rows() == null ? pipeline.noData(dates, window.label())
          : pipeline.stageDates(dates, window.rows(), window.label(), window.plan(), true);
    }

    private boolean broken(RawWindow window) {
      return window != null && !window.broken().isEmpty();
    }

    /** A raw partition of the window breaks the contract: none of its rows can be trusted. */
    private PartitionResult schemaBroken(LocalDate date, RawWindow window) {
      List<String> rules = new ArrayList<>();
      for (StagedPartition broken : window.broken()) {
        rules.addAll(broken.failedRules());
        if (date.equals(dates.get(0)) && !request.dryRun()) {
          pipeline.record(broken, new PromoteRun(runId, request.dagRunId(), false), "failed", null);
        }
      }
      LOG.warn("Backfill {} {} {}: blocked by a broken schema contract in {}: {}", request.backfillId(),
          dataset.name(), key(date), window.label(), rules);
      return new PartitionResult(key(date), "failed", 0, 0, 0, 0, 0, null, rules, null);
    }

    /** Adds the partition's publishable rows, or returns why it is not merged. */
    private PartitionResult admitOrBlock(StagedPartition partition, Map<StagedPartition, Dataset<Row>> admitted) {
      String key = partition.partition().key();
      PromoteRun run = new PromoteRun(runId, request.dagRunId(), false);
      switch (partition.stage()) {
        case NO_DATA:
          boolean required = dataset.quality().requireData();
          String why = (corrected == null ? "raw partition " + partition.source() + " is missing or empty"
              : "the source has no rows for this date") + (required ? " (quality.require-data = true)" : "")
              + "; the curated partition was left as it is";
          if (required) {
            LOG.warn("Backfill {} {} {}: {}", request.backfillId(), dataset.name(), key, why);
          } else {
            // Expected in a sparse range: the run's summary counts these dates ("N without data").
            LOG.debug("Backfill {} {} {}: {}", request.backfillId(), dataset.name(), key, why);
          }
          return new PartitionResult(key, required ? "failed" : "no_data", 0, 0, 0, 0, 0, null, List.of(), why);
        case SCHEMA_BROKEN:
          pipeline.record(partition, run, "failed", null);
          return gateFailed(partition);
        default:
          Dataset<Row> rows = pipeline.admit(partition, runId);
          if (rows == null) {
            pipeline.record(partition, run, "failed", null);
            return gateFailed(partition);
          }
          admitted.put(partition, rows);
          return null;
      }
    }

    private PartitionResult gateFailed(StagedPartition partition) {
      LOG.warn("Backfill {} {} {}: failed the quality gate on {}; {} rows quarantined to {}",
          request.backfillId(), dataset.name(), partition.partition().key(), partition.failedRules(),
          partition.report().rowsQuarantined(), pipeline.quarantineTable());
      return new PartitionResult(partition.partition().key(), "failed", partition.report().rowsRead(),
          partition.report().rowsQuarantined(), 0, 0, 0, null, partition.failedRules(), null);
    }

    private PublishResult publish(Map<StagedPartition, Dataset<Row>> admitted, StagedDates staged) {
      // The chunk's partitions share their source's plan: the table is prepared once per plan.
      admitted.keySet().stream().map(StagedPartition::plan).distinct()
          .forEach(plan -> CuratedTable.prepare(spark, dataset, plan));
      StructType schema = spark.table(dataset.table().name()).schema();
      // Dates published whole are one filter of the chunk's rows; a union of a view per date
      // scanned the chunk's cache once per date in every step of the publish.
      boolean whole = admitted.entrySet().stream().allMatch(e -> e.getValue() == e.getKey().cleaned());
      Dataset<Row> batch = whole ? SchemaAlignment.align(staged.rowsOf(admitted.keySet()), schema)
          : admitted.values().stream().map(rows -> SchemaAlignment.align(rows, schema))
              .reduce(Dataset::union).orElseThrow();
      Map<String, String> lineage = new LinkedHashMap<>();
      lineage.put("lakehouse.command", "backfill");
      lineage.put("lakehouse.backfill-id", request.backfillId());
      lineage.put("lakehouse.run-id", request.runId());
      if (request.dagRunId() != null) {
        lineage.put("lakehouse.dag-run-id", request.dagRunId());
      }
      lineage.put("lakehouse.triggered-by", request.triggeredBy().label());
      lineage.put("lakehouse.source", corrected == null ? "raw" : corrected.label());
      lineage.put("lakehouse.partitions", admitted.keySet().stream().map(p -> p.partition().key())
          .collect(Collectors.joining(",")));
      return publisher().publish(batch, runId, lineage, request.deleteMissing());
    }

    /** Closes the chunk's open audit rows as failed and says how to resume. */
    private RuntimeException stopped(Exception cause, java.util.Collection<Entry> open, List<Entry> closed,
        BackfillAuditLog.Opened running) {
      String message = Redactor.redactText(Messages.oneLine(cause.getMessage()));
      List<Entry> failed = new ArrayList<>(closed);
      open.forEach(e -> failed.add(e.closed("failed", null, null, null, null, message)));
      try {
        audit.close(failed, running);
      } catch (RuntimeException e) {
        // The rows stay `running`; the next run of this backfill id marks them failed.
        LOG.warn("Could not close the audit rows of chunk {}: {}", number, e.getMessage());
      }
      return new BackfillStoppedException("Backfill " + request.backfillId() + " stopped in chunk " + number
          + " (" + dates.get(0) + " to " + dates.get(dates.size() - 1) + "): " + message
          + "; earlier chunks stay committed, re-run with --backfill-id " + request.backfillId()
          + " to redo the rest", cause);
    }
  }

  /**
   * Whether the staged rows are all of their dates' rows: the raw zone's, or a source that
   * replaces its dates (--delete-missing). Otherwise a source holds corrections only.
   */
  private boolean wholeDates() {
    return request.fromRaw() || request.deleteMissing();
  }

  private WriteAuditPublish publisher() {
    return new WriteAuditPublish(spark, dataset.table(), dataset.keys(), dataset.eventTime(),
        dataset.appendOnly());
  }

  private JobOutcome outcome(List<PartitionResult> partitions, List<Long> snapshots, int chunks,
      long superseded) {
    int done = count(partitions, "success") + count(partitions, "dry_run");
    int skipped = count(partitions, "skipped");
    int failed = count(partitions, "failed");
    int noData = count(partitions, "no_data");
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
    List<String> failedKeys = partitions.stream().filter(p -> "failed".equals(p.status()))
        .map(PartitionResult::partitionKey).toList();
    if (failed > 0) {
      boolean quality = partitions.stream()
          .anyMatch(p -> "failed".equals(p.status()) && !p.failedRules().isEmpty());
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

  private static int count(List<PartitionResult> partitions, String status) {
    return (int) partitions.stream().filter(p -> status.equals(p.status())).count();
  }

  /** A chunk stopped on an error that is not the data's: earlier chunks stay committed. */
  public static final class BackfillStoppedException extends RuntimeException {
    BackfillStoppedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
