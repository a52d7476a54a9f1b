package io.lakehouseops.cli;

import io.lakehouseops.config.ConfigException;
import io.lakehouseops.config.DatasetSettings;
import io.lakehouseops.config.LakehouseSettings;
import io.lakehouseops.config.TableRef;
import java.util.Optional;

/** The dataset whose curated table a --table names (the maintenance DAG works by table). */
final class DatasetTables {
  private DatasetTables() {}

  static Optional<DatasetSettings> find(LakehouseSettings settings, TableRef table) {
    return settings.datasets().values().stream().filter(d -> d.table().equals(table)).findFirst();
  }

  static DatasetSettings owning(LakehouseSettings settings, String table) {
    TableRef ref = TableRef.parse(table, settings.catalog().name(), "--table");
    return find(settings, ref).orElseThrow(() -> new ConfigException("No dataset's curated table is " + ref
        + ": retention follows a dataset's policy; name a configured dataset's table (datasets: "
        + settings.datasets().keySet() + ")"));
  }
}
