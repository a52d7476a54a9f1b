package io.lakehouseops.quality;

import com.amazon.deequ.anomalydetection.AnomalyDetectionStrategy;
import com.amazon.deequ.anomalydetection.OnlineNormalStrategy;
import com.amazon.deequ.anomalydetection.RelativeRateOfChangeStrategy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import scala.Option;
import scala.Tuple2;
import scala.collection.JavaConverters;

/**
 * A metric against the dataset's recent history. The z-score is always reported; the verdict
 * comes from the configured strategy: the z-score's two tiers, or one of Deequ's strategies
 * over the history, oldest first, with this value last. The standard deviation is floored at
 * 1% of the mean: a perfectly steady history would otherwise make any tiny change infinite.
 */
public final class AnomalyScorer {
  static final double MIN_RELATIVE_STDDEV = 0.01;
  private final AnomalySettings settings;

  public AnomalyScorer(AnomalySettings settings) {
    this.settings = settings;
  }

  /** history: newest first. */
  public AnomalyScore score(String metric, Double value, List<Double> history) {
    int n = history.size();
    double mean = history.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    if (value == null || n < settings.minHistory()) {
      return new AnomalyScore(metric, value, null, n, mean, AnomalyVerdict.INSUFFICIENT_HISTORY);
    }
    double variance = history.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / (n - 1);
    double stddev = Math.max(Math.sqrt(variance), Math.max(Math.abs(mean) * MIN_RELATIVE_STDDEV, 1e-9));
    double z = (value - mean) / stddev;
    AnomalyVerdict verdict = switch (settings.strategy()) {
      case Z_SCORE -> Math.abs(z) > settings.blockAbove() ? AnomalyVerdict.BLOCK
          : Math.abs(z) > settings.warnAbove() ? AnomalyVerdict.WARN : AnomalyVerdict.OK;
      case ONLINE_NORMAL -> deequ(onlineNormal(), value, history);
      case RELATIVE_RATE_OF_CHANGE -> deequ(new RelativeRateOfChangeStrategy(
          Option.<Object>apply(settings.maxDecrease()), Option.<Object>apply(settings.maxIncrease()), 1),
          value, history);
    };
    return new AnomalyScore(metric, value, Math.round(z * 1000) / 1000.0, n,
        Math.round(mean * 1000) / 1000.0, verdict);
  }

  /** More than `deviations` either way; anomalies in the history do not train it. */
  private AnomalyDetectionStrategy onlineNormal() {
    return new OnlineNormalStrategy(Option.<Object>apply(settings.deviations()),
        Option.<Object>apply(settings.deviations()), 0.0, true);
  }

  /** Whether Deequ's strategy finds the last point of the series (history, then value) anomalous. */
  private static AnomalyVerdict deequ(AnomalyDetectionStrategy strategy, double value, List<Double> newestFirst) {
    List<Object> series = new ArrayList<>(newestFirst);
    Collections.reverse(series);
    series.add(value);
    int last = series.size() - 1;
    boolean anomalous = !strategy.detect(JavaConverters.asScalaBuffer(series).toVector(),
        new Tuple2<Object, Object>(last, last + 1)).isEmpty();
    return anomalous ? AnomalyVerdict.BLOCK : AnomalyVerdict.OK;
  }
}
