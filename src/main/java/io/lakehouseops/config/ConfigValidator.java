package io.lakehouseops.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks the effective configuration against reference.conf: every key must be known (typos
 * fail instead of being silently ignored) and every value must have the reference's type.
 * Free-form maps (catalog properties, Spark conf, compact options) accept any key; each
 * dataset is checked against lakehouse.dataset-defaults.
 */
final class ConfigValidator {
  /** Paths whose children are free-form. */
  private static final Set<String> OPEN_MAPS =
      Set.of("lakehouse.catalog.properties", "lakehouse.spark.conf", "lakehouse.compact.options");

  private ConfigValidator() {}

  static void validate(Config effective, Config reference) {
    try {
      effective.checkValid(reference, "lakehouse");
    } catch (com.typesafe.config.ConfigException.ValidationFailed e) {
      com.typesafe.config.ConfigException.ValidationProblem p = e.problems().iterator().next();
      throw new ConfigException("Invalid configuration at " + p.path() + ": "
          + p.problem() + " (" + p.origin().description() + ")", e);
    }
    checkKnownKeys(effective.getObject("lakehouse"), reference.getObject("lakehouse"), "lakehouse");
    Config template = reference.getConfig("lakehouse.dataset-defaults");
    ConfigObject datasets = effective.getObject("lakehouse.datasets");
    for (Map.Entry<String, ConfigValue> entry : datasets.entrySet()) {
      String path = "lakehouse.datasets." + entry.getKey();
      if (entry.getValue().valueType() != ConfigValueType.OBJECT) {
        throw new ConfigException("Invalid configuration at " + path
            + ": a dataset must be an object { raw { path = ... }, table = ..., keys = [...] }");
      }
      ConfigObject dataset = (ConfigObject) entry.getValue();
      checkKnownKeys(dataset, template.root(), path);
      try {
        dataset.toConfig().withFallback(template).checkValid(template);
      } catch (com.typesafe.config.ConfigException.ValidationFailed e) {
        com.typesafe.config.ConfigException.ValidationProblem p = e.problems().iterator().next();
        throw new ConfigException("Invalid configuration at " + path + "." + p.path() + ": "
            + p.problem() + " (" + p.origin().description() + ")", e);
      }
    }
  }

  private static void checkKnownKeys(ConfigObject actual, ConfigObject known, String path) {
    for (Map.Entry<String, ConfigValue> entry : actual.entrySet()) {
      String childPath = path + "." + entry.getKey();
      if (OPEN_MAPS.contains(childPath) || "lakehouse.datasets".equals(childPath)) {
        continue;
      }
      ConfigValue reference = known.get(entry.getKey());
      if (reference == null) {
        throw new ConfigException("Unknown configuration key " + childPath + " ("
            + entry.getValue().origin().description() + "): check the spelling; known keys under "
            + path + ": " + new TreeSet<>(known.keySet()));
      }
      if (reference.valueType() == ConfigValueType.OBJECT
          && entry.getValue().valueType() == ConfigValueType.OBJECT) {
        checkKnownKeys((ConfigObject) entry.getValue(), (ConfigObject) reference, childPath);
      }
    }
  }
}
