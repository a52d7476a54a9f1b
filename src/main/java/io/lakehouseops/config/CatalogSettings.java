package io.lakehouseops.config;

import com.typesafe.config.Config;
import java.util.Map;
import java.util.Set;

/** lakehouse.catalog: which Iceberg catalog every table lives in. */
public record CatalogSettings(
    String name, String type, String uri, String warehouse, Map<String, String> properties) {

  private static final Set<String> TYPES = Set.of("jdbc", "hadoop", "rest", "hive", "glue");

  static CatalogSettings from(Config config) {
    String path = "lakehouse.catalog";
    Config c = config.getConfig(path);
    String name = Identifiers.requireIdentifier(c.getString("name"), path + ".name");
    String type = c.getString("type").trim().toLowerCase(java.util.Locale.ROOT);
    if (!TYPES.contains(type)) {
      throw new ConfigException("Invalid configuration at " + path + ".type: '" + type
          + "' is not one of " + new java.util.TreeSet<>(TYPES));
    }
    String uri = Locations.absoluteSqliteUri(c.getString("uri").trim());
    String warehouse = Locations.absolute(c.getString("warehouse").trim());
    if ("jdbc".equals(type) && uri.contains(":memory:")) {
      throw new ConfigException("Invalid configuration at " + path + ".uri: an in-memory SQLite "
          + "database gives each pooled connection its own empty catalog; use a file, e.g. "
          + "jdbc:sqlite:lakehouse-local/catalog.db?journal_mode=WAL");
    }
    if (("jdbc".equals(type) || "rest".equals(type) || "hive".equals(type)) && uri.isEmpty()) {
      throw new ConfigException("Invalid configuration at " + path + ".uri: a " + type
          + " catalog needs a URI");
    }
    if ("hadoop".equals(type) && isObjectStore(warehouse)) {
      throw new ConfigException("Invalid configuration at " + path + ".type: the hadoop catalog "
          + "loses concurrent commits on object stores (" + warehouse + " has no atomic rename); "
          + "use jdbc, rest, hive or glue");
    }
    if (warehouse.isEmpty() && !"rest".equals(type)) {
      throw new ConfigException("Invalid configuration at " + path + ".warehouse: set the root "
          + "location of table data, e.g. s3a://bucket/warehouse");
    }
    return new CatalogSettings(name, type, uri, warehouse, Settings.stringMap(c, "properties"));
  }

  static boolean isObjectStore(String location) {
    String lower = location.toLowerCase(java.util.Locale.ROOT);
    return lower.startsWith("s3") || lower.startsWith("gs:") || lower.startsWith("abfs")
        || lower.startsWith("wasb") || lower.startsWith("oss:");
  }
}
