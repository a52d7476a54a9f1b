package io.lakehouseops.backfill;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.config.Messages;
import io.lakehouseops.config.Redactor;
import io.lakehouseops.faults.FaultInjection;
import io.lakehouseops.iceberg.CuratedTable;
import io.lakehouseops.iceberg.SchemaAlignment;
import io.lakehouseops.iceberg.SchemaEvolution;
import io.lakehouseops.opstables.BackfillAuditLog.Entry;
import io.lakehouseops.opstables.BackfillAuditLog;
import io.lakehouseops.opstables.BackfillStatus;
import io.lakehouseops.opstables.GateStatus;
import io.lakehouseops.promote.Admitted;
import io.lakehouseops.promote.PartitionPipeline;
import io.lakehouseops.promote.PromoteRun;
import io.lakehouseops.promote.RawPartition;
import io.lakehouseops.promote.StagedDates;
import io.lakehouseops.promote.StagedPartition;
import io.lakehouseops.publish.BatchScope;
import io.lakehouseops.publish.PublishResult;
import io.lakehouseops.publish.RowChanges;
import io.lakehouseops.publish.WriteAuditPublish;
import io.lakehouseops.quality.QualitySettings;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chunk of a backfill's dates: its partitions staged (from the raw zone's window or the
 * corrected source) and gated together, the admitted rows MERGEd write-audit-publish as one
 * commit, and each partition's audit row written `running` first and closed with the outcome.
 */
final class BackfillChunk {
  private static final Logger LOG = LoggerFactory.getLogger(BackfillChunk.class);

  private final SparkSession spark;
  private final DatasetSettings dataset;
  private final BackfillRequest request;
  private final PartitionPipeline pipeline;
  private final BackfillAuditLog audit;
  private final int number;
  private final List<LocalDate> dates;
  private final CorrectedSource corrected;
  private final String runId;

  /** corrected: the source of the rows, or null for the raw zone. */
  BackfillChunk(SparkSession spark, DatasetSettings dataset, BackfillRequest request, PartitionPipeline pipeline,
      BackfillAuditLog audit, int number, List<LocalDate> dates, CorrectedSource corrected) {
    this.spark = spark;
    this.dataset = dataset;
    this.request = request;
    this.pipeline = pipeline;
    this.audit = audit;
    this.number = number;
    this.dates = dates;
    this.corrected = corrected;
    this.runId = request.runId() + "_c" + number;
  }

  /** A date's partition key (dt=YYYY-MM-DD), as the audit log and the report name it. */
  static String key(LocalDate date) {
    return new RawPartition(date, null).key();
  }

  /** Stages, gates and publishes the chunk's dates; the published snapshot is added to snapshots. */
  List<PartitionResult> merge(List<Long> snapshots) throws IOException {
    Map<LocalDate, Entry> open = new LinkedHashMap<>();
    Timestamp now = Timestamp.from(Instant.now());
    for (LocalDate date : dates) {
      open.put(date, Entry.running(request.backfillId(), dataset.name(), request.dagRunId(), key(date),
          request.triggeredBy().label(), now));
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
        Optional<PartitionResult> notMerged = staged == null ? Optional.of(schemaBroken(date, window))
            : admitOrBlock(staged.partitions().get(d), admitted);
        if (notMerged.isPresent()) {
          PartitionResult blocked = notMerged.get();
          closed.add(open.remove(date).closed(blocked.status(), 0L, 0L, 0L, null,
              blocked.error() != null ? blocked.error() : String.join("; ", blocked.failedRules())));
          results.add(blocked);
        }
      }
      if (!admitted.isEmpty()) {
        PublishResult published = publish(admitted, staged);
        snapshots.add(published.snapshotId());
        pipeline.recordAll(List.copyOf(admitted.keySet()), new PromoteRun(runId, request.dagRunId(), false),
            GateStatus.PASSED, published.snapshotId(), wholeDates());
        for (StagedPartition partition : admitted.keySet()) {
          LocalDate date = partition.partition().date();
          RowChanges changes = published.on(date);
          closed.add(open.remove(date).closed(BackfillStatus.SUCCESS, changes.inserted(), changes.updated(),
              changes.deleted(), published.snapshotId(), null));
          results.add(new PartitionResult(key(date), BackfillStatus.SUCCESS, partition.report().rowsRead(),
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
          results.add(new PartitionResult(broken.partitionKey(), BackfillStatus.DRY_RUN, 0, 0, 0, 0, 0, null,
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
      return new PartitionResult(key, BackfillStatus.DRY_RUN, 0, 0, 0, 0, 0, null, List.of(),
          "no source rows for this date");
    }
    if (!partition.gate().passed()) {
      return new PartitionResult(key, BackfillStatus.DRY_RUN, read, 0, 0, 0, 0, null, partition.failedRules(),
          "the quality gate would fail on " + partition.failedRules());
    }
    // Compared on the table's current columns: a column the batch would add is not counted.
    StructType schema = spark.table(dataset.table().name()).schema();
    RowChanges changes = publisher().preview(SchemaAlignment.align(partition.cleaned(), schema),
        request.deleteMissing()).on(partition.partition().date());
    return new PartitionResult(key, BackfillStatus.DRY_RUN, read, 0, changes.inserted(), changes.updated(),
        changes.deleted(), null, List.of(), null);
  }

  private Entry dryRunEntry(PartitionResult result, Timestamp started) {
    return Entry.running(request.backfillId(), dataset.name(), request.dagRunId(), result.partitionKey(),
            request.triggeredBy().label(), started)
        .closed(BackfillStatus.DRY_RUN, result.rowsInserted(), result.rowsUpdated(), result.rowsDeleted(), null,
            result.error());
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
        pipeline.record(broken, new PromoteRun(runId, request.dagRunId(), false), GateStatus.FAILED, null);
      }
    }
    LOG.warn("Backfill {} {} {}: blocked by a broken schema contract in {}: {}", request.backfillId(),
        dataset.name(), key(date), window.label(), rules);
    return new PartitionResult(key(date), BackfillStatus.FAILED, 0, 0, 0, 0, 0, null, rules, null);
  }

  /** Adds the partition's publishable rows (empty), or returns why it is not merged. */
  private Optional<PartitionResult> admitOrBlock(StagedPartition partition, Map<StagedPartition, Dataset<Row>> admitted) {
    String key = partition.partition().key();
    PromoteRun run = new PromoteRun(runId, request.dagRunId(), false);
    switch (partition.stage()) {
      case NO_DATA:
        boolean required = QualitySettings.of(dataset).requireData();
        String why = (corrected == null ? "raw partition " + partition.source() + " is missing or empty"
            : "the source has no rows for this date") + (required ? " (quality.require-data = true)" : "")
            + "; the curated partition was left as it is";
        if (required) {
          LOG.warn("Backfill {} {} {}: {}", request.backfillId(), dataset.name(), key, why);
        } else {
          // Expected in a sparse range: the run's summary counts these dates ("N without data").
          LOG.debug("Backfill {} {} {}: {}", request.backfillId(), dataset.name(), key, why);
        }
        return Optional.of(new PartitionResult(key, required ? BackfillStatus.FAILED : BackfillStatus.NO_DATA,
            0, 0, 0, 0, 0, null, List.of(), why));
      case SCHEMA_BROKEN:
        pipeline.record(partition, run, GateStatus.FAILED, null);
        return Optional.of(gateFailed(partition));
      default:
        Admitted rows = pipeline.admit(partition, runId);
        if (rows.nothing()) {
          pipeline.record(partition, run, GateStatus.FAILED, null);
          return Optional.of(gateFailed(partition));
        }
        admitted.put(partition, rows.rows());
        return Optional.empty();
    }
  }

  private PartitionResult gateFailed(StagedPartition partition) {
    LOG.warn("Backfill {} {} {}: failed the quality gate on {}; {} rows quarantined to {}",
        request.backfillId(), dataset.name(), partition.partition().key(), partition.failedRules(),
        partition.report().rowsQuarantined(), pipeline.quarantineTable());
    return new PartitionResult(partition.partition().key(), BackfillStatus.FAILED, partition.report().rowsRead(),
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
    BatchScope scope = request.deleteMissing() ? BatchScope.REPLACED_DATES
        : request.fromRaw() ? BatchScope.WHOLE_DATES : BatchScope.CORRECTIONS;
    return publisher().publish(batch, runId, lineage, scope);
  }

  /** Closes the chunk's open audit rows as failed and says how to resume. */
  private RuntimeException stopped(Exception cause, java.util.Collection<Entry> open, List<Entry> closed,
      BackfillAuditLog.Opened running) {
    String message = Redactor.redactText(Messages.oneLine(cause.getMessage()));
    List<Entry> failed = new ArrayList<>(closed);
    open.forEach(e -> failed.add(e.closed(BackfillStatus.FAILED, null, null, null, null, message)));
    try {
      audit.close(failed, running);
    } catch (RuntimeException e) {
      // The rows stay `running`; the next run of this backfill id marks them failed.
      LOG.warn("Could not close the audit rows of chunk {}: {}", number, e.getMessage());
    }
    return new BackfillJob.BackfillStoppedException("Backfill " + request.backfillId() + " stopped in chunk " + number
        + " (" + dates.get(0) + " to " + dates.get(dates.size() - 1) + "): " + message
        + "; earlier chunks stay committed, re-run with --backfill-id " + request.backfillId()
        + " to redo the rest", cause);
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
}
