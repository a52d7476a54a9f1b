package io.lakehouseops.config;

import com.typesafe.config.Config;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** The whole validated `lakehouse` configuration, read eagerly so bad values fail first. */
public record LakehouseSettings(
    CatalogSettings catalog,
    SparkSettings spark,
    String rawZone,
    Namespaces namespaces,
    Map<String, DatasetSettings> datasets,
    Config config) {

  public static LakehouseSettings from(Config config) {
    try {
      return read(config);
    } catch (com.typesafe.config.ConfigException e) { // a value of the wrong type
      throw new ConfigException("Invalid configuration: " + Messages.oneLine(e.getMessage()), e);
    }
  }

  private static LakehouseSettings read(Config config) {
    CatalogSettings catalog = CatalogSettings.from(config);
    Namespaces namespaces = Namespaces.from(config);
    String rawZone = Locations.absolute(config.getString("lakehouse.zones.raw"));
    Config lakehouse = config.getConfig("lakehouse");
    Map<String, DatasetSettings> datasets = new LinkedHashMap<>();
    for (String name : new TreeMap<>(config.getObject("lakehouse.datasets")).keySet()) {
      datasets.put(name, DatasetSettings.from(name, lakehouse, catalog, namespaces, rawZone));
    }
    return new LakehouseSettings(catalog, SparkSettings.from(config), rawZone, namespaces,
        Collections.unmodifiableMap(datasets), config);
  }

  public DatasetSettings dataset(String name) {
    DatasetSettings dataset = datasets.get(name);
    if (dataset == null) {
      throw new ConfigException("Unknown dataset '" + name + "': declare it under "
          + "lakehouse.datasets." + name + " (configured: " + datasets.keySet() + ")");
    }
    return dataset;
  }

  /** A table in one of the project's own namespaces of the configured catalog. */
  public TableRef opsTable(String table) {
    return new TableRef(catalog.name(), namespaces.ops(), table);
  }
}
