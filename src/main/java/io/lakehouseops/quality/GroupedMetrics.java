package io.lakehouseops.quality;

import com.amazon.deequ.analyzers.Analyzer;
import com.amazon.deequ.analyzers.Preconditions;
import com.amazon.deequ.analyzers.ScanShareableAnalyzer;
import com.amazon.deequ.analyzers.Uniqueness;
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
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import scala.Option;
import scala.collection.JavaConverters;

/**
 * Deequ's metrics for each group of rows, computed for all groups at once: the scan-shareable
 * analyzers' own aggregation functions under a GROUP BY (Deequ runs them as one global
 * aggregate), and uniqueness from one frequency count grouped by group and columns. Every
 * group gets the metric Deequ computes on its rows alone (DeequAdapterGroupsTest); a backfill
 * chunk of 30 dates is two queries instead of 30 Deequ runs.
 */
final class GroupedMetrics {
  private static final String GROUP = "_lakehouse_group";

  private GroupedMetrics() {}

  /** Group value (of the group column) to each analyzer's metric; groups without rows are absent. */
  static Map<Object, Map<Analyzer<?, Metric<?>>, Metric<?>>> compute(Dataset<Row> data, Column group,
      Collection<Analyzer<?, Metric<?>>> analyzers) {
    List<ScanShareableAnalyzer<?, ?>> scanning = new ArrayList<>();
    Map<List<String>, List<Uniqueness>> byColumns = new LinkedHashMap<>();
    Map<Analyzer<?, Metric<?>>, Exception> failing = new LinkedHashMap<>();
    for (Analyzer<?, Metric<?>> analyzer : analyzers) {
      Option<Exception> failed = Preconditions.findFirstFailing(data.schema(), analyzer.preconditions());
      if (failed.isDefined()) {
        failing.put(analyzer, failed.get());
      } else if ((Object) analyzer instanceof Uniqueness unique) {
        byColumns.computeIfAbsent(JavaConverters.seqAsJavaList(unique.groupingColumns()),
            c -> new ArrayList<>()).add(unique);
      } else if ((Object) analyzer instanceof ScanShareableAnalyzer<?, ?> shareable) {
        scanning.add(shareable);
      } else {
        throw new IllegalArgumentException("Deequ analyzer " + analyzer + " has no grouped form");
      }
    }
    Dataset<Row> rows = data.withColumn(GROUP, group);
    Map<Object, Map<Analyzer<?, Metric<?>>, Metric<?>>> metrics = scan(rows, scanning);
    byColumns.forEach((columns, unique) -> uniqueness(rows, columns, unique, metrics));
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
   * Uniqueness per group, from one query: the share of the group's rows (those with at least
   * one of the columns non-null, as Deequ counts them) whose values occur exactly once in the
   * group. Deequ's own Uniqueness aggregates the same frequencies with its row count as a
   * literal, which would take a query per group; its metric is made from the value here.
   */
  private static void uniqueness(Dataset<Row> rows, List<String> columns, List<Uniqueness> analyzers,
      Map<Object, Map<Analyzer<?, Metric<?>>, Metric<?>>> metrics) {
    Column anyNonNull = functions.lit(false);
    List<Column> keyed = new ArrayList<>(List.of(functions.col(GROUP)));
    for (String column : columns) {
      anyNonNull = anyNonNull.or(functions.col(column).isNotNull());
      keyed.add(functions.col(column));
    }
    Column frequency = functions.col("frequency");
    Dataset<Row> perGroup = rows.where(anyNonNull).groupBy(keyed.toArray(Column[]::new))
        .agg(functions.count(functions.lit(1)).as("frequency"))
        .groupBy(GROUP).agg(functions.sum(functions.when(frequency.equalTo(1), 1.0).otherwise(0.0)),
            functions.sum(frequency));
    Map<Object, Double> shares = new HashMap<>();
    for (Row row : perGroup.collectAsList()) {
      shares.put(row.get(0), row.getDouble(1) / row.getLong(2));
    }
    metrics.forEach((key, group) -> {
      // No row with a value: null, which Deequ reports as an empty state, as on the group alone.
      Row result = RowFactory.create(shares.get(key));
      analyzers.forEach(a -> group.put(DeequAdapter.cast(a), a.fromAggregationResult(result, 0, Option.empty())));
    });
  }
}
