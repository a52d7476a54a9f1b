package io.lakehouseops.quality;

import com.typesafe.config.Config;
import io.lakehouseops.config.ConfigException;
import io.lakehouseops.config.DatasetSettings;
import java.util.List;

/** lakehouse.datasets.NAME.quality: rules, what to do on failure, the anomaly policy. */
public record QualitySettings(
    List<QualityRule> rules,
    boolean requireData,
    boolean quarantineRows,
    double maxQuarantineFraction,
    AnomalySettings anomaly) {

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
    return new QualitySettings(QualityRuleParser.parse(quality, path), quality.getBoolean("require-data"),
        onFailure.equals("quarantine-rows"), fraction,
        AnomalySettings.from(quality.getConfig("anomaly"), path + ".anomaly"));
  }

  /**
   * The same rules without anomaly scoring: for rows that are not a whole partition (a
   * backfill's corrected rows), whose volume and rates say nothing about the partition's.
   */
  public QualitySettings withoutAnomaly() {
    return new QualitySettings(rules, requireData, quarantineRows, maxQuarantineFraction, anomaly.disabled());
  }

  public boolean anomalyEnabled() {
    return anomaly.enabled();
  }

  /** The metrics scored besides row_count. */
  public List<AnomalyMetric> metrics() {
    return anomaly.metrics();
  }
}
