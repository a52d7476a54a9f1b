package io.lakehouseops.quality;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import io.lakehouseops.config.ConfigException;
import io.lakehouseops.config.Identifiers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * quality.anomaly: whether and how a partition's metrics are scored against the history of
 * the dataset's passed runs. deviations: online-normal's factor; maxDecrease and maxIncrease
 * bound relative-rate-of-change.
 */
public record AnomalySettings(
    boolean enabled,
    int window,
    int minHistory,
    double warnAbove,
    double blockAbove,
    List<AnomalyMetric> metrics,
    AnomalyStrategy strategy,
    Seasonality seasonality,
    double deviations,
    double maxDecrease,
    double maxIncrease) {

  private static final Set<String> METRICS = Set.of("null-rate", "mean");

  static AnomalySettings from(Config anomaly, String path) {
    int window = anomaly.getInt("window");
    int minHistory = anomaly.getInt("min-history");
    if (minHistory < 2 || window < minHistory) {
      throw new ConfigException("Invalid configuration at " + path + ": need "
          + "2 <= min-history <= window, cannot be: min-history " + minHistory + ", window " + window);
    }
    double warn = anomaly.getDouble("warn-above");
    double block = anomaly.getDouble("block-above");
    if (warn <= 0 || block < warn) {
      throw new ConfigException("Invalid configuration at " + path + ": need "
          + "0 < warn-above <= block-above, cannot be: " + warn + ", " + block);
    }
    double decrease = anomaly.getDouble("max-decrease");
    double increase = anomaly.getDouble("max-increase");
    if (decrease < 0 || decrease >= 1 || increase <= 1) {
      throw new ConfigException("Invalid configuration at " + path + ": need 0 <= max-decrease < 1 < "
          + "max-increase (value / previous value), cannot be: " + decrease + ", " + increase);
    }
    AnomalyStrategy strategy = choice(anomaly, path, "strategy", AnomalyStrategy.values(), AnomalyStrategy::value);
    double deviations = anomaly.getDouble("deviations");
    // Deequ's online normal counts the value in the mean and deviation it is judged by, so of
    // n values none is more than sqrt(n - 1) deviations out: a larger factor never fires.
    if (strategy == AnomalyStrategy.ONLINE_NORMAL && (deviations <= 0 || deviations >= Math.sqrt(window))) {
      throw new ConfigException("Invalid configuration at " + path + ".deviations: online-normal never "
          + "flags a value more than sqrt(window) = " + Math.round(Math.sqrt(window) * 100) / 100.0
          + " deviations out, so " + deviations + " would never block: lower it or raise window");
    }
    return new AnomalySettings(anomaly.getBoolean("enabled"), window, minHistory, warn, block,
        metrics(anomaly, path + ".metrics"), strategy,
        choice(anomaly, path, "seasonality", Seasonality.values(), Seasonality::value), deviations, decrease, increase);
  }

  AnomalySettings disabled() {
    return new AnomalySettings(false, window, minHistory, warnAbove, blockAbove, metrics, strategy, seasonality,
        deviations, maxDecrease, maxIncrease);
  }

  private static <E> E choice(Config anomaly, String path, String key, E[] values, Function<E, String> spelling) {
    String given = anomaly.getString(key);
    for (E value : values) {
      if (spelling.apply(value).equals(given)) {
        return value;
      }
    }
    throw new ConfigException("Invalid configuration at " + path + "." + key + ": '" + given + "' is not one of "
        + Arrays.stream(values).map(spelling).toList());
  }

  private static List<AnomalyMetric> metrics(Config anomaly, String path) {
    List<AnomalyMetric> metrics = new ArrayList<>();
    List<? extends ConfigObject> objects = anomaly.getObjectList("metrics");
    for (int i = 0; i < objects.size(); i++) {
      Config m = objects.get(i).toConfig();
      String where = path + "[" + i + "]";
      if (!m.hasPath("metric") || !m.hasPath("column") || !METRICS.contains(m.getString("metric"))) {
        throw new ConfigException("Invalid configuration at " + where + ": expected "
            + "{ metric = null-rate|mean, column = NAME }");
      }
      metrics.add(new AnomalyMetric(m.getString("metric"),
          Identifiers.requireIdentifier(m.getString("column"), "column at " + where + ".column")));
    }
    return List.copyOf(metrics);
  }
}
