package io.lakehouseops.quality;

import com.amazon.deequ.analyzers.Analyzer;
import com.amazon.deequ.analyzers.Analyzers;
import com.amazon.deequ.analyzers.FrequenciesAndNumRows;
import com.amazon.deequ.analyzers.Preconditions;
import com.amazon.deequ.analyzers.ScanShareableAnalyzer;
import com.amazon.deequ.analyzers.ScanShareableFrequencyBasedAnalyzer;
import com.amazon.deequ.metrics.Metric;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import scala.Option;
import scala.collection.JavaConverters;

/**
 * Deequ's metrics for each group of rows, computed for all groups at once: the scan-shareable
 * analyzers' own aggregation functions under a GROUP BY (Deequ runs them as one global
 * aggregate), and the frequency-based ones (uniqueness) from one frequency table grouped by
 * group and columns, each group's frequencies then handed to the analyzer as its state. Every
 * group gets the metric Deequ computes on its rows alone (DeequAdapterGroupsTest); a backfill
 * chunk of 30 dates is two scans instead of 30 Deequ runs.
 */
final class GroupedMetrics {
  private static final String GROUP = "_lakehouse_group";

  private GroupedMetrics() {}

  /** Group value (of the group column) to each analyzer's metric; groups without rows are absent. */
  static Map<Object, Map<Analyzer<?, Metric<?>>, Metric<?>>> compute(Dataset<Row> data, Column group,
      Collection<Analyzer<?, Metric<?>>> analyzers) {
    List<ScanShareableAnalyzer<?, ?>> scanning = new ArrayList<>();
    Map<List<String>, List<ScanShareableFrequencyBasedAnalyzer>> byColumns = new LinkedHashMap<>();
    Map<Analyzer<?, Metric<?>>, Exception> failing = new LinkedHashMap<>();
    for (Analyzer<?, Metric<?>> analyzer : analyzers) {
      Option<Exception> failed = Preconditions.findFirstFailing(data.schema(), analyzer.preconditions());
      if (failed.isDefined()) {
        failing.put(analyzer, failed.get());
      } else if ((Object) analyzer instanceof ScanShareableFrequencyBasedAnalyzer frequency) {
        byColumns.computeIfAbsent(JavaConverters.seqAsJavaList(frequency.groupingColumns()),
            c -> new ArrayList<>()).add(frequency);
      } else if ((Object) analyzer instanceof ScanShareableAnalyzer<?, ?> shareable) {
        scanning.add(shareable);
      } else {
        throw new IllegalArgumentException("Deequ analyzer " + analyzer + " has no grouped form");
      }
    }
    Dataset<Row> rows = data.withColumn(GROUP, group);
    Map<Object, Map<Analyzer<?, Metric<?>>, Metric<?>>> metrics = scan(rows, scanning);
    byColumns.forEach((columns, frequencyAnalyzers) -> frequencies(rows, columns, frequencyAnalyzers, metrics));
    metrics.values().forEach(m -> failing.forEach((analyzer, e) -> m.put(analyzer, analyzer.toFailureMetric(e))));
    return metrics;
  }

  /** One GROUP BY with every scan-shareable analyzer's aggregations (after a row count that lists the groups). */
  @SuppressWarnings("unchecked")
  private static Map<Object, Map<Analyzer<?, Metric<?>>, Metric<?>>> scan(Dataset<Row> rows,
      List<ScanShareableAnalyzer<?, ?>> analyzers) {
    List<Column> aggregations = new ArrayList<>();
    aggregations.add(functions.count(functions.lit(1)));
    analyzers.forEach(a -> aggregations.addAll(JavaConverters.seqAsJavaList(a.aggregationFunctions())));
    Map<Object, Map<Analyzer<?, Metric<?>>, Metric<?>>> metrics = new LinkedHashMap<>();
    for (Row row : rows.groupBy(functions.col(GROUP)).agg(aggregations.get(0),
        aggregations.subList(1, aggregations.size()).toArray(Column[]::new)).collectAsList()) {
      Map<Analyzer<?, Metric<?>>, Metric<?>> group = new LinkedHashMap<>();
      int offset = 2;
      for (ScanShareableAnalyzer<?, ?> analyzer : analyzers) {
        group.put((Analyzer<?, Metric<?>>) (Analyzer<?, ?>) analyzer,
            analyzer.metricFromAggregationResult(row, offset, Option.empty(), Option.empty()));
        offset += analyzer.aggregationFunctions().size();
      }
      metrics.put(row.get(0), group);
    }
    return metrics;
  }

  /**
   * Uniqueness and its kin on the same columns: the frequencies of their values per group,
   * counted as Deequ counts them (rows with at least one of the columns non-null), cached once.
   */
  private static void frequencies(Dataset<Row> rows, List<String> columns,
      List<ScanShareableFrequencyBasedAnalyzer> analyzers, Map<Object, Map<Analyzer<?, Metric<?>>, Metric<?>>> metrics) {
    Column anyNonNull = functions.lit(false);
    List<Column> keyed = new ArrayList<>(List.of(functions.col(GROUP)));
    for (String column : columns) {
      anyNonNull = anyNonNull.or(functions.col(column).isNotNull());
      keyed.add(functions.col(column));
    }
    String count = Analyzers.COUNT_COL();
    Dataset<Row> frequencies = rows.where(anyNonNull).groupBy(keyed.toArray(Column[]::new))
        .agg(functions.count(functions.lit(1)).as(count)).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Map<Object, Long> numRows = new HashMap<>();
      for (Row row : frequencies.groupBy(GROUP).agg(functions.sum(count)).collectAsList()) {
        numRows.put(row.get(0), row.getLong(1));
      }
      Column[] projection = keyed.subList(1, keyed.size()).toArray(new Column[columns.size() + 1]);
      projection[columns.size()] = functions.col(count);
      metrics.forEach((key, group) -> {
        FrequenciesAndNumRows state = new FrequenciesAndNumRows(
            frequencies.filter(functions.col(GROUP).equalTo(functions.lit(key))).select(projection),
            numRows.getOrDefault(key, 0L), Option.empty());
        for (ScanShareableFrequencyBasedAnalyzer analyzer : analyzers) {
          group.put(DeequAdapter.cast(analyzer), analyzer.computeMetricFrom(Option.apply(state)));
        }
      });
    } finally {
      frequencies.unpersist();
    }
  }
}
