package io.lakehouseops.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small readers shared by the settings records. */
final class Settings {
  private Settings() {}

  /** A free-form map of scalars, flattened to dotted keys (HOCON nests a.b = c). */
  static Map<String, String> stringMap(Config parent, String key) {
    Map<String, String> result = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> e : parent.getConfig(key).entrySet()) {
      // "a.b" = 1 and a { b = 1 } both mean the property a.b.
      result.put(String.join(".", ConfigUtil.splitPath(e.getKey())),
          String.valueOf(e.getValue().unwrapped()));
    }
    return result;
  }

  static List<String> stringList(Config config, String key, String path) {
    try {
      return List.copyOf(config.getStringList(key));
    } catch (com.typesafe.config.ConfigException.WrongType e) {
      throw new ConfigException("Invalid configuration at " + path + "." + key
          + ": expected a list of strings, e.g. [\"a\", \"b\"]");
    }
  }
}
