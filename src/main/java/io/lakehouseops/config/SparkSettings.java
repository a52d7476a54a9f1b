package io.lakehouseops.config;

import com.typesafe.config.Config;
import java.util.Map;

/** lakehouse.spark: master (when spark-submit set none) and extra Spark properties. */
public record SparkSettings(String master, Map<String, String> conf) {
  static SparkSettings from(Config config) {
    Config c = config.getConfig("lakehouse.spark");
    return new SparkSettings(c.getString("master"), Settings.stringMap(c, "conf"));
  }
}
