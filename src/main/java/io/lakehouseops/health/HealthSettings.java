package io.lakehouseops.health;

import com.typesafe.config.Config;
import io.lakehouseops.config.ConfigException;
import java.time.Duration;

/**
 * lakehouse.health: thresholds above which maintenance is recommended, and compact's
 * lakehouse.compact.min-input-files, so that only what compact would rewrite counts.
 */
public record HealthSettings(double smallFileRatio, int minCompactableFiles, double smallFileShare,
    double deleteRatio, int maxDeleteFiles, int maxManifests, int maxSnapshots,
    Duration maxSnapshotAge, int compactMinInputFiles) {

  public static HealthSettings from(Config config) {
    Config c = config.getConfig("lakehouse.health");
    double ratio = c.getDouble("small-file-ratio");
    if (ratio <= 0 || ratio > 1) {
      throw new ConfigException("Invalid configuration at lakehouse.health.small-file-ratio: "
          + "a share in (0, 1], cannot be: " + ratio);
    }
    return new HealthSettings(ratio, c.getInt("min-compactable-files"), c.getDouble("small-file-share"),
        c.getDouble("delete-ratio"), c.getInt("max-delete-files"), c.getInt("max-manifests"),
        c.getInt("max-snapshots"), c.getDuration("max-snapshot-age"),
        config.getInt("lakehouse.compact.min-input-files"));
  }
}
