package io.lakehouseops.promote;

import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.config.LakehouseSettings;
import io.lakehouseops.config.TableRef;
import io.lakehouseops.faults.FaultInjection;
import io.lakehouseops.iceberg.SchemaEvolution;
import io.lakehouseops.iceberg.Tables;
import io.lakehouseops.opstables.ErasureLedger;
import io.lakehouseops.opstables.GateStatus;
import io.lakehouseops.opstables.QualityMetricsTable;
import io.lakehouseops.opstables.RunKind;
import io.lakehouseops.opstables.QualityRunsTable;
import io.lakehouseops.publish.KeyCounts;
import io.lakehouseops.publish.StagedAppend;
import io.lakehouseops.quality.GateResult;
import io.lakehouseops.quality.QualityGate;
import io.lakehouseops.quality.QualitySettings;
import io.lakehouseops.schema.ContractCheck;
import io.lakehouseops.schema.ContractLoader;
import io.lakehouseops.schema.SchemaContract;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one path every row takes into a curated table, shared by promote and backfill: read a
 * raw partition, check its schema contract, clean and dedupe it, run the quality gate; then
 * quarantine what the gate blocks and record the gate run in the ops tables. The raw zone is
 * only ever read.
 */
public final class PartitionPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionPipeline.class);

  private final SparkSession spark;
  private final DatasetSettings dataset;
  private final QualitySettings quality;
  private final QualityRunsTable qualityRuns;
  private final QualityMetricsTable qualityMetrics;
  private final QuarantineWriter quarantine;
  private final ErasedKeys erased;

  /** kind: whose metric history the gate scores against and records to. */
  public PartitionPipeline(SparkSession spark, LakehouseSettings settings, DatasetSettings dataset, RunKind kind) {
    dataset.requirePromotable();
    this.spark = spark;
    this.dataset = dataset;
    this.quality = QualitySettings.of(dataset);
    this.qualityRuns = new QualityRunsTable(spark, settings.opsTable(QualityRunsTable.NAME));
    this.qualityMetrics = new QualityMetricsTable(spark, settings.opsTable(QualityMetricsTable.NAME), kind);
    this.quarantine = new QuarantineWriter(new TableRef(settings.catalog().name(),
        settings.namespaces().quarantine(), dataset.name()));
    this.erased = new ErasedKeys(new ErasureLedger(spark, settings.opsTable(ErasureLedger.NAME)), dataset.name());
  }

  public TableRef quarantineTable() {
    return quarantine.table();
  }

  /** Reads, checks the contract of, and cleans one raw partition; the gate comes after. */
  public StagedPartition read(RawPartition partition) throws IOException {
    Inspected inspected = inspect(partition);
    return inspected.rejected().orElseGet(() -> read(inspected));
  }

  /**
   * A raw partition listed and its writer schemas checked against the contract, nothing read
   * yet: rejected holds the partition's end when there is nothing to read (no data, a broken
   * contract).
   */
  public record Inspected(RawPartition partition, RawBatch batch, PromoteReport report,
      SchemaEvolution.Plan plan, Optional<StagedPartition> rejected) {}

  /** Lists the partition and checks its schema contract; reads no rows. */
  public Inspected inspect(RawPartition partition) throws IOException {
    spark.sparkContext().setJobDescription("lakehouse-ops: read " + dataset.name() + " " + partition.key());
    SchemaContract contract = new SchemaContract(
        ContractLoader.load(dataset, spark.sparkContext().hadoopConfiguration()));
    RawBatch batch = new RawPartitionReader(spark, dataset).list(partition);
    PromoteReport report = new PromoteReport(dataset, partition, batch.path(), quarantine.table());
    if (batch.isEmpty()) {
      return new Inspected(partition, batch, report, null,
          Optional.of(StagedPartition.noData(partition, batch.path(), report, null)));
    }
    ContractCheck check = "avro".equals(dataset.rawFormat())
        ? contract.check(batch.writerSchemas())
        : contract.check(Map.of());
    SchemaEvolution.Plan plan = Tables.exists(spark, dataset.table())
        ? SchemaEvolution.plan(spark.table(dataset.table().name()).schema(), check.effectiveSchema())
        : new SchemaEvolution.Plan(check.effectiveSchema(), check.additiveChanges(), List.of());
    report.schemaChanges(plan.changes());
    if (!check.compatible() || !plan.conflicts().isEmpty()) {
      report.schemaViolations(check.violations(), plan.conflicts());
      return new Inspected(partition, batch, report, plan,
          Optional.of(StagedPartition.schemaBroken(partition, batch.path(), report, plan)));
    }
    return new Inspected(partition, batch, report, plan, Optional.empty());
  }

  /**
   * The partition's rows in the target columns, strings trimmed and empties null, without the
   * keys erasure requests removed: not deduped, not cached.
   */
  public Dataset<Row> normalized(Inspected inspected) {
    Dataset<Row> rows = new RowCleaner(dataset).normalized(
        new RawPartitionReader(spark, dataset).read(inspected.batch(), inspected.plan().target()));
    inspected.report().rowsErased(erased.count(rows, inspected.batch().path()));
    return erased.without(rows);
  }

  /** Reads an inspected partition into a cache, cleaned and deduped: the gate comes before any write. */
  public StagedPartition read(Inspected inspected) {
    // One read and one cache; the counts shuffle at most the keys. Only a batch with duplicate
    // keys is deduped, by a window that sorts whole rows, into a cache of its own.
    RowCleaner cleaner = new RowCleaner(dataset);
    Dataset<Row> normalized = normalized(inspected).persist(StorageLevel.MEMORY_AND_DISK());
    KeyCounts counts;
    try {
      counts = KeyCounts.of(normalized, dataset.keys(), dataset.eventTime());
    } catch (Exception e) { // Spark's SparkException is checked, yet thrown undeclared
      normalized.unpersist();
      MalformedJson.throwIfCaused(e, inspected.batch().path());
      throw e;
    }
    if (counts.duplicates() == 0) {
      return readDone(inspected, counts, counts, normalized, normalized);
    }
    Dataset<Row> deduped = cleaner.dedupe(normalized).persist(StorageLevel.MEMORY_AND_DISK());
    return readDone(inspected, counts, null, normalized, deduped);
  }

  /**
   * The partition as written to an audit branch before the gate (StagedAppend): the audit of
   * the written rows counts them and their duplicate keys. When a key repeats, the rows dedupe
   * drops are deleted from the branch by position (a few re-delivered rows, one small commit),
   * so the rows kept stay written once and the gate reads them there; only where that is not
   * possible (null keys, too many repeats, a table format without position deletes) are the
   * written rows deduped into a cache, to be published as a batch of their own.
   */
  public StagedPartition readWritten(Inspected inspected, StagedAppend staged) {
    KeyCounts written = staged.audit();
    if (written.duplicates() == 0) {
      return readDone(inspected, written, written, null, staged.rows());
    }
    RowCleaner cleaner = new RowCleaner(dataset);
    Optional<KeyCounts> left = written.nullKeyRows() > 0 ? Optional.empty()
        : staged.dropRows(cleaner.droppedByDedupe(staged.writtenWithPositions(), written,
            functions.col("_file"), functions.col("_pos")));
    if (left.isPresent()) {
      return readDone(inspected, written, left.get(), null, staged.rows());
    }
    Dataset<Row> deduped = cleaner.dedupe(staged.rows()).persist(StorageLevel.MEMORY_AND_DISK());
    return readDone(inspected, written, null, null, deduped);
  }

  /**
   * counts: the rows read and their duplicates, as reported. unique: the counts of the cleaned
   * rows when they are known to hold each key once (no key repeated, or the repeats deleted),
   * else null. Then the gate takes the key's uniqueness from them instead of counting the keys
   * again (a shuffle of every key).
   */
  private StagedPartition readDone(Inspected inspected, KeyCounts counts, KeyCounts unique, Dataset<Row> cached,
      Dataset<Row> cleaned) {
    long rowsRead = counts.rows();
    PromoteReport report = inspected.report();
    report.rowsRead(rowsRead);
    report.rowsAfterDedupe(rowsRead - counts.duplicates());
    LOG.info("Read {} rows from {} files of {} ({} after dedupe)", rowsRead, inspected.batch().files().size(),
        inspected.batch().path(), rowsRead - counts.duplicates());
    FaultInjection.point("promote.after-read");
    StagedPartition read = StagedPartition.read(inspected.partition(), inspected.batch().path(), report,
        inspected.plan(), cached, cleaned);
    if (unique == null || unique.duplicates() != 0) {
      return read;
    }
    Map<List<String>, Double> uniqueness = new HashMap<>();
    uniqueness.put(dataset.keys(), unique.keyUniqueness()); // null: no key has a value
    return read.withKnownUniqueness(uniqueness);
  }

  /**
   * Gates rows that are already read and clean under their event dates (a backfill chunk, from
   * raw partitions or a corrected source): the same gate, quarantine and records as a raw
   * partition's. The rows are cached once and every date is gated in one pass, each on its
   * own rows; staging the dates one by one took about ten Spark jobs each (a cache, a count,
   * the gate's scans). Dates without rows are NO_DATA. plan: the table changes the rows need.
   * wholeDates: whether the rows are all of each date's rows (a raw window, or a source that
   * replaces its dates), or only corrected rows; corrections are held to the rules but not
   * scored against the dataset's history (see recordAll).
   */
  public StagedDates stageDates(List<LocalDate> dates, Dataset<Row> rows, String source,
      SchemaEvolution.Plan plan, boolean wholeDates) {
    erased.count(rows, source);
    Dataset<Row> cached = erased.without(rows).persist(StorageLevel.MEMORY_AND_DISK());
    Map<java.sql.Date, String> keys = new LinkedHashMap<>();
    dates.forEach(date -> keys.put(java.sql.Date.valueOf(date), new RawPartition(date, null).key()));
    Column eventDate = functions.to_date(functions.col(dataset.eventTime()));
    if (!wholeDates && quality.anomalyEnabled()) {
      LOG.info("Anomaly scoring of {} skipped for {}: it holds corrected rows, not whole dates "
          + "(a source without --delete-missing); the rules still apply", dataset.name(), source);
    }
    // The gate's row_count of each date is its row count; a date the gate did not see has no rows.
    Map<String, GateResult> gates = new QualityGate(wholeDates ? quality
        : quality.withoutAnomaly(), qualityMetrics).evaluateEach(cached, dataset.name(), eventDate, keys);
    List<StagedPartition> staged = new ArrayList<>();
    for (LocalDate date : dates) {
      RawPartition partition = new RawPartition(date, null);
      PromoteReport report = new PromoteReport(dataset, partition, source, quarantine.table());
      GateResult gate = gates.get(partition.key());
      if (gate == null) {
        staged.add(StagedPartition.noData(partition, source, report, plan));
        continue;
      }
      report.rowsRead(gate.rowCount());
      report.rowsAfterDedupe(gate.rowCount());
      report.schemaChanges(plan.changes());
      // A view of the chunk's cache, which the chunk releases (StagedDates.close).
      Dataset<Row> rowsOfDate = cached.filter(eventDate.equalTo(functions.lit(java.sql.Date.valueOf(date))));
      staged.add(judged(StagedPartition.read(partition, source, report, plan, null, rowsOfDate), gate));
    }
    return new StagedDates(cached, dataset.eventTime(), staged);
  }

  /** Dates without rows in their source (a backfill window with no raw rows at all). */
  public StagedDates noData(List<LocalDate> dates, String source) {
    return new StagedDates(null, dataset.eventTime(),
        dates.stream().map(date -> noData(new RawPartition(date, null), source)).toList());
  }

  /** A partition without rows in its source. */
  private StagedPartition noData(RawPartition partition, String source) {
    return StagedPartition.noData(partition, source, new PromoteReport(dataset, partition, source,
        quarantine.table()), null);
  }

  /** Runs the quality gate on a partition that was read. */
  public StagedPartition gate(StagedPartition read) {
    return judged(read, new QualityGate(quality, qualityMetrics)
        .evaluate(read.cleaned(), dataset.name(), read.partition().key(), read.knownUniqueness()));
  }

  private StagedPartition judged(StagedPartition read, GateResult gate) {
    read.report().gate(gate);
    LOG.info("Quality gate of {} {}: {} (failed {}, warnings {}, anomaly score {})", dataset.name(),
        read.partition().key(), gate.passed() ? "passed" : "failed", gate.failedRules(), gate.warnings(),
        gate.anomalyScore());
    FaultInjection.point("promote.after-gate");
    return read.gated(gate);
  }

  /** Applies the gate's verdict: quarantines the rows it blocks; says what may be published. */
  public Admitted admit(StagedPartition staged, String runId) {
    QuarantineSplit split = new QuarantineSplit(quality, staged.gate(), staged.cleaned());
    if (!split.publishable()) {
      staged.report().rowsQuarantined(quarantine.write(split.allRows(), runId, staged.source()));
      return Admitted.none();
    }
    if (!split.hasBadRows()) {
      FaultInjection.point("promote.after-quarantine-write");
      return new Admitted(Admitted.Share.ALL, staged.cleaned());
    }
    staged.report().rowsQuarantined(quarantine.write(split.badRows(), runId, staged.source()));
    FaultInjection.point("promote.after-quarantine-write");
    return new Admitted(Admitted.Share.SOME, split.goodRows());
  }

  /**
   * Records the gate run in ops.data_quality_runs (and its metrics, the anomaly baseline,
   * unless skipped, a dry run).
   */
  public void record(StagedPartition staged, PromoteRun run, GateStatus status, Long snapshotId) {
    recordAll(List.of(staged), run, status, snapshotId, true);
  }

  /**
   * As record, for several partitions with one append per ops table (a backfill chunk).
   * wholePartitions: false for corrected rows, whose metrics are not recorded as the anomaly
   * baseline: a correction of a few rows would otherwise stand in the history as each date's
   * row count, and the next promote's whole day would be blocked as an anomaly.
   */
  public void recordAll(List<StagedPartition> partitions, PromoteRun run, GateStatus status, Long snapshotId,
      boolean wholePartitions) {
    qualityRuns.record(partitions.stream().map(p -> p.report().qualityRun(run, status, snapshotId)).toList());
    if (status != GateStatus.SKIPPED && wholePartitions) {
      qualityMetrics.record(partitions.stream().filter(p -> p.gate() != null)
          .map(p -> new QualityMetricsTable.Metrics(dataset.name(), p.partition().key(), run.runId(),
              p.gate().metrics(), status)).toList());
    }
  }
}
