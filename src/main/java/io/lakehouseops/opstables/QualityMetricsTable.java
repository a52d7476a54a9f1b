package io.lakehouseops.opstables;

import io.lakehouseops.config.TableRef;
import io.lakehouseops.iceberg.Tables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.CloseableIterator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * ops.quality_metrics: the metric history anomaly scoring compares a partition with, for one
 * kind of run (promote's raw partitions, backfill's event dates). Each partition holds one
 * current set of metrics per kind: a run's metrics replace, in the same commit, those an
 * earlier run of the kind recorded for the partition (a passed run replaces any; a failed run
 * only a failed one, so a published partition stays in the baseline). Only passed runs make up
 * the baseline.
 */
public final class QualityMetricsTable {
  public static final String NAME = "quality_metrics";
  /** How far back the history is read, in hours per run of the window, widest last; 0: no bound. */
  private static final int[] HORIZONS_IN_WINDOW_HOURS = {3, 30, 300, 0};
  static final StructType SCHEMA = new StructType()
      .add("dataset", DataTypes.StringType, false)
      .add("partition_key", DataTypes.StringType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("metric", DataTypes.StringType, false)
      .add("value", DataTypes.DoubleType)
      .add("gate_status", DataTypes.StringType, false)
      .add("recorded_at", DataTypes.TimestampType, false)
      .add("run_kind", DataTypes.StringType);

  private final SparkSession spark;
  private final TableRef table;
  private final RunKind kind;
  private String latestDataset;
  private int latestHorizon;
  private List<MetricRun> latest;

  public QualityMetricsTable(SparkSession spark, TableRef table, RunKind kind) {
    this.spark = spark;
    this.table = table;
    this.kind = kind;
  }

  public void record(String dataset, String partitionKey, String runId, Map<String, Double> metrics,
      GateStatus gateStatus) {
    record(List.of(new Metrics(dataset, partitionKey, runId, metrics, gateStatus)));
  }

  /** One gate run's metrics. */
  public record Metrics(String dataset, String partitionKey, String runId, Map<String, Double> values,
      GateStatus gateStatus) {}

  /** Several gate runs' metrics in one commit (a backfill chunk's dates), replacing earlier ones. */
  public void record(List<Metrics> runs) {
    Timestamp now = Timestamp.from(Instant.now());
    List<Row> rows = new ArrayList<>();
    for (Metrics run : runs) {
      run.values().forEach((metric, value) -> rows.add(RowFactory.create(run.dataset(), run.partitionKey(),
          run.runId(), metric, value, run.gateStatus().value(), now, kind.value())));
    }
    if (rows.isEmpty()) {
      return;
    }
    latestDataset = null; // the history changed
    Set<String> datasets = runs.stream().map(Metrics::dataset).collect(Collectors.toSet());
    Set<String> partitions = runs.stream().map(Metrics::partitionKey).collect(Collectors.toSet());
    OpsTables.upsert(spark, new OpsTables.OpsTable(table, SCHEMA, "recorded_at"), rows,
        Expressions.and(Expressions.in("dataset", datasets.toArray()),
            Expressions.in("partition_key", partitions.toArray())),
        replacedBy(runs));
  }

  /** Rows of the runs' partitions and kind that the runs supersede. */
  private Predicate<Record> replacedBy(List<Metrics> runs) {
    Map<List<String>, GateStatus> statuses = new LinkedHashMap<>();
    runs.forEach(run -> statuses.put(List.of(run.dataset(), run.partitionKey()), run.gateStatus()));
    return row -> {
      GateStatus by = statuses.get(List.of(row.getField("dataset"), row.getField("partition_key")));
      return by != null && RunKind.of((String) row.getField("run_kind")) == kind
          && (by == GateStatus.PASSED || by.value().equals(row.getField("gate_status")));
    };
  }

  /**
   * For each metric, the values of the newest {@code window} passed runs of the dataset and
   * this kind, newest first: one value per partition (its latest run), excluding the partition
   * being scored so a re-run is not compared with itself. comparable: the partitions that may
   * be compared with it (all, or the same day of the week).
   */
  public Map<String, List<Double>> history(String dataset, String excludePartition, int window,
      Predicate<String> comparable) {
    Predicate<MetricRun> counted = run -> !run.partitionKey().equals(excludePartition)
        && comparable.test(run.partitionKey());
    List<MetricRun> runs = latestRuns(dataset, window, counted);
    Map<String, List<MetricRun>> byMetric = new TreeMap<>();
    runs.stream().filter(counted)
        .forEach(run -> byMetric.computeIfAbsent(run.metric(), m -> new ArrayList<>()).add(run));
    Map<String, List<Double>> history = new LinkedHashMap<>();
    byMetric.forEach((metric, metricRuns) -> {
      List<MetricRun> newestFirst = new ArrayList<>(metricRuns);
      newestFirst.sort(Comparator.comparing(MetricRun::recordedAt).reversed());
      for (MetricRun run : newestFirst.subList(0, Math.min(window, newestFirst.size()))) {
        if (run.value() != null) {
          history.computeIfAbsent(metric, m -> new ArrayList<>()).add(run.value());
        }
      }
    });
    return history;
  }

  /** A metric's value in the newest passed run of a partition. */
  private record MetricRun(String metric, String partitionKey, Double value, Instant recordedAt) {}

  /**
   * The newest passed run of each metric and partition of the dataset and kind, recorded
   * within the shortest horizon that holds {@code window} counted partitions of every metric
   * (the newest window by recorded_at then lie inside it): window x 3 hours (enough for hourly
   * partitions), x 30 hours (daily), x 300 hours (daily compared by weekday), then all. So the
   * read stays the same size however long the history grows: the table is partitioned by the
   * day of recorded_at and its files carry recorded_at bounds, which prune the rest. Read from
   * the driver (no Spark job) and kept, with its horizon, until this table records something (a
   * backfill gates a chunk's dates one after another against the same history).
   */
  private List<MetricRun> latestRuns(String dataset, int window, Predicate<MetricRun> counted) {
    if (!dataset.equals(latestDataset)) {
      latestDataset = dataset;
      latestHorizon = -1;
      latest = null;
    }
    if (settled(window, counted)) {
      return latest;
    }
    if (!Tables.exists(spark, table)) {
      latestHorizon = HORIZONS_IN_WINDOW_HOURS.length - 1;
      latest = List.of();
      return latest;
    }
    Table iceberg = Tables.load(spark, table);
    iceberg.refresh();
    Instant now = Instant.now();
    while (!settled(window, counted)) {
      latestHorizon++;
      long hours = (long) window * HORIZONS_IN_WINDOW_HOURS[latestHorizon];
      Instant since = hours == 0 ? null : now.minus(Duration.ofHours(hours));
      latest = read(iceberg, dataset, since);
      if (since != null && !holdsWindow(latest, window, counted) && !anyOlder(iceberg, dataset, since)) {
        // A young history: no file can hold an older run, so what was read is all there is
        // (the longer horizons would read the same rows again, once each).
        latestHorizon = HORIZONS_IN_WINDOW_HOURS.length - 1;
      }
    }
    return latest;
  }

  /** Whether the runs read are all there is, or hold the window. */
  private boolean settled(int window, Predicate<MetricRun> counted) {
    return latest != null && (HORIZONS_IN_WINDOW_HOURS[latestHorizon] == 0 || holdsWindow(latest, window, counted));
  }

  /**
   * Whether any data file may hold a passed run of the dataset recorded before `since`: planned
   * from the files' partitions and bounds, no row read.
   */
  private boolean anyOlder(Table iceberg, String dataset, Instant since) {
    Expression older = Expressions.and(passedRuns(iceberg, dataset),
        Expressions.lessThan("recorded_at", micros(since)));
    try (CloseableIterable<FileScanTask> files = iceberg.newScan().filter(older).ignoreResiduals().planFiles();
        CloseableIterator<FileScanTask> first = files.iterator()) {
      return first.hasNext();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot plan the metric history of " + dataset + " in " + table, e);
    }
  }

  private static boolean holdsWindow(List<MetricRun> runs, int window, Predicate<MetricRun> counted) {
    Map<String, Integer> partitions = new HashMap<>();
    runs.stream().filter(counted).forEach(run -> partitions.merge(run.metric(), 1, Integer::sum));
    return !partitions.isEmpty() && partitions.values().stream().allMatch(count -> count >= window);
  }

  /**
   * This kind's passed runs of the dataset, as Iceberg prunes files by them. The kind matters
   * most to the rarer one: a backfill's history seldom holds a window, so every horizon is
   * read, the last one unbounded; files of promote's runs only (each run's own file, or a day
   * without backfills once compacted) are skipped by their run_kind bounds instead of read.
   */
  private Expression passedRuns(Table iceberg, String dataset) {
    Expression passed = Expressions.and(Expressions.equal("dataset", dataset),
        Expressions.equal("gate_status", GateStatus.PASSED.value()));
    if (iceberg.schema().findField("run_kind") == null) {
      return passed; // a table of an older version: every row is promote's
    }
    Expression ofKind = Expressions.equal("run_kind", kind.value());
    // Rows recorded before the column existed have none: promote's (RunKind.of).
    return Expressions.and(passed, kind == RunKind.PROMOTE ? Expressions.or(ofKind, Expressions.isNull("run_kind"))
        : ofKind);
  }

  private static long micros(Instant instant) {
    return instant.toEpochMilli() * 1000;
  }

  /** The newest passed run of each metric and partition recorded since (null: ever). */
  private List<MetricRun> read(Table iceberg, String dataset, Instant since) {
    Map<List<String>, MetricRun> newest = new LinkedHashMap<>();
    // A table of an older version has no run_kind until this version first records to it.
    boolean hasKind = iceberg.schema().findField("run_kind") != null;
    Expression filter = passedRuns(iceberg, dataset);
    if (since != null) {
      filter = Expressions.and(filter, Expressions.greaterThanOrEqual("recorded_at", micros(since)));
    }
    List<String> columns = new ArrayList<>(List.of("dataset", "gate_status", "metric", "partition_key", "value",
        "recorded_at"));
    if (hasKind) {
      columns.add("run_kind");
    }
    try (CloseableIterable<Record> rows = IcebergGenerics.read(iceberg).where(filter).select(columns).build()) {
      for (Record row : rows) {
        // The filter prunes files; the rows are checked here.
        Instant at = ((OffsetDateTime) row.getField("recorded_at")).toInstant();
        if (!dataset.equals(row.getField("dataset")) || !GateStatus.PASSED.value().equals(row.getField("gate_status"))
            || (since != null && at.isBefore(since))
            || RunKind.of(hasKind ? (String) row.getField("run_kind") : null) != kind) {
          continue;
        }
        MetricRun run = new MetricRun((String) row.getField("metric"), (String) row.getField("partition_key"),
            (Double) row.getField("value"), at);
        newest.merge(List.of(run.metric(), run.partitionKey()), run,
            (kept, other) -> other.recordedAt().isAfter(kept.recordedAt()) ? other : kept);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the metric history of " + dataset + " from " + table, e);
    }
    return List.copyOf(newest.values());
  }
}
