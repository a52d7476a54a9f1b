package io.lakehouseops.quality;

import io.lakehouseops.opstables.QualityMetricsTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The quality gate of a cleaned partition: the configured rules through Deequ (one run) and
 * the anomaly scores of its metrics against the dataset's passed history; or of several
 * partitions at once, each judged on its own rows.
 */
public final class QualityGate {
  private final QualitySettings settings;
  private final QualityMetricsTable history;

  public QualityGate(QualitySettings settings, QualityMetricsTable history) {
    this.settings = settings;
    this.history = history;
  }

  public GateResult evaluate(Dataset<Row> cleaned, String dataset, String partitionKey) {
    return evaluate(cleaned, dataset, partitionKey, Map.of());
  }

  /** As evaluate, with the uniqueness of some column sets known from a key count of the rows (DeequAdapter). */
  public GateResult evaluate(Dataset<Row> cleaned, String dataset, String partitionKey,
      Map<List<String>, Double> knownUniqueness) {
    cleaned.sparkSession().sparkContext().setJobDescription(
        "lakehouse-ops promote: quality gate of " + dataset + " " + partitionKey);
    return result(DeequAdapter.verify(cleaned, settings.rules(), settings.metrics(), knownUniqueness), dataset,
        partitionKey);
  }

  /**
   * The gate of several partitions whose rows are together (a backfill chunk), in one pass:
   * the verdict of each is the one evaluate would give on its rows alone. group: the column
   * that tells the partitions apart; partitionKeys: its values to their partition keys.
   * Partitions without rows are absent from the result.
   */
  public Map<String, GateResult> evaluateEach(Dataset<Row> rows, String dataset, Column group,
      Map<?, String> partitionKeys) {
    rows.sparkSession().sparkContext().setJobDescription(
        "lakehouse-ops: quality gate of " + dataset + ", " + partitionKeys.size() + " partitions");
    Map<String, GateResult> results = new LinkedHashMap<>();
    DeequAdapter.verifyEach(rows, group, settings.rules(), settings.metrics()).forEach((value, verification) -> {
      String partitionKey = partitionKeys.get(value);
      if (partitionKey != null) {
        results.put(partitionKey, result(verification, dataset, partitionKey));
      }
    });
    return results;
  }

  private GateResult result(DeequAdapter.Verification verification, String dataset, String partitionKey) {
    List<AnomalyScore> anomalies = new ArrayList<>();
    if (settings.anomalyEnabled()) {
      AnomalySettings anomaly = settings.anomaly();
      Map<String, List<Double>> past = history.history(dataset, partitionKey, anomaly.window(),
          anomaly.seasonality().comparableWith(partitionKey));
      AnomalyScorer scorer = new AnomalyScorer(anomaly);
      verification.metrics().forEach((metric, value) ->
          anomalies.add(scorer.score(metric, value, past.getOrDefault(metric, List.of()))));
    }
    return new GateResult(verification.outcomes(), anomalies, verification.metrics());
  }

  /**
   * The rows that fail at least one failed error-level row rule, each with the names of the
   * rules it fails; the same predicates Deequ scored.
   */
  public static Column rowFailures(List<QualityRule> failedRowRules) {
    Column[] reasons = failedRowRules.stream()
        .map(r -> functions.when(functions.not(functions.coalesce(
            functions.expr(RulePredicates.predicate(r)), functions.lit(false))), functions.lit(r.id())))
        .toArray(Column[]::new);
    return functions.filter(functions.array(reasons), Column::isNotNull);
  }
}
