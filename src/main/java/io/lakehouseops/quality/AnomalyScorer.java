package io.lakehouseops.quality;

import java.util.List;

/**
 * z-score of a metric against the dataset's recent history. The standard deviation is floored
 * at 1% of the mean: a perfectly steady history would otherwise make any tiny change infinite.
 */
public final class AnomalyScorer {
  static final double MIN_RELATIVE_STDDEV = 0.01;
  private final QualitySettings settings;

  public AnomalyScorer(QualitySettings settings) {
    this.settings = settings;
  }

  public AnomalyScore score(String metric, Double value, List<Double> history) {
    int n = history.size();
    double mean = history.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    if (value == null || n < settings.minHistory()) {
      return new AnomalyScore(metric, value, null, n, mean, AnomalyVerdict.INSUFFICIENT_HISTORY);
    }
    double variance = history.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / (n - 1);
    double stddev = Math.max(Math.sqrt(variance), Math.max(Math.abs(mean) * MIN_RELATIVE_STDDEV, 1e-9));
    double z = (value - mean) / stddev;
    AnomalyVerdict verdict = Math.abs(z) > settings.blockAbove() ? AnomalyVerdict.BLOCK
        : Math.abs(z) > settings.warnAbove() ? AnomalyVerdict.WARN : AnomalyVerdict.OK;
    return new AnomalyScore(metric, value, Math.round(z * 1000) / 1000.0, n,
        Math.round(mean * 1000) / 1000.0, verdict);
  }
}
