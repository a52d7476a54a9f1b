package io.lakehouseops.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValueFactory;
import java.util.List;
import java.util.Map;

/**
 * Builds the effective configuration: -D system properties over --set overrides over the
 * --config file over reference.conf, then checks it against reference.conf so a typo or a
 * wrong type fails before any work starts.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /** configLocation: a local path or a Hadoop FileSystem URI (see ConfigFile); null for none. */
  public static Config load(String configLocation, List<String> overrides) {
    // Not defaultReference(): that one already has every -D property merged in.
    Config reference = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(),
        "reference.conf").resolve();
    ConfigFile configFile = configLocation == null ? null : ConfigFile.at(configLocation);
    Config file = configFile == null ? ConfigFactory.empty() : configFile.parse();
    Config sets = parseOverrides(overrides);
    Config effective;
    try {
      effective =
          systemOverrides().withFallback(sets).withFallback(file).withFallback(reference).resolve();
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException("Cannot load configuration: " + oneLine(e.getMessage()), e);
    }
    ConfigValidator.validate(effective, reference);
    return configFile == null ? effective : ContractPaths.nextTo(effective, configFile.directory());
  }

  /**
   * Each --set is key=value. Values starting with [ or { are parsed as HOCON (lists, objects);
   * anything else is kept as a string (Typesafe Config converts it to a number, boolean or
   * duration when read), so URIs with ':' or '//' survive unquoted.
   */
  static Config parseOverrides(List<String> overrides) {
    Config result = ConfigFactory.empty();
    for (String override : overrides == null ? List.<String>of() : overrides) {
      int eq = override.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException(
            "Invalid --set '" + override + "': expected key=value, e.g. --set lakehouse.spark.master=local[2]");
      }
      String key = override.substring(0, eq).trim();
      String raw = override.substring(eq + 1).trim();
      try {
        com.typesafe.config.ConfigUtil.splitPath(key);
      } catch (com.typesafe.config.ConfigException e) {
        throw new ConfigException("Invalid --set key '" + key + "': not a HOCON path (a.b.c)");
      }
      Object value = raw;
      if (raw.startsWith("[") || raw.startsWith("{")) {
        try {
          value = ConfigFactory.parseString("v = " + raw).getValue("v").unwrapped();
        } catch (com.typesafe.config.ConfigException e) {
          throw new ConfigException(
              "Invalid --set " + key + ": cannot parse value as HOCON: " + oneLine(e.getMessage()));
        }
      }
      // parseMap gives every level of the path the origin "--set key", for error messages.
      result = ConfigFactory.parseMap(Map.of(key, value), "--set " + key).withFallback(result);
    }
    return result;
  }

  /** Only lakehouse.* system properties: the JVM's own properties are no concern here. */
  private static Config systemOverrides() {
    Config result = ConfigFactory.empty();
    for (Map.Entry<Object, Object> e : System.getProperties().entrySet()) {
      String key = String.valueOf(e.getKey());
      if (key.startsWith("lakehouse.")) {
        result = result.withValue(key, ConfigValueFactory.fromAnyRef(
            String.valueOf(e.getValue()), "system property -D" + key));
      }
    }
    return result;
  }

  private static String oneLine(String message) {
    return Messages.oneLine(message);
  }
}
