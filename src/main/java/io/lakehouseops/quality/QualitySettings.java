package io.lakehouseops.quality;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import io.lakehouseops.config.ConfigException;
import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.config.Identifiers;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** lakehouse.datasets.NAME.quality: rules, what to do on failure, the anomaly policy. */
public record QualitySettings(
    List<QualityRule> rules,
    boolean requireData,
    boolean quarantineRows,
    double maxQuarantineFraction,
    boolean anomalyEnabled,
    int window,
    int minHistory,
    double warnAbove,
    double blockAbove,
    List<AnomalyMetric> metrics) {

  private static final Set<String> METRICS = Set.of("null-rate", "mean");

  /**
   * A dataset's quality settings, lakehouse.datasets.NAME.quality over the dataset defaults.
   * Parsed here, not in config, so that config needs nothing of quality; every command
   * parses every dataset's at start (JobCommand), so a wrong rule still fails at start-up.
   */
  public static QualitySettings of(DatasetSettings dataset) {
    return from(dataset.config().getConfig("quality"), "lakehouse.datasets." + dataset.name() + ".quality");
  }

  public static QualitySettings from(Config quality, String path) {
    String onFailure = quality.getString("on-failure");
    if (!onFailure.equals("quarantine") && !onFailure.equals("quarantine-rows")) {
      throw new ConfigException("Invalid configuration at " + path + ".on-failure: '" + onFailure
          + "' is not quarantine or quarantine-rows");
    }
    double fraction = quality.getDouble("max-quarantine-fraction");
    if (fraction < 0 || fraction > 1) {
      throw new ConfigException("Invalid configuration at " + path
          + ".max-quarantine-fraction: a share in [0, 1], cannot be: " + fraction);
    }
    Config anomaly = quality.getConfig("anomaly");
    int window = anomaly.getInt("window");
    int minHistory = anomaly.getInt("min-history");
    if (minHistory < 2 || window < minHistory) {
      throw new ConfigException("Invalid configuration at " + path + ".anomaly: need "
          + "2 <= min-history <= window, cannot be: min-history " + minHistory + ", window " + window);
    }
    double warn = anomaly.getDouble("warn-above");
    double block = anomaly.getDouble("block-above");
    if (warn <= 0 || block < warn) {
      throw new ConfigException("Invalid configuration at " + path + ".anomaly: need "
          + "0 < warn-above <= block-above, cannot be: " + warn + ", " + block);
    }
    return new QualitySettings(QualityRuleParser.parse(quality, path), quality.getBoolean("require-data"),
        onFailure.equals("quarantine-rows"), fraction, anomaly.getBoolean("enabled"), window,
        minHistory, warn, block, metrics(anomaly, path + ".anomaly.metrics"));
  }

  /**
   * The same rules without anomaly scoring: for rows that are not a whole partition (a
   * backfill's corrected rows), whose volume and rates say nothing about the partition's.
   */
  public QualitySettings withoutAnomaly() {
    return new QualitySettings(rules, requireData, quarantineRows, maxQuarantineFraction, false, window,
        minHistory, warnAbove, blockAbove, metrics);
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
