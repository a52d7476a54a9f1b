package io.lakehouseops.compact;

import io.lakehouseops.config.ConfigException;
import java.util.Locale;

/**
 * How compact --rewrite-deletes applies a partition's equality deletes: by rewriting the data
 * files they apply to, by converting them to position deletes (deletion vectors on a v3
 * table) that name the rows they delete, or as the metadata says is cheaper (auto).
 */
public enum EqualityDeleteMode {
  AUTO, REWRITE, CONVERT;

  static EqualityDeleteMode parse(String value) {
    for (EqualityDeleteMode mode : values()) {
      if (mode.configName().equals(value.trim().toLowerCase(Locale.ROOT))) {
        return mode;
      }
    }
    throw new ConfigException("Invalid equality-delete mode '" + value + "' (--equality-deletes or "
        + "lakehouse.compact.equality-deletes): use auto, rewrite or convert");
  }

  String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
